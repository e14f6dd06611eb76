import type { App, RespondFn } from '@slack/bolt';
import type { AppLogger } from '../../logger.js';
import { noteOutcome, trackCommand } from '../../metrics/outcome.js';
import { accidProblems, serverIdProblems } from '../../nim/validate.js';
import { renderError } from '../ui/errors.js';
import { renderServerMember } from './server-member.js';
import { code, section } from '../ui/text.js';
import { readCommandPayload, slashCommandPayload } from '../interaction/payloads.js';
import { parseQchatNick } from '../interaction/command-text.js';
import { answerHelp } from '../help/answer.js';
import { messages } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';
import { type ReadDeps } from '../interaction/deps.js';
import { admitReader } from '../interaction/admit.js';
import { answer, answerFailure, answerWithImageFallback, yieldAfterAck } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';

export const QCHAT_MEMBER = '/qchat-member';

/**
 * `/qchat-member <server id> <accid>`: one member's card in one QChat server (qchat/getServerMemberListPage.action),
 * ephemeral, for anyone who may look accounts up. Recorded in the audit log as a lookup, like `/im-user`.
 */
export function registerQchatMember(app: App, deps: ReadDeps): void {
  app.command(QCHAT_MEMBER, async ({ command, ack, respond, context }) => {
    await ack();
    await yieldAfterAck();
    const { correlationId, log } = requestOf(context);
    await trackCommand(deps.metrics, QCHAT_MEMBER, () => lookUpMember(deps, command, respond, correlationId, log));
  });
}

async function lookUpMember(deps: ReadDeps, raw: unknown, respond: RespondFn, correlationId: string, log: AppLogger): Promise<void> {
  const payload = await readCommandPayload(slashCommandPayload, raw, { respond, correlationId, log });
  if (!payload) return;
  const reader = await admitReader(deps, payload.user_id, respond, log);
  if (!reader) return;
  const { locale } = reader;
  const typed = parseQchatNick(payload.text);
  if (typed.help || typed.nick !== undefined || typed.accid === undefined || typed.serverId === undefined) {
    await answerHelp(deps, { command: QCHAT_MEMBER, locale, respond, log });
    return;
  }
  const query = { serverId: typed.serverId, accid: typed.accid };
  const problems = [...serverIdProblems(query.serverId), ...accidProblems('accid', query.accid)];
  if (problems.length > 0) {
    noteOutcome('input_error');
    await answer(respond, renderError(problems, { locale, correlationId }), log);
    return;
  }
  let read;
  try {
    read = await deps.nim.getServerMember(query, { correlationId });
  } catch (error) {
    await answerFailure(respond, error, { locale, correlationId, log });
    return;
  }
  const m = messages(locale);
  if (read.kind !== 'member') {
    noteOutcome('not_found');
    const text =
      read.kind === 'not_member'
        ? m.serverMember.notMemberLookup(code(query.accid, 64), code(query.serverId, 40))
        : m.serverMember.notReached(code(query.accid, 64), code(query.serverId, 40), read.scanned);
    await answer(respond, note(text), log);
    return;
  }
  try {
    // The card is shown only when the audit log can say who saw it.
    await deps.recordLookup?.({
      actor: reader.person.id,
      command: QCHAT_MEMBER,
      accids: [query.accid],
      serverId: query.serverId,
      correlationId,
    });
  } catch (error) {
    await answerFailure(respond, error, { locale, correlationId, log });
    return;
  }
  log.info({ serverId: query.serverId, accid: query.accid }, 'QChat member looked up');
  const { member } = read;
  await answerWithImageFallback(respond, (withImages) => renderServerMember({ member, locale, saved: false, withImages }), {
    locale,
    correlationId,
    log,
  });
}

function note(text: string): SlackMessage {
  return { text: text.replace(/[*`]/g, ''), blocks: [section(text)] };
}
