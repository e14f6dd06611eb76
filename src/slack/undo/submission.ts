import type { App, webApi } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { needsApproval } from '../../approval/index.js';
import { AuditStoreError } from '../../audit/index.js';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import { prepareUndo } from '../../undo/prepare.js';
import { sealUndo } from '../../undo/sealed-undo.js';
import { messages } from '../i18n/catalog.js';
import { callbackIds } from '../ids.js';
import { admit } from '../interaction/admit.js';
import { askApproval } from '../interaction/ask-approval.js';
import { logFailure } from '../interaction/failure-log.js';
import { updateModal } from '../interaction/modal-reply.js';
import { firstTime, type OnceKey } from '../interaction/once.js';
import { onSubmission } from '../interaction/on-submission.js';
import type { SubmittedValues } from '../interaction/submitted.js';
import { renderError } from '../ui/errors.js';
import { closeOnlyView, loadingView } from '../ui/modal.js';
import { renderRefusal } from '../ui/refusal.js';
import type { SlackMessage } from '../ui/message.js';
import { undoApprovalKind, undoApprovalPayloadOf } from './approval-kind.js';
import { carryOutUndo, type UndoDeps } from './carry-out.js';
import { chosenSend } from './chosen-send.js';
import { undoConfirmMetadata, type UndoConfirmMetadata } from './metadata.js';
import { note, preparationNotice } from './notices.js';
import { refusedAsProtectedUndo } from './protected-refusal.js';

const COMMAND = 'undo confirmation';

/**
 * The confirmation submitted: the permission is checked again, the submission claimed at most once, the account read
 * again. Sent only if nothing changed since, or, for what did, only what the person chose to overwrite; a value that
 * changed after the confirmation opened sends nothing. The undo is its own audited change (`undoes` the original).
 * Under IM_APPROVAL_FOR (`undo`, or the action the undo performs) the same choice becomes a request instead, sealed
 * with the account as it is now; nothing is sent until someone else approves.
 */
export function registerUndoConfirm(app: App, deps: UndoDeps): void {
  onSubmission(
    app,
    deps,
    { callbackId: callbackIds.undoConfirm, metadata: undoConfirmMetadata, action: 'update_user_card', command: COMMAND },
    async ({ ack, submission, meta, client, correlationId, log }) => {
      await ack({ response_action: 'update', view: loadingView(meta.locale) });
      const once: OnceKey = { kind: 'submission', viewId: submission.view.id, hash: submission.view.hash };
      const answer = await confirmed(deps, { meta, values: submission.view.state.values, client, correlationId, log, once });
      if ('view' in answer) {
        await updateModal(client, submission.view.id, answer.view, log);
        return;
      }
      const title = answer.done ? messages(meta.locale).undo.doneTitle : messages(meta.locale).undo.title;
      await updateModal(client, submission.view.id, closeOnlyView(meta.locale, title, answer.blocks), log);
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

async function confirmed(deps: UndoDeps, input: Confirmed): Promise<(SlackMessage & { done?: boolean }) | { view: ModalView }> {
  const { meta, correlationId, log } = input;
  const u = messages(meta.locale).undo;
  const item = await deps.trail.store.entry(meta.entryId);
  if (!item || item.kind !== 'update') return note(u.unknownEntry);
  const attempt = { action: meta.action, command: COMMAND, target: item.intent.target, id: correlationId };
  const admission = await admit(deps, meta.user, attempt, log);
  if ('refusal' in admission) return renderRefusal(admission.refusal, admission.locale, admission.handles);
  const undo = { action: meta.action, target: item.intent.target };
  const protectedRefusal = await refusedAsProtectedUndo(deps, { userId: meta.user, attempt, undo, locale: meta.locale, log });
  if (protectedRefusal) return renderRefusal(protectedRefusal.refusal, protectedRefusal.locale, protectedRefusal.handles);
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
    const chosen = chosenSend(prep, { meta, values: input.values, log });
    if ('message' in chosen) return chosen.message;
    const approvals = deps.approvals;
    if (approvals && needsApproval(approvals.policy, { kind: 'undo', action: prep.inverse.action })) {
      const payload = undoApprovalPayloadOf({
        locale: meta.locale,
        channel: meta.channel,
        undo: sealUndo(meta.entryId, prep, chosen.send),
        original: item.intent,
      });
      const view = await askApproval(approvals, undoApprovalKind(deps), {
        id: correlationId,
        requester: meta.user,
        action: 'undo',
        payload,
        now: (deps.now ?? Date.now)(),
        client: input.client,
        log,
      });
      log.info({ approval: correlationId, undoes: meta.entryId }, 'undo: approval requested; nothing sent');
      return { view };
    }
    return await carryOutUndo(deps, {
      inverse: prep.inverse,
      state: prep.state,
      send: chosen.send,
      actor: meta.user,
      command: COMMAND,
      id: correlationId,
      locale: meta.locale,
      client: input.client,
      log,
    });
  } catch (error) {
    noteFailure(error);
    if (error instanceof AuditStoreError) {
      log.error({ err: error }, 'undo: the approval request could not be stored; nothing sent');
      return note(messages(meta.locale).write.auditLogFailed);
    }
    logFailure(log, error, { auditId: correlationId, entryId: meta.entryId }, 'undo: failed');
    return renderError(error, { locale: meta.locale, correlationId });
  }
}
