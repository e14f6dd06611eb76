import type { App, webApi } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import { previewRollback } from '../../undo/rollback-load.js';
import { messages } from '../i18n/catalog.js';
import { callbackIds } from '../ids.js';
import { askApproval } from '../interaction/ask-approval.js';
import { updateModal } from '../interaction/modal-reply.js';
import { firstTime } from '../interaction/once.js';
import { onSubmission } from '../interaction/on-submission.js';
import { renderError } from '../ui/errors.js';
import type { SlackMessage } from '../ui/message.js';
import { closeOnlyView, loadingView, noticeView } from '../ui/modal.js';
import { admitRollbackInModal, ROLLBACK_COMMAND } from './admit-rollback.js';
import { rollbackApprovalKind, rollbackNeedsApproval, type RollbackApprovalPayload } from './approval-kind.js';
import type { RollbackDeps } from './deps.js';
import { rollbackConfirmMetadata, type RollbackConfirmMetadata } from './metadata.js';
import { previewItemsOf } from './preview-items.js';
import { runRollbackInSlack, type RollbackScreen } from './run.js';

/**
 * The preview confirmed: checked afresh (write and moderate), claimed at most once (a replayed or double submission
 * runs nothing), then run in the background with its progress and report in the modal. When IM_APPROVAL_FOR covers
 * it (`rollback`, or what any of its undos performs), the previewed changes become a request instead: nothing is sent
 * until someone else approves.
 */
export function registerRollbackConfirm(app: App, deps: RollbackDeps): void {
  onSubmission(
    app,
    deps,
    { callbackId: callbackIds.rollbackConfirm, metadata: rollbackConfirmMetadata, action: 'update_user_card', command: ROLLBACK_COMMAND },
    async ({ ack, submission, meta, client, correlationId, log }) => {
      await ack({ response_action: 'update', view: loadingView(meta.locale) });
      const viewId = submission.view.id;
      const admitted = await admitRollbackInModal(deps, { userId: meta.user, actor: meta.actor, correlationId, log, client, viewId });
      if (!admitted) return;
      let answered: SlackMessage | undefined;
      const once = { kind: 'submission', viewId, hash: submission.view.hash } as const;
      const first = await firstTime(deps.trail, once, correlationId, {
        locale: meta.locale,
        log,
        deliver: (message) => Promise.resolve((answered = message)),
      });
      if (!first) {
        const title = messages(meta.locale).rollback.title;
        await updateModal(client, viewId, closeOnlyView(meta.locale, title, answered?.blocks ?? []), log);
        return;
      }
      if (deps.approvals) {
        const requested = await requestIfNeeded(deps, { meta, correlationId, client, log });
        if (requested) {
          await updateModal(client, viewId, requested, log);
          return;
        }
      }
      const { locale } = meta;
      const screen: RollbackScreen = {
        progress: (title, blocks) => updateModal(client, viewId, closeOnlyView(locale, title, blocks), log),
        report: (title, blocks) => updateModal(client, viewId, closeOnlyView(locale, title, blocks), log),
        failed: (message) => updateModal(client, viewId, noticeView(locale, 'error', message), log),
      };
      const run = { lead: meta.user, actor: meta.actor, since: meta.since, until: meta.until, locale, rollbackId: correlationId };
      // In the background: the submission is answered now, the modal follows the run.
      void runRollbackInSlack(deps, { run, screen, log });
    },
  );
}

/**
 * Under IM_APPROVAL_FOR: the preview is made again (the same changes, up to the preview's time) and, if the policy
 * covers it, stored and posted as a request. The view to show then; undefined when no approval is needed.
 */
async function requestIfNeeded(
  deps: RollbackDeps,
  input: { meta: RollbackConfirmMetadata; correlationId: string; client: webApi.WebClient; log: AppLogger },
): Promise<ModalView | undefined> {
  const { meta, correlationId, client, log } = input;
  const approvals = deps.approvals!;
  try {
    const { actor, since, until } = meta;
    const plan = await previewRollback(deps.trail.store, deps.nim, {
      actor,
      since,
      until,
      protectedAccids: deps.access.protectedAccids,
      correlationId,
    });
    if (!rollbackNeedsApproval(deps, plan) || plan.steps.length === 0) return undefined;
    const payload: RollbackApprovalPayload = {
      kind: 'rollback',
      locale: meta.locale,
      actor,
      since,
      until,
      accounts: plan.accounts,
      items: previewItemsOf(plan),
    };
    const view = await askApproval(approvals, rollbackApprovalKind(deps), {
      id: correlationId,
      requester: meta.user,
      action: 'rollback',
      payload,
      now: (deps.now ?? Date.now)(),
      client,
      log,
    });
    log.info({ approval: correlationId, actor, changes: plan.steps.length }, 'rollback: approval requested; nothing sent');
    return view;
  } catch (error) {
    noteFailure(error);
    log.error({ err: error }, 'rollback: the approval request could not be made; nothing sent');
    return noticeView(meta.locale, 'error', renderError(error, { locale: meta.locale, correlationId }));
  }
}
