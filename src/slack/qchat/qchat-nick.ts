import type { App, webApi } from '@slack/bolt';
import type { AuditTarget } from '../../audit/index.js';
import { noteFailure, noteOutcome, trackCommand } from '../../metrics/outcome.js';
import type { ServerMember, ServerMemberUpdate } from '../../nim/types.js';
import { logFailure } from '../interaction/failure-log.js';
import { firstTime, type OnceKey } from '../interaction/once.js';
import { accidProblems, serverIdProblems, serverMemberProblems } from '../../nim/validate.js';
import { renderError } from '../ui/errors.js';
import { renderRefusal } from '../ui/refusal.js';
import { memberEditNeedsApproval, askMemberEditApproval } from './approval-kind.js';
import { notFoundExplanation, writeMember } from './write-member.js';
import { code, section } from '../ui/text.js';
import { modalCommandPayload, readCommandPayload } from '../interaction/payloads.js';
import { parseQchatNick } from '../interaction/command-text.js';
import { answerHelp } from '../help/answer.js';
import { messages, type Locale } from '../i18n/catalog.js';
import type { AppLogger } from '../../logger.js';
import type { SlackMessage } from '../ui/message.js';
import { answer, answerWithImageFallback } from '../interaction/reply.js';
import { sealMetadata, valueDigest } from '../interaction/sealed-metadata.js';
import { qchatNickMetadata, type QchatNickMetadata } from '../interaction/modal-metadata.js';
import { qchatNickView } from './qchat-nick-view.js';
import { admit, localeOf, openGuardedModal } from '../interaction/admit.js';
import { type WriteDeps } from '../interaction/deps.js';
import { updateModal } from '../interaction/modal-reply.js';
import { nickConflicts } from './qchat-nick-conflict.js';
import { requestOf } from '../interaction/request-context.js';

export const QCHAT_NICK = '/qchat-nick';

/**
 * `/qchat-nick <server id> <accid> <nickname…>`: sets that member's nickname in that QChat server and answers with the
 * member card NetEase returns. With fewer arguments it opens a modal prefilled with what was typed; `help` shows usage.
 */
export function registerQchatNick(app: App, deps: WriteDeps): void {
  app.command(QCHAT_NICK, async ({ command, ack, respond, client, context }) => {
    await ack();
    const { correlationId, log } = requestOf(context);
    await trackCommand(deps.metrics, QCHAT_NICK, async () => {
      const payload = await readCommandPayload(modalCommandPayload, command, { respond, correlationId, log });
      if (!payload) return;
      const { user_id: userId, text, channel_id: channelId, trigger_id: triggerId } = payload;
      const typed = parseQchatNick(text);
      if (typed.help && text.trim() !== '') {
        await answerHelp(deps, { command: QCHAT_NICK, locale: await localeOf(deps, userId), respond, log });
        return;
      }
      if (typed.serverId !== undefined && typed.accid !== undefined && typed.nick !== undefined) {
        const update = { serverId: typed.serverId, accid: typed.accid, nick: typed.nick };
        const admission = await admit(deps, userId, { ...qchatAttempt(update, QCHAT_NICK), id: correlationId }, log);
        if ('refusal' in admission) {
          await answer(respond, renderRefusal(admission.refusal, admission.locale, admission.handles), log);
          return;
        }
        const { locale } = admission.admitted;
        const problems = serverMemberProblems(update);
        if (problems.length > 0) {
          noteOutcome('input_error');
          await answer(respond, renderError(problems, { locale, correlationId }), log);
          return;
        }
        const once: OnceKey = { kind: 'trigger', triggerId };
        const where = { client, channel: channelId };
        const render = await updateMember(deps, { userId, update, command: QCHAT_NICK, locale, correlationId, log, once, ...where });
        await answerWithImageFallback(respond, render, { locale, correlationId, log });
        return;
      }
      // Fewer than three arguments: the modal, prefilled with what was typed.
      const prefill = { serverId: typed.serverId, accid: typed.accid, nick: typed.nick };
      const opened = await openGuardedModal(deps, {
        userId,
        triggerId,
        attempt: { ...qchatAttempt(prefill, `${QCHAT_NICK} modal`), id: correlationId },
        respond,
        client,
        correlationId,
        log,
      });
      if (!opened) return;
      const { locale } = opened.admitted;
      const meta: QchatNickMetadata = { kind: 'qchat_nick', viewId: opened.viewId, user: userId, locale };
      if (/^[CDG][A-Z0-9]{2,}$/.test(channelId)) meta.channel = channelId;
      // No lost updates: the member as it is now prefills the form and is sealed as opened (qchat-nick-conflict.ts).
      const member = await readOpened(deps, prefill, correlationId, log);
      if (member) meta.opened = { serverId: member.serverId, accid: member.accid, nick: valueDigest(deps.metadataKey, member.nick) };
      const privateMetadata = sealMetadata(deps.metadataKey, qchatNickMetadata.parse(meta));
      const filled = { ...prefill, nick: prefill.nick ?? (member?.nick || undefined) };
      await updateModal(
        client,
        opened.viewId,
        qchatNickView({ prefill: filled, locale, privateMetadata, needsApproval: memberEditNeedsApproval(deps) }),
        log,
      );
    });
  });
}

/**
 * The member whose server and accid were typed, read when the form opens; undefined when either was not typed (or is
 * malformed), the account is not a member, or the read failed — the form then opens empty and unsealed, as before.
 */
async function readOpened(
  deps: WriteDeps,
  typed: { serverId?: string; accid?: string },
  correlationId: string,
  log: AppLogger,
): Promise<{ serverId: string; accid: string; nick: string } | undefined> {
  const { serverId, accid } = typed;
  if (!serverId || !accid || [...serverIdProblems(serverId), ...accidProblems('accid', accid)].length > 0) return undefined;
  try {
    const read = await deps.nim.getServerMember({ serverId, accid }, { correlationId });
    return read.kind === 'member' ? { serverId, accid, nick: read.member.nick ?? '' } : undefined;
  } catch (error) {
    logFailure(log, error, { serverId, accid }, 'qchat-nick: reading the member to prefill the form failed; opened without it');
    return undefined;
  }
}

/** What the audit trail records as the target, whatever was typed (bounded to the record's limits). */
export function qchatAttempt(update: Partial<ServerMemberUpdate>, command: string) {
  const target: AuditTarget = { accid: update.accid ? update.accid.slice(0, 128) : '(none)' };
  if (update.serverId) target.serverId = update.serverId.slice(0, 32);
  return { action: 'qchat_update_member' as const, command, target };
}

/**
 * Sends a validated member card update to NetEase inside the audit trail: the member is read first (for before →
 * after in the answer and the audit entry; a person who is not a member is told so and nothing is sent), then the
 * update goes out as the member itself or, with QCHAT_OPERATOR_ACCID, as that operator. Returns what to tell the
 * person: the card NetEase returned with what changed, or what went wrong.
 */
export async function updateMember(
  deps: WriteDeps,
  input: {
    userId: string;
    update: ServerMemberUpdate;
    command: string;
    locale: Locale;
    correlationId: string;
    log: AppLogger;
    /** The command's trigger id or the form's view: a repeat of it acts on nothing (interaction/once.ts). */
    once: OnceKey;
    /** The member's nick as the form opened (sealed): a nick changed meanwhile by someone else is not overwritten. */
    opened?: QchatNickMetadata['opened'];
    client: webApi.WebClient;
    /** Where the person started (an approved request's report goes there, ephemeral, else by DM). */
    channel?: string | undefined;
  },
): Promise<(withImages: boolean) => SlackMessage> {
  const { update, locale, log } = input;
  const m = messages(locale);
  const { command } = qchatAttempt(update, input.command);
  let answerInstead: SlackMessage | undefined;
  const first = await firstTime(deps.trail, input.once, input.correlationId, {
    locale,
    log,
    deliver: (message) => {
      answerInstead = message;
      return Promise.resolve();
    },
  });
  if (!first) return () => answerInstead!;
  let before: ServerMember | undefined;
  try {
    const read = await deps.nim.getServerMember({ serverId: update.serverId, accid: update.accid }, { correlationId: input.correlationId });
    if (read.kind === 'not_member') {
      noteOutcome('not_found');
      return () => note(m.serverMember.notMember(code(update.accid, 64), code(update.serverId, 40)));
    }
    // Not reached (a very large server): the change still goes out; before shows as not read.
    if (read.kind === 'member') before = read.member;
    // The read came too late to show the form again: a conflict found now is told, and nothing is sent.
    if (
      before &&
      input.opened &&
      update.nick !== undefined &&
      nickConflicts(deps.metadataKey, input.opened, update.nick, before.nick ?? '')
    ) {
      log.info(
        { serverId: update.serverId, accid: update.accid },
        'qchat-nick: nick changed by someone else meanwhile (found after the ack); nothing sent',
      );
      noteOutcome('conflict');
      return () => note(m.qchatNick.conflictLater(code(update.accid, 64), code(update.serverId, 40)));
    }
  } catch (error) {
    noteFailure(error);
    logFailure(
      log,
      error,
      { serverId: update.serverId, accid: update.accid },
      'qchat-nick: reading the member before the update failed; nothing sent',
    );
    const explanation = notFoundExplanation(m, error, update);
    return () => renderError(error, { locale, correlationId: input.correlationId, explanation });
  }
  const write = { id: input.correlationId, update, before, command, locale, log };
  if (deps.approvals && memberEditNeedsApproval(deps)) {
    const ask = { ...write, requester: input.userId, client: input.client, ...(input.channel ? { channel: input.channel } : {}) };
    const told = await askMemberEditApproval(deps, deps.approvals, ask);
    return () => told;
  }
  return writeMember(deps, { ...write, actor: input.userId });
}

function note(text: string): SlackMessage {
  return { text: text.replace(/[*`]/g, ''), blocks: [section(text)] };
}
