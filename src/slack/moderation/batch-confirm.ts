import type { App } from '@slack/bolt';
import { noteOutcome } from '../../metrics/outcome.js';
import { messages } from '../i18n/catalog.js';
import { callbackIds } from '../ids.js';
import { admit, type Attempt } from '../interaction/admit.js';
import type { WriteDeps } from '../interaction/deps.js';
import { moderationBatchConfirmMetadata } from '../interaction/modal-metadata.js';
import { updateModal } from '../interaction/modal-reply.js';
import { firstTime } from '../interaction/once.js';
import { onSubmission } from '../interaction/on-submission.js';
import { askApproval } from '../interaction/ask-approval.js';
import { closeOnlyView, loadingView, noticeView } from '../ui/modal.js';
import { renderRefusal } from '../ui/refusal.js';
import type { SlackMessage } from '../ui/message.js';
import { section } from '../ui/text.js';
import { batchProgressBlocks, sanctionOfBatch } from './batch-blocks.js';
import { batchApprovalKind, batchApprovalPayloadOf } from './batch-approval-kind.js';
import { sanctionNeedsApproval } from './needs-approval.js';
import { refusedAsProtected, targetOf } from './open.js';

/**
 * A batch's confirmation submitted: the modal turns into its progress at once (ack), the moderate permission and the
 * protected accounts are checked again, the submission is claimed at most once, then the stored draft starts in the background, once (BatchService.confirm).
 * From then on the modal shows its progress with Stop (BatchEvents), and the audit channel its one message. When
 * IM_APPROVAL_FOR covers it, the same checks lead to a request instead (the draft's kind): nothing runs until approved.
 */
export function registerBatchConfirm(app: App, deps: WriteDeps): void {
  onSubmission(
    app,
    deps,
    {
      callbackId: callbackIds.moderationBatchConfirm,
      metadata: moderationBatchConfirmMetadata,
      action: 'mute',
      command: 'moderation confirmation',
    },
    async ({ ack, submission, meta, client, correlationId, log }) => {
      const { locale } = meta;
      const m = messages(locale);
      const draft = await deps.batches.stored(meta.batch).catch(() => undefined);
      if (!draft || draft.state !== 'draft') {
        const text = m.moderation.batch.cannotContinue;
        await ack({ response_action: 'update', view: noticeView(locale, 'already_done', { text, blocks: [section(text)] }) });
        return;
      }
      const now = (deps.now ?? Date.now)();
      const sanction = sanctionOfBatch(draft);
      const asks = deps.approvals !== undefined && sanctionNeedsApproval(deps, sanction);
      const working = closeOnlyView(locale, m.moderation.workingTitle, batchProgressBlocks({ ...draft, state: 'running' }, locale, now));
      await ack({ response_action: 'update', view: asks ? loadingView(locale) : working });
      const userId = submission.user.id;
      const attempt: Attempt = { action: sanction.kind, command: meta.command, target: targetOf(sanction.accids), id: correlationId };
      const show = (view: Parameters<typeof updateModal>[2]) => updateModal(client, meta.viewId, view, log);
      const admission = await admit(deps, userId, attempt, log);
      if ('refusal' in admission) {
        await show(noticeView(locale, 'refused', renderRefusal(admission.refusal, locale, admission.handles)));
        return;
      }
      if (await refusedAsProtected(deps, { userId, attempt, sanction, locale, log })) {
        const hits = sanction.accids.filter((accid) => deps.access.protectedAccids.includes(accid.toLowerCase()));
        await show(noticeView(locale, 'refused', renderRefusal({ reason: 'protected_account', accids: hits }, locale)));
        return;
      }
      // At most once, like every confirmation: a double submit or a replay neither posts a second request for the draft
      // nor starts it twice.
      const once = { kind: 'submission', viewId: submission.view.id, hash: submission.view.hash } as const;
      const deliver = (message: SlackMessage) => show(noticeView(locale, 'already_done', message));
      if (!(await firstTime(deps.trail, once, correlationId, { locale, log, deliver }))) return;
      if (asks && deps.approvals) {
        // The draft becomes the request: nothing runs until someone else approves it.
        try {
          const payload = batchApprovalPayloadOf(draft, sanction, locale, meta.channel);
          const view = await askApproval(deps.approvals, batchApprovalKind(deps), {
            id: correlationId,
            requester: userId,
            action: sanction.kind,
            payload,
            now,
            client,
            log,
          });
          log.info(
            { approval: correlationId, batch: draft.id, accounts: sanction.accids.length },
            'batch: approval requested; nothing sent',
          );
          await show(view);
        } catch (error) {
          noteOutcome('audit_error');
          log.error({ err: error, batch: draft.id }, 'batch: the approval request could not be stored (nothing sent)');
          const text = m.write.auditLogFailed;
          await show(noticeView(locale, 'error', { text, blocks: [section(text)] }));
        }
        return;
      }
      try {
        if (!(await deps.batches.confirm(draft.id, userId))) {
          const text = m.moderation.batch.cannotContinue;
          await show(noticeView(locale, 'already_done', { text, blocks: [section(text)] }));
        }
      } catch (error) {
        noteOutcome('audit_error');
        log.error({ err: error, batch: draft.id }, 'batch: could not be started (nothing sent)');
        const text = m.moderation.readFailed;
        await show(noticeView(locale, 'error', { text, blocks: [section(text)] }));
      }
    },
  );
}
