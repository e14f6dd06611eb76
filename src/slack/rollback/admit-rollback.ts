import type { webApi } from '@slack/bolt';
import { personTarget } from '../../audit/records.js';
import type { AppLogger } from '../../logger.js';
import { admit, type Admission, type GuardDeps } from '../interaction/admit.js';
import { updateModal } from '../interaction/modal-reply.js';
import { noticeView } from '../ui/modal.js';
import { renderRefusal } from '../ui/refusal.js';

/** How a rollback's steps are named in the audit trail's refusals. */
export const ROLLBACK_COMMAND = 'rollback';

/**
 * May `userId` roll `actor` back? Only who may both write (card and member edits) and moderate (mutes, blocks): a
 * rollback undoes both kinds. Asked of Slack afresh each time (the click, the preview, the confirmation); a refusal is
 * audited (its entry names the rollback; its target is the person whose changes, so /im-audit @person shows it).
 */
export async function admitRollback(
  deps: GuardDeps,
  input: { userId: string; actor: string; correlationId: string; log: AppLogger },
): Promise<Admission> {
  const attempt = { command: ROLLBACK_COMMAND, target: personTarget(input.actor), id: input.correlationId };
  const asWriter = await admit(deps, input.userId, { ...attempt, action: 'update_user_card' }, input.log);
  if ('refusal' in asWriter) return asWriter;
  return admit(deps, input.userId, { ...attempt, action: 'mute' }, input.log);
}

/**
 * admitRollback for a step shown in a modal: a refusal is shown in place of the modal's content. The admission when
 * admitted, undefined when refused (shown already).
 */
export async function admitRollbackInModal(
  deps: GuardDeps,
  input: { userId: string; actor: string; correlationId: string; log: AppLogger; client: webApi.WebClient; viewId: string },
): Promise<Extract<Admission, { admitted: unknown }> | undefined> {
  const admission = await admitRollback(deps, input);
  if ('admitted' in admission) return admission;
  const refused = renderRefusal(admission.refusal, admission.locale, admission.handles);
  await updateModal(input.client, input.viewId, noticeView(admission.locale, 'refused', refused), input.log);
  return undefined;
}
