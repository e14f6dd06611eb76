import { AuditStoreError, auditedWrite, serverMemberChanges } from '../../audit/index.js';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import { NimApiError } from '../../nim/errors.js';
import type { ServerMember, ServerMemberUpdate } from '../../nim/types.js';
import { messages, type Locale, type Messages } from '../i18n/catalog.js';
import type { WriteDeps } from '../interaction/deps.js';
import { logFailure } from '../interaction/failure-log.js';
import { quotedDesc, renderError } from '../ui/errors.js';
import type { SlackMessage } from '../ui/message.js';
import { code, section } from '../ui/text.js';
import { renderServerMember } from './server-member.js';

/**
 * Sends a member card update to NetEase inside the audit trail (the intent stored first, under `id`), by `/qchat-nick`
 * or an approved request (then with `approvedBy`), as the member itself or, with QCHAT_OPERATOR_ACCID, as that
 * operator. `before` is the member read just now (absent: not read). Returns what to tell the person: the card NetEase
 * returned with what changed, or what went wrong.
 */
export async function writeMember(
  deps: Pick<WriteDeps, 'trail' | 'nim' | 'qchatOperatorAccid'>,
  input: {
    id: string;
    update: ServerMemberUpdate;
    before: ServerMember | undefined;
    actor: string;
    approvedBy?: string;
    command: string;
    locale: Locale;
    log: AppLogger;
  },
): Promise<(withImages: boolean) => SlackMessage> {
  const { update, before, locale, log } = input;
  const target = { accid: update.accid.slice(0, 128), serverId: update.serverId.slice(0, 32) };
  let auditId = input.id;
  const intent = {
    id: input.id,
    actor: input.actor,
    ...(input.approvedBy === undefined ? {} : { approvedBy: input.approvedBy }),
    action: 'qchat_update_member' as const,
    command: input.command,
    target,
    changes: serverMemberChanges(before, update),
  };
  try {
    const member = await auditedWrite(deps.trail, intent, ({ correlationId }) => {
      auditId = correlationId;
      return deps.nim.updateServerMember(update, {
        correlationId,
        ...(deps.qchatOperatorAccid ? { operatorAccid: deps.qchatOperatorAccid } : {}),
      });
    });
    log.info({ auditId, serverId: update.serverId, accid: update.accid, operator: deps.qchatOperatorAccid }, 'QChat member card updated');
    const { nick, avatar, custom } = update;
    const set = {
      ...(nick === undefined ? {} : { nick }),
      ...(avatar === undefined ? {} : { avatar }),
      ...(custom === undefined ? {} : { custom }),
    };
    const confirmedByReadBack = member.confirmedByReadBack === true;
    return (withImages) => renderServerMember({ member, locale, withImages, change: { before, set }, confirmedByReadBack });
  } catch (error) {
    noteFailure(error);
    if (error instanceof AuditStoreError) {
      log.error({ err: error }, 'qchat-nick: the audit intent could not be written; nothing sent');
      const text = messages(locale).write.auditLogFailed;
      return () => ({ text: text.replace(/[*`]/g, ''), blocks: [section(text)] });
    }
    logFailure(log, error, { auditId, serverId: update.serverId, accid: update.accid }, 'qchat-nick: the update failed');
    const explanation = notFoundExplanation(messages(locale), error, update);
    return () => renderError(error, { locale, correlationId: auditId, explanation });
  }
}

/**
 * Which of the two ids NetEase did not find, from its desc (`server not exist` or `server member not exist`), so the
 * person knows which one to check; undefined for any other failure (the generic text then quotes the desc).
 */
export function notFoundExplanation(m: Messages, error: unknown, update: ServerMemberUpdate): string | undefined {
  if (!(error instanceof NimApiError) || error.nimCode !== 404) return undefined;
  const [serverId, accid, desc] = [code(update.serverId, 40), code(update.accid, 64), quotedDesc(error)];
  if (/member/i.test(error.desc)) return m.qchatNick.notAMember(accid, serverId, error.nimCode, desc);
  if (/server/i.test(error.desc)) return m.qchatNick.noSuchServer(serverId, error.nimCode, desc);
  return undefined;
}
