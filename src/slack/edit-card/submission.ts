import type { App, webApi } from '@slack/bolt';
import { noteFailure, noteOutcome } from '../../metrics/outcome.js';
import type { UserCard, UserCardChanges } from '../../nim/types.js';
import { renderError } from '../ui/errors.js';
import { renderRefusal } from '../ui/refusal.js';
import { code, section } from '../ui/text.js';
import { askCardEditApproval, cardEditNeedsApproval } from './approval-kind.js';
import { EDIT_CARD_COMMAND, writeCard } from './write-card.js';
import { messages, type Locale } from '../i18n/catalog.js';
import type { AppLogger } from '../../logger.js';
import type { SlackMessage } from '../ui/message.js';
import { editCardMetadata, type EditCardMetadata } from '../interaction/modal-metadata.js';
import { fieldErrors } from '../interaction/submitted.js';
import { callbackIds, editCardBlocks } from '../ids.js';
import { admit } from '../interaction/admit.js';
import { type WriteDeps } from '../interaction/deps.js';
import { tellPerson, type AnswerPlace } from '../interaction/modal-reply.js';
import { changedFields } from './card-changes.js';
import { applyKeepChoices, checkForConflicts, unansweredConflictErrors } from './conflict-check.js';
import { findConflicts } from './conflicts.js';
import { firstTime, type OnceKey } from '../interaction/once.js';
import { onSubmission } from '../interaction/on-submission.js';

const COMMAND = EDIT_CARD_COMMAND;

/**
 * The "Edit user card" form submitted: problems go back under their fields (the modal stays open); otherwise the
 * modal closes, the write permission is checked again, the card read, and exactly the changed fields are sent to
 * NetEase inside the audit trail. The person sees before → after, ephemerally where they started or by DM.
 */
export function registerEditCardSubmission(app: App, deps: WriteDeps): void {
  onSubmission(
    app,
    deps,
    { callbackId: callbackIds.editCard, metadata: editCardMetadata, action: 'update_user_card', command: COMMAND },
    async ({ ack, submission, meta, client, correlationId, log }) => {
      const typed = changedFields(deps.metadataKey, meta.prefill, submission.view.state.values);
      const { problems } = typed;
      const changes = applyKeepChoices(typed.changes, submission.view.state.values);
      // A form shown again after a conflict sends nothing until each conflict is answered keep-theirs or overwrite.
      const unanswered = unansweredConflictErrors(messages(meta.locale), meta, submission.view.state.values);
      if (problems.length > 0 || unanswered) {
        log.info(
          { fields: problems.map((problem) => problem.field), unansweredConflicts: Object.keys(unanswered ?? {}) },
          'edit card: invalid values or an unanswered conflict',
        );
        noteOutcome('input_error');
        const invalid = problems.length > 0 ? fieldErrors(messages(meta.locale), problems, editCardBlocks, 'name') : {};
        await ack({ response_action: 'errors', errors: { ...invalid, ...unanswered } });
        return;
      }
      const userId = submission.user.id;
      // No lost updates: someone else changed a field this person changed → the form comes back, nothing is sent.
      const check = await checkForConflicts(deps, { meta, userId, changes, correlationId });
      if (check.conflictView) {
        log.info({ accid: meta.accid }, 'edit card: changed by someone else meanwhile; the form shows theirs beside yours');
        noteOutcome('conflict');
        await ack({ response_action: 'update', view: check.conflictView });
        return;
      }
      await ack();
      const once: OnceKey = { kind: 'submission', viewId: submission.view.id, hash: submission.view.hash };
      await saveCard(deps, { meta, userId, changes, client, correlationId, log, once, current: check.current });
    },
  );
}

type Save = {
  meta: EditCardMetadata;
  userId: string;
  changes: UserCardChanges;
  client: webApi.WebClient;
  correlationId: string;
  log: AppLogger;
  once: OnceKey;
  /** The card read at submission (checkForConflicts). */
  current: Promise<UserCard | undefined>;
};

async function saveCard(deps: WriteDeps, save: Save): Promise<void> {
  const { meta, userId, changes, client, log } = save;
  const attempt = { action: 'update_user_card' as const, command: COMMAND, target: { accid: meta.accid }, id: save.correlationId };
  let locale: Locale = meta.locale;
  const tell = (render: (withImages: boolean) => SlackMessage) => {
    const place: AnswerPlace = { userId, channelId: meta.channel, locale };
    return tellPerson(client, place, render, log);
  };

  const admission = await admit(deps, userId, attempt, log);
  if ('refusal' in admission) {
    locale = admission.locale;
    await tell(() => renderRefusal(admission.refusal, admission.locale, admission.handles));
    return;
  }
  locale = admission.admitted.locale;
  const m = messages(locale);
  if (Object.keys(changes).length === 0) {
    await tell(() => note(m.editCard.nothingChanged(code(meta.accid, 64))));
    return;
  }
  // A replay of this very submission acts on nothing: answered with the first one's outcome.
  if (!(await firstTime(deps.trail, save.once, save.correlationId, { locale, log, deliver: (message) => tell(() => message) }))) return;

  let before: UserCard | undefined;
  try {
    before = await save.current;
  } catch (error) {
    log.error({ err: error }, 'edit card: reading the card before the update failed; nothing sent');
    noteFailure(error);
    await tell(() => renderError(error, { locale, correlationId: save.correlationId }));
    return;
  }
  if (!before) {
    noteOutcome('not_found');
    await tell(() => note(m.editCard.notFound(code(meta.accid, 64))));
    return;
  }
  // The read came too late to show the form again: a conflict found now is told, and nothing is sent.
  if (findConflicts(deps.metadataKey, meta.prefill, changes, before).length > 0) {
    log.info({ accid: meta.accid }, 'edit card: changed by someone else meanwhile (found after the ack); nothing sent');
    noteOutcome('conflict');
    await tell(() => note(m.editCard.conflictLater(code(meta.accid, 64))));
    return;
  }

  const input = { id: save.correlationId, accid: meta.accid, before, changes, locale, log };
  if (deps.approvals && cardEditNeedsApproval(deps)) {
    const channel = meta.channel ? { channel: meta.channel } : {};
    const told = await askCardEditApproval(deps, deps.approvals, { ...input, ...channel, requester: userId, client });
    await tell(() => told);
    return;
  }
  const told = await writeCard(deps, { ...input, actor: userId });
  await tell(() => told);
}

function note(text: string): SlackMessage {
  return { text: text.replace(/[*`]/g, ''), blocks: [section(text)] };
}
