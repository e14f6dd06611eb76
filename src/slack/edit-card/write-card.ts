import { AuditStoreError, auditedWrite, cardChanges } from '../../audit/index.js';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import type { UserCard, UserCardChanges } from '../../nim/types.js';
import { messages, type Locale } from '../i18n/catalog.js';
import type { WriteDeps } from '../interaction/deps.js';
import { logFailure } from '../interaction/failure-log.js';
import { renderError } from '../ui/errors.js';
import type { SlackMessage } from '../ui/message.js';
import { section } from '../ui/text.js';
import { renderUpdateResult } from './update-result.js';

export const EDIT_CARD_COMMAND = 'edit card modal';

/**
 * Sends exactly `changes` to NetEase inside the audit trail (the intent stored first, under `id`), by a direct save or
 * an approved request (then with `approvedBy`). `before` is the card read just now. Returns what to tell the person:
 * before → after, or what went wrong.
 */
export async function writeCard(
  deps: Pick<WriteDeps, 'trail' | 'nim'>,
  input: {
    id: string;
    accid: string;
    before: UserCard;
    changes: UserCardChanges;
    actor: string;
    approvedBy?: string;
    locale: Locale;
    log: AppLogger;
  },
): Promise<SlackMessage> {
  const { accid, before, changes, locale, log } = input;
  let auditId = input.id;
  const intent = {
    id: input.id,
    actor: input.actor,
    ...(input.approvedBy === undefined ? {} : { approvedBy: input.approvedBy }),
    action: 'update_user_card' as const,
    command: EDIT_CARD_COMMAND,
    target: { accid },
    changes: cardChanges(before, changes),
  };
  try {
    const result = await auditedWrite(deps.trail, intent, ({ correlationId }) => {
      auditId = correlationId;
      return deps.nim.updateUinfo(accid, changes, { correlationId });
    });
    log.info({ auditId, accid, fields: Object.keys(changes), confirmedByReadBack: result.confirmedByReadBack }, 'card updated');
    return renderUpdateResult({ accid, before, changes, confirmedByReadBack: result.confirmedByReadBack, locale, reveal: true });
  } catch (error) {
    noteFailure(error);
    if (error instanceof AuditStoreError) {
      log.error({ err: error }, 'edit card: the audit intent could not be written; nothing sent');
      const text = messages(locale).write.auditLogFailed;
      return { text: text.replace(/[*`]/g, ''), blocks: [section(text)] };
    }
    logFailure(log, error, { auditId, accid }, 'edit card: the update failed');
    return renderError(error, { locale, correlationId: auditId });
  }
}
