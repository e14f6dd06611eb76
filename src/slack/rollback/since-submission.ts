import type { App } from '@slack/bolt';
import { noteFailure } from '../../metrics/outcome.js';
import { previewRollback } from '../../undo/rollback-load.js';
import { messages } from '../i18n/catalog.js';
import { callbackIds, INPUT_ACTION_ID, rollbackBlocks } from '../ids.js';
import type { WriteDeps } from '../interaction/deps.js';
import { updateModal } from '../interaction/modal-reply.js';
import { onSubmission } from '../interaction/on-submission.js';
import { sealMetadata } from '../interaction/sealed-metadata.js';
import { chosenOption, type SubmittedValues } from '../interaction/submitted.js';
import { renderError } from '../ui/errors.js';
import { loadingView, noticeView } from '../ui/modal.js';
import { admitRollbackInModal, ROLLBACK_COMMAND } from './admit-rollback.js';
import { rollbackNeedsApproval } from './approval-kind.js';
import { rollbackConfirmMetadata, rollbackSinceMetadata, type RollbackConfirmMetadata } from './metadata.js';
import { periods, rollbackPreviewView, type Period } from './views.js';

/** "Since" as chosen: the date and time when one is picked, else the period back from now; undefined if in the future. */
export function sinceOf(values: SubmittedValues, now: number): number | undefined {
  const picked = values[rollbackBlocks.at]?.[INPUT_ACTION_ID]?.selected_date_time;
  if (typeof picked === 'number') return picked * 1000 <= now ? picked * 1000 : undefined;
  const period = chosenOption(values, rollbackBlocks.period);
  return now - periods[period && period in periods ? (period as Period) : '1h'];
}

/**
 * "Since" submitted: checked afresh, then the preview is built from the audit store and the accounts as they are now
 * (N changes over M accounts, what each undo sets, what is skipped) and shown in place of the form.
 */
export function registerRollbackSince(app: App, deps: WriteDeps): void {
  onSubmission(
    app,
    deps,
    { callbackId: callbackIds.rollbackSince, metadata: rollbackSinceMetadata, action: 'update_user_card', command: ROLLBACK_COMMAND },
    async ({ ack, submission, meta, client, correlationId, log }) => {
      const now = (deps.now ?? Date.now)();
      const since = sinceOf(submission.view.state.values, now);
      if (since === undefined) {
        await ack({ response_action: 'errors', errors: { [rollbackBlocks.at]: messages(meta.locale).rollback.atInFuture } });
        return;
      }
      await ack({ response_action: 'update', view: loadingView(meta.locale) });
      const viewId = submission.view.id;
      const admitted = await admitRollbackInModal(deps, { userId: meta.user, actor: meta.actor, correlationId, log, client, viewId });
      if (!admitted) return;
      try {
        const plan = await previewRollback(deps.trail.store, deps.nim, {
          actor: meta.actor,
          since,
          until: now,
          protectedAccids: deps.access.protectedAccids,
          correlationId,
        });
        const next: RollbackConfirmMetadata = { ...meta, kind: 'rollback_confirm', since, until: now };
        const privateMetadata = sealMetadata(deps.metadataKey, rollbackConfirmMetadata.parse(next));
        const needsApproval = rollbackNeedsApproval(deps, plan);
        const view = rollbackPreviewView({ locale: meta.locale, plan, actor: meta.actor, since, privateMetadata, needsApproval });
        await updateModal(client, viewId, view, log);
      } catch (error) {
        noteFailure(error);
        log.warn({ err: error }, 'rollback: the preview could not be made');
        await updateModal(
          client,
          viewId,
          noticeView(meta.locale, 'error', renderError(error, { locale: meta.locale, correlationId })),
          log,
        );
      }
    },
  );
}
