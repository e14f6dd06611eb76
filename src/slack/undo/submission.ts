import { needsApproval } from '../../approval/index.js';
import type { App, webApi } from '@slack/bolt';
import { AuditStoreError } from '../../audit/index.js';
import type { AppLogger } from '../../logger.js';
import { noteFailure, noteOutcome } from '../../metrics/outcome.js';
import { applyUndo } from '../../undo/apply.js';
import { prepareUndo } from '../../undo/prepare.js';
import { messages } from '../i18n/catalog.js';
import { callbackIds } from '../ids.js';
import { admit } from '../interaction/admit.js';
import type { WriteDeps } from '../interaction/deps.js';
import { logFailure } from '../interaction/failure-log.js';
import { updateModal } from '../interaction/modal-reply.js';
import { firstTime, type OnceKey } from '../interaction/once.js';
import { onSubmission } from '../interaction/on-submission.js';
import { chosenOption, type SubmittedValues } from '../interaction/submitted.js';
import { KEEP_THEIRS, OVERWRITE } from '../ui/conflict-choice.js';
import { renderError } from '../ui/errors.js';
import { closeOnlyView, loadingView } from '../ui/modal.js';
import { renderRefusal } from '../ui/refusal.js';
import type { SlackMessage } from '../ui/message.js';
import { code } from '../ui/text.js';
import { conflictBlockId } from './confirm-view.js';
import { undoConfirmMetadata, type UndoConfirmMetadata } from './metadata.js';
import { note, preparationNotice } from './notices.js';

const COMMAND = 'undo confirmation';

/** Marks the original's audit channel message "undone by": wired by the composition root (the audit feature's). */
export type MarkUndone = (client: webApi.WebClient, originalId: string, undoId: string) => Promise<void>;

export type UndoDeps = WriteDeps & { markUndone?: MarkUndone };

/**
 * The confirmation submitted: the permission is checked again, the submission claimed at most once, the account read
 * again. Sent only if nothing changed since, or, for what did, only what the person chose to overwrite; a value that
 * changed after the confirmation opened sends nothing. The undo is its own audited change (`undoes` the original).
 */
export function registerUndoConfirm(app: App, deps: UndoDeps): void {
  onSubmission(
    app,
    deps,
    { callbackId: callbackIds.undoConfirm, metadata: undoConfirmMetadata, action: 'update_user_card', command: COMMAND },
    async ({ ack, submission, meta, client, correlationId, log }) => {
      await ack({ response_action: 'update', view: loadingView(meta.locale) });
      const once: OnceKey = { kind: 'submission', viewId: submission.view.id, hash: submission.view.hash };
      const message = await confirmed(deps, { meta, values: submission.view.state.values, client, correlationId, log, once });
      const title = message.done ? messages(meta.locale).undo.doneTitle : messages(meta.locale).undo.title;
      await updateModal(client, submission.view.id, closeOnlyView(meta.locale, title, message.blocks), log);
    },
  );
}

type Confirmed = {
  meta: UndoConfirmMetadata;
  values: SubmittedValues;
  client: webApi.WebClient;
  correlationId: string;
  log: AppLogger;
  once: OnceKey;
};

async function confirmed(deps: UndoDeps, input: Confirmed): Promise<SlackMessage & { done?: boolean }> {
  const { meta, correlationId, log } = input;
  const u = messages(meta.locale).undo;
  const item = await deps.trail.store.entry(meta.entryId);
  if (!item || item.kind !== 'update') return note(u.unknownEntry);
  const attempt = { action: meta.action, command: COMMAND, target: item.intent.target, id: correlationId };
  const admission = await admit(deps, meta.user, attempt, log);
  if ('refusal' in admission) return renderRefusal(admission.refusal, admission.locale, admission.handles);
  // An undo cannot ask for approval yet: what IM_APPROVAL_FOR covers (undoing an unblock blocks) is refused, not run.
  if (deps.approvals && needsApproval(deps.approvals.policy, { kind: 'undo', action: meta.action })) {
    return note(messages(meta.locale).approval.undoNeedsApproval);
  }
  let answered: SlackMessage | undefined;
  const first = await firstTime(deps.trail, input.once, correlationId, {
    locale: meta.locale,
    log,
    deliver: (message) => {
      answered = message;
      return Promise.resolve();
    },
  });
  if (!first) return answered ?? note(u.failed);

  try {
    const prep = await prepareUndo(deps.trail.store, deps.nim, meta.entryId, correlationId);
    if (prep.kind !== 'checked' || prep.check.status === 'already') return preparationNotice(meta.locale, prep);
    let send: Record<string, string>;
    if (prep.check.status === 'ready') send = prep.check.send;
    else {
      const changed = prep.check.changed.map((change) => change.key);
      // Changed after the confirmation opened: the person has not seen it, so nothing is sent.
      if (changed.some((key) => !meta.changed.includes(key))) {
        noteOutcome('conflict');
        return note(u.changedAgain);
      }
      const kept = changed.filter((key) => chosenOption(input.values, conflictBlockId(key)) !== OVERWRITE);
      send = Object.fromEntries(Object.entries(prep.check.overwrite).filter(([key]) => !kept.includes(key)));
      // Slack requires an answer; one that is neither (a forged form) keeps theirs.
      if (kept.some((key) => chosenOption(input.values, conflictBlockId(key)) !== KEEP_THEIRS))
        log.warn({ kept }, 'undo: a conflict without an answer is kept');
      if (Object.keys(send).length === 0) {
        noteOutcome('conflict');
        return note(u.keptTheirs);
      }
    }
    await applyUndo(prep.inverse, prep.state, send, {
      trail: deps.trail,
      nim: deps.nim,
      actor: meta.user,
      command: COMMAND,
      id: correlationId,
      now: deps.now ?? Date.now,
      ...(deps.qchatOperatorAccid ? { qchatOperatorAccid: deps.qchatOperatorAccid } : {}),
      ...(deps.liftSchedule ? { schedule: deps.liftSchedule } : {}),
    });
    log.info({ undoes: meta.entryId, auditId: correlationId, keys: Object.keys(send) }, 'change undone');
    await deps.markUndone?.(input.client, meta.entryId, correlationId).catch((error: unknown) => {
      log.warn({ err: error, entryId: meta.entryId }, 'undo: the original audit channel entry could not be marked undone');
    });
    return { ...note(u.done(code(item.intent.target.accid, 64), code(correlationId, 40))), done: true };
  } catch (error) {
    noteFailure(error);
    if (error instanceof AuditStoreError) {
      log.error({ err: error }, 'undo: the audit intent could not be written; nothing sent');
      return note(messages(meta.locale).write.auditLogFailed);
    }
    logFailure(log, error, { auditId: correlationId, entryId: meta.entryId }, 'undo: failed');
    return renderError(error, { locale: meta.locale, correlationId });
  }
}
