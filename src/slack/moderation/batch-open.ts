import type { webApi } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { AppLogger } from '../../logger.js';
import type { AccountList } from '../../moderation/batch/account-list.js';
import type { BatchService } from '../../moderation/batch/batch-service.js';
import type { Sanction } from '../../moderation/sanction.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { callbackIds } from '../ids.js';
import type { WriteDeps } from '../interaction/deps.js';
import { moderationBatchConfirmMetadata } from '../interaction/modal-metadata.js';
import { updateModal } from '../interaction/modal-reply.js';
import { sealMetadata } from '../interaction/sealed-metadata.js';
import { modalLimits } from '../ui/modal.js';
import { context, plain } from '../ui/text.js';
import { sanctionNeedsApproval } from './needs-approval.js';
import { batchConfirmationBlocks } from './batch-blocks.js';

/**
 * The confirmation of an action on more accounts than one confirmation can carry: the accounts are stored as a draft
 * batch (nothing runs), and the confirmation says how many, with the ids set aside listed first. Its metadata names
 * the draft only. When IM_APPROVAL_FOR covers it, its button asks for approval instead (the draft is then the request).
 */
export async function showBatchConfirmation(
  deps: WriteDeps,
  input: {
    batches: BatchService;
    sanction: Sanction;
    list: AccountList;
    userId: string;
    command: string;
    base: { viewId: string; user: string; locale: Locale; command: string; channel?: string };
    correlationId: string;
    client: webApi.WebClient;
    log: AppLogger;
  },
): Promise<void> {
  await updateModal(input.client, input.base.viewId, await batchConfirmationView(deps, input), input.log);
}

/** Stores the draft and returns its confirmation (for `response_action: update`, or views.update). */
export async function batchConfirmationView(
  deps: WriteDeps,
  input: {
    batches: BatchService;
    sanction: Sanction;
    list: AccountList;
    userId: string;
    command: string;
    base: { viewId: string; user: string; locale: Locale; command: string; channel?: string };
    correlationId: string;
  },
): Promise<ModalView> {
  const { sanction, base } = input;
  const { locale, viewId } = base;
  const asks = sanctionNeedsApproval(deps, sanction);
  const draft = await input.batches.prepare({
    id: input.correlationId,
    sanction,
    actor: input.userId,
    command: input.command,
    origin: { user: input.userId, locale, viewId, ...(base.channel ? { channel: base.channel } : {}) },
  });
  const meta = moderationBatchConfirmMetadata.parse({ kind: 'moderation_batch_confirm', ...base, batch: draft.id });
  const m = messages(locale);
  const view: ModalView = {
    type: 'modal',
    callback_id: callbackIds.moderationBatchConfirm,
    title: plain(m.moderation.confirmTitle, modalLimits.title),
    // Under IM_APPROVAL_FOR (the action, or more than bulk>N accounts) the draft becomes a request when submitted.
    submit: plain(asks ? m.approval.request : m.moderation.verb[sanction.kind], modalLimits.button),
    close: plain(m.modal.cancel, modalLimits.button),
    private_metadata: sealMetadata(deps.metadataKey, meta),
    blocks: [
      ...batchConfirmationBlocks({ sanction, list: input.list, locale, now: (deps.now ?? Date.now)() }),
      ...(asks ? [context(m.approval.needsNote)] : []),
    ],
  };
  return view;
}
