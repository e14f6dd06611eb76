import type { App } from '@slack/bolt';
import { noteOutcome } from '../../metrics/outcome.js';
import { InputError } from '../../errors.js';
import type { ServerMemberUpdate } from '../../nim/types.js';
import { serverMemberProblems } from '../../nim/validate.js';
import { renderRefusal } from '../ui/refusal.js';
import { qchatAttempt, QCHAT_NICK, updateMember } from './qchat-nick.js';
import { messages, type Messages } from '../i18n/catalog.js';
import { qchatNickMetadata } from '../interaction/modal-metadata.js';
import { chosenOption, fieldErrors, typedText, unansweredChoices, type SubmittedValues } from '../interaction/submitted.js';
import { conflictAnswers, KEEP_THEIRS } from '../ui/conflict-choice.js';
import { valueDigest } from '../interaction/sealed-metadata.js';
import { NICK_CONFLICT_BLOCK } from './qchat-nick-view.js';
import { section } from '../ui/text.js';
import type { SlackMessage } from '../ui/message.js';
import { nickConflictView, openedFor } from './qchat-nick-conflict.js';
import { callbackIds, qchatNickBlocks } from '../ids.js';
import { admit } from '../interaction/admit.js';
import { type WriteDeps } from '../interaction/deps.js';
import { tellPerson } from '../interaction/modal-reply.js';
import { onSubmission } from '../interaction/on-submission.js';

const COMMAND = `${QCHAT_NICK} modal`;

/**
 * The `/qchat-nick` form submitted: problems go back under their fields; otherwise the modal closes, the write
 * permission is checked again and the member card is updated; the person sees the card NetEase returned.
 */
export function registerQchatNickSubmission(app: App, deps: WriteDeps): void {
  onSubmission(
    app,
    deps,
    { callbackId: callbackIds.qchatNick, metadata: qchatNickMetadata, action: 'qchat_update_member', command: COMMAND },
    async ({ ack, submission, meta, client, correlationId, log }) => {
      const userId = submission.user.id;
      const { update, problems } = readUpdate(messages(meta.locale), submission.view.state.values);
      // A form shown again after a conflict sends nothing until it is answered keep-theirs or overwrite.
      const unanswered =
        meta.conflict === true && unansweredChoices(submission.view.state.values, [NICK_CONFLICT_BLOCK], conflictAnswers).length > 0;
      if (problems.length > 0 || unanswered) {
        noteOutcome('input_error');
        const invalid = problems.length > 0 ? fieldErrors(messages(meta.locale), problems, qchatNickBlocks, 'nick') : {};
        const choice: Record<string, string> = unanswered
          ? { [NICK_CONFLICT_BLOCK]: messages(meta.locale).editCard.conflictChoiceMissing }
          : {};
        await ack({ response_action: 'errors', errors: { ...invalid, ...choice } });
        return;
      }
      // No lost updates: a nick left as opened, or "keep theirs" after a conflict, is not sent (so it overwrites nobody).
      const opened = openedFor(meta, update);
      const keepTheirs = chosenOption(submission.view.state.values, NICK_CONFLICT_BLOCK) === KEEP_THEIRS;
      if (opened && update.nick !== undefined && (keepTheirs || valueDigest(deps.metadataKey, update.nick) === opened.nick))
        delete update.nick;
      if (update.nick === undefined && update.avatar === undefined && update.custom === undefined) {
        await ack();
        await tellPerson(
          client,
          { userId, channelId: meta.channel, locale: meta.locale },
          () => note(messages(meta.locale).qchatNick.unchanged),
          log,
        );
        return;
      }
      if (opened && update.nick !== undefined) {
        const conflictView = await nickConflictView(deps, {
          meta,
          opened,
          userId,
          update: { ...update, nick: update.nick },
          correlationId,
        });
        if (conflictView) {
          log.info(
            { serverId: update.serverId, accid: update.accid },
            'qchat-nick: nick changed by someone else meanwhile; the form shows theirs beside yours',
          );
          noteOutcome('conflict');
          await ack({ response_action: 'update', view: conflictView });
          return;
        }
      }
      await ack();
      const admission = await admit(deps, userId, { ...qchatAttempt(update, COMMAND), id: correlationId }, log);
      if ('refusal' in admission) {
        const place = { userId, channelId: meta.channel, locale: admission.locale };
        await tellPerson(client, place, () => renderRefusal(admission.refusal, admission.locale, admission.handles), log);
        return;
      }
      const { locale } = admission.admitted;
      const once = { kind: 'submission' as const, viewId: submission.view.id, hash: submission.view.hash };
      const channel = meta.channel;
      const render = await updateMember(deps, {
        userId,
        update,
        command: COMMAND,
        locale,
        correlationId,
        log,
        once,
        opened,
        client,
        channel,
      });
      await tellPerson(client, { userId, channelId: meta.channel, locale }, render, log);
    },
  );
}

/** The update as typed: server id and accid trimmed; an empty nickname, avatar or custom field is left as it is. */
function readUpdate(m: Messages, values: SubmittedValues): { update: ServerMemberUpdate; problems: InputError[] } {
  const update: ServerMemberUpdate = {
    serverId: (typedText(values, 'serverId') ?? '').trim(),
    accid: (typedText(values, 'accid') ?? '').trim(),
  };
  for (const field of ['nick', 'avatar', 'custom'] as const) {
    const value = typedText(values, field);
    if (value) update[field] = value;
  }
  const problems = serverMemberProblems(update);
  if (update.nick === undefined && update.avatar === undefined && update.custom === undefined) {
    problems.push(new InputError('nick', m.qchatNick.nothingToSet));
  }
  return { update, problems };
}

function note(text: string): SlackMessage {
  return { text: text.replace(/[*`]/g, ''), blocks: [section(text)] };
}
