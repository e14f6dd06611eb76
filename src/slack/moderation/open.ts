import type { RespondFn, webApi } from '@slack/bolt';
import type { AuditTarget } from '../../audit/index.js';
import type { AppLogger } from '../../logger.js';
import { ACCOUNT_FILE_MAX_BYTES, accountList } from '../../moderation/batch/account-list.js';
import { showBatchConfirmation } from './batch-open.js';
import { sanctionNeedsApproval } from './needs-approval.js';
import {
  DEFAULT_BULK_MAX,
  isRestrictive,
  MAX_ACCOUNTS,
  sanctionProblems,
  type Sanction,
  type SanctionKind,
} from '../../moderation/sanction.js';
import { protectedDecision } from '../../policy/protected.js';
import { renderRefusal } from '../ui/refusal.js';
import { section } from '../ui/text.js';
import { openGuardedModal, refuse, type Attempt } from '../interaction/admit.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { noticeView } from '../ui/modal.js';
import { sealMetadata } from '../interaction/sealed-metadata.js';
import { moderationConfirmMetadata, moderationFormMetadata, type ModerationConfirmMetadata } from '../interaction/modal-metadata.js';
import { moderationConfirmView, moderationFormView, type ModerationPrefill } from './views.js';
import { type WriteDeps } from '../interaction/deps.js';
import { updateModal } from '../interaction/modal-reply.js';

/**
 * Opening a mute, unmute, block or unblock, from a button or a command: the modal opens at once (loading) while the
 * moderate permission is checked (a refusal is audited and shown), then either the one confirmation, when everything
 * is known and valid, or the form prefilled with what is known.
 */

export type ModerationStart = {
  kind: SanctionKind;
  userId: string;
  /** Where the person started: the report is also posted there. */
  channelId: string | undefined;
  triggerId: string;
  /** How the person asked, for the audit trail: `/im-mute`, `Mute… button`. */
  command: string;
  prefill: ModerationPrefill & { accids: readonly string[] };
  /** Everything needed was given: go straight to the confirmation (if it is valid). */
  confirm: boolean;
  respond: RespondFn;
  client: webApi.WebClient;
  correlationId: string;
  log: AppLogger;
};

export async function openModeration(deps: WriteDeps, start: ModerationStart): Promise<void> {
  const { kind, client, log } = start;
  const attempt: Attempt = {
    action: kind,
    command: start.command,
    target: targetOf(start.prefill.accids),
    accounts: start.prefill.accids,
    id: start.correlationId,
  };
  const opened = await openGuardedModal(deps, { ...start, attempt });
  if (!opened) return;
  const { viewId } = opened;
  const { locale } = opened.admitted;
  const base = { viewId, user: start.userId, locale, command: start.command.slice(0, 64), ...channelOf(start.channelId) };
  if (start.confirm && start.prefill.accids.length > MAX_ACCOUNTS) {
    // More than one confirmation carries: a batch, with the ids that are not accounts set aside and listed.
    const list = accountList(start.prefill.accids);
    const sanction: Sanction = { kind, accids: list.accids, reason: start.prefill.reason ?? '', ...sanctionExtras(kind, start.prefill) };
    if (sanctionProblems(sanction, deps.bulkMax ?? DEFAULT_BULK_MAX).length === 0) {
      if (await refusedAsProtected(deps, { userId: start.userId, attempt, sanction, locale, log })) {
        const refusal = renderRefusal({ reason: 'protected_account', accids: protectedHits(deps, sanction) }, locale);
        await updateModal(client, viewId, noticeView(locale, 'refused', refusal), log);
        return;
      }
      await showBatchConfirmation(deps, {
        batches: deps.batches,
        sanction,
        list,
        userId: start.userId,
        command: start.command,
        base,
        correlationId: start.correlationId,
        client,
        log,
      });
      return;
    }
  }
  if (start.confirm) {
    const sanction: Sanction = {
      kind,
      accids: [...start.prefill.accids],
      reason: start.prefill.reason ?? '',
      ...sanctionExtras(kind, start.prefill),
    };
    if (sanctionProblems(sanction).length === 0) {
      if (await refusedAsProtected(deps, { userId: start.userId, attempt, sanction, locale, log })) {
        const refusal = renderRefusal({ reason: 'protected_account', accids: protectedHits(deps, sanction) }, locale);
        await updateModal(client, viewId, noticeView(locale, 'refused', refusal), log);
        return;
      }
      await showConfirmation(deps, { viewId, client, log, sanction, meta: { kind: 'moderation_confirm', ...base, sanction } });
      return;
    }
  }
  const privateMetadata = sealMetadata(deps.metadataKey, moderationFormMetadata.parse({ kind: 'moderation_form', ...base, action: kind }));
  const attachFile = deps.readAttachedFile
    ? { maxAccounts: deps.bulkMax ?? DEFAULT_BULK_MAX, maxBytes: ACCOUNT_FILE_MAX_BYTES }
    : undefined;
  const form = moderationFormView({ kind, locale, prefill: start.prefill, privateMetadata, ...(attachFile ? { attachFile } : {}) });
  await updateModal(client, viewId, form, log);
}

/** The confirmation view for a valid sanction, or, when it cannot be sealed within Slack's limit, a notice saying so. */
export async function showConfirmation(
  deps: WriteDeps,
  input: { viewId: string; client: webApi.WebClient; log: AppLogger; sanction: Sanction; meta: ModerationConfirmMetadata },
): Promise<void> {
  const view = confirmationView(deps, input.sanction, input.meta);
  await updateModal(input.client, input.viewId, view, input.log);
}

/** The confirmation for `response_action: update` or views.update. */
export function confirmationView(deps: WriteDeps, sanction: Sanction, meta: ModerationConfirmMetadata) {
  const now = (deps.now ?? Date.now)();
  let privateMetadata: string;
  try {
    privateMetadata = sealMetadata(deps.metadataKey, moderationConfirmMetadata.parse(meta), { compress: true });
  } catch {
    const text = messages(meta.locale).moderation.tooManyToConfirm;
    return noticeView(meta.locale, 'error', { text, blocks: [section(text)] });
  }
  return moderationConfirmView({
    sanction,
    locale: meta.locale,
    now,
    scheduled: deps.liftSchedule !== undefined,
    privateMetadata,
    needsApproval: sanctionNeedsApproval(deps, sanction),
  });
}

/** The protected accounts a restrictive sanction names (IM_PROTECTED_ACCIDS). */
function protectedHits(deps: WriteDeps, sanction: Sanction): string[] {
  const decision = protectedDecision(sanction.accids, deps.access.protectedAccids);
  return !decision.allowed && decision.refusal.reason === 'protected_account' ? [...decision.refusal.accids] : [];
}

/** Refuses (audited) a mute or block naming a protected account; true when it did. Nothing is sent for any account. */
export async function refusedAsProtected(
  deps: WriteDeps,
  input: { userId: string; attempt: Attempt; sanction: Sanction; locale: Locale; log: AppLogger },
): Promise<boolean> {
  if (!isRestrictive(input.sanction.kind)) return false;
  const hits = protectedHits(deps, input.sanction);
  if (hits.length === 0) return false;
  await refuse(deps, input.userId, input.attempt, { reason: 'protected_account', accids: hits }, input.locale, input.log);
  return true;
}

/** The audit target of a bulk action: the first account, and how many more. */
export function targetOf(accids: readonly string[]): AuditTarget {
  const first = accids[0] ?? '(none)';
  return { accid: (accids.length > 1 ? `${first} (+${accids.length - 1})` : first).slice(0, 128) };
}

export function sanctionExtras(kind: SanctionKind, prefill: ModerationPrefill): Partial<Sanction> {
  if (kind === 'mute')
    return {
      ...(prefill.scope ? { scope: prefill.scope } : { scope: 'everywhere' as const }),
      ...(prefill.duration ? { duration: prefill.duration } : {}),
    };
  if (kind === 'block')
    return { needkick: prefill.needkick ?? false, ...(prefill.kickNotifyExt ? { kickNotifyExt: prefill.kickNotifyExt } : {}) };
  return {};
}

function channelOf(channelId: string | undefined): { channel?: string } {
  return channelId && /^[CDG][A-Z0-9]{2,}$/.test(channelId) ? { channel: channelId } : {};
}
