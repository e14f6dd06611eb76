import type { App } from '@slack/bolt';
import { messages } from '../i18n/catalog.js';
import { callbackIds } from '../ids.js';
import { updateModal } from '../interaction/modal-reply.js';
import { firstTime } from '../interaction/once.js';
import { onSubmission } from '../interaction/on-submission.js';
import { section } from '../ui/text.js';
import type { SlackMessage } from '../ui/message.js';
import { closeOnlyView, loadingView, noticeView } from '../ui/modal.js';
import { renderRefusal } from '../ui/refusal.js';
import { admitRollback, ROLLBACK_COMMAND } from './admit-rollback.js';
import type { RollbackDeps } from './deps.js';
import { rollbackConfirmMetadata } from './metadata.js';
import { runRollbackInSlack } from './run.js';

/**
 * The preview confirmed: checked afresh (write and moderate), claimed at most once (a replayed or double submission
 * runs nothing), then run in the background with its progress and report in the modal.
 */
export function registerRollbackConfirm(app: App, deps: RollbackDeps): void {
  onSubmission(
    app,
    deps,
    { callbackId: callbackIds.rollbackConfirm, metadata: rollbackConfirmMetadata, action: 'update_user_card', command: ROLLBACK_COMMAND },
    async ({ ack, submission, meta, client, correlationId, log }) => {
      await ack({ response_action: 'update', view: loadingView(meta.locale) });
      const viewId = submission.view.id;
      const admission = await admitRollback(deps, { userId: meta.user, actor: meta.actor, correlationId, log });
      if ('refusal' in admission) {
        const refused = renderRefusal(admission.refusal, admission.locale, admission.handles);
        await updateModal(client, viewId, noticeView(admission.locale, 'refused', refused), log);
        return;
      }
      if (deps.approvals) {
        // A rollback cannot ask for approval yet, and its undos may be what IM_APPROVAL_FOR covers (undoing an unblock
        // blocks): refused, not run, while any approval is configured.
        const text = messages(meta.locale).approval.rollbackNeedsApproval;
        await updateModal(client, viewId, noticeView(meta.locale, 'refused', { text, blocks: [section(text)] }), log);
        return;
      }
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
      // In the background: the submission is answered now, the modal follows the run.
      void runRollbackInSlack(deps, { meta, viewId, client, rollbackId: correlationId, log });
    },
  );
}
