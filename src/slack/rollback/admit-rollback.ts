import type { AppLogger } from '../../logger.js';
import { admit, type Admission, type GuardDeps } from '../interaction/admit.js';

/** How a rollback's steps are named in the audit trail's refusals. */
export const ROLLBACK_COMMAND = 'rollback';

/**
 * May `userId` roll `actor` back? Only who may both write (card and member edits) and moderate (mutes, blocks): a
 * rollback undoes both kinds. Asked of Slack afresh each time (the click, the preview, the confirmation); a refusal is
 * audited (its entry names the rollback, the account field says whose).
 */
export async function admitRollback(
  deps: GuardDeps,
  input: { userId: string; actor: string; correlationId: string; log: AppLogger },
): Promise<Admission> {
  const attempt = { command: ROLLBACK_COMMAND, target: { accid: `(rollback of ${input.actor})` }, id: input.correlationId };
  const asWriter = await admit(deps, input.userId, { ...attempt, action: 'update_user_card' }, input.log);
  if ('refusal' in asWriter) return asWriter;
  return admit(deps, input.userId, { ...attempt, action: 'mute' }, input.log);
}
