import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { needsApproval, requestApproval, type ApprovalState } from '../../approval/index.js';
import type { AppLogger } from '../../logger.js';
import { sanctionSchema, type Sanction } from '../../moderation/sanction.js';
import { messages, type Locale } from '../i18n/catalog.js';
import type { Approvals, WriteDeps } from '../interaction/deps.js';
import { closeOnlyView } from '../ui/modal.js';
import { section } from '../ui/text.js';
import { approvalRequestMessage } from './approval-blocks.js';

/**
 * What an approved moderation request runs: the sanction exactly as the requester confirmed it, how they asked, and
 * where to tell them. Sealed into the store at the request and parsed again when it runs.
 */
export const moderationApprovalPayload = z.object({
  kind: z.literal('moderation'),
  sanction: sanctionSchema,
  command: z.string().max(200),
  locale: z.enum(['en', 'zh-CN']),
  channel: z.string().max(32).optional(),
});
export type ModerationApprovalPayload = z.infer<typeof moderationApprovalPayload>;

/** Whether IM_APPROVAL_FOR asks a second person for this sanction (its action, or more accounts than bulk>N). */
export function sanctionNeedsApproval(deps: Pick<WriteDeps, 'approvals'>, sanction: Sanction): boolean {
  const subject = { kind: 'change', action: sanction.kind, accounts: sanction.accids.length } as const;
  return deps.approvals !== undefined && needsApproval(deps.approvals.policy, subject);
}

/** Where an approval request's channel message is written in (the channel's readers, not the requester). */
export const CHANNEL_LOCALE: Locale = 'en';

/**
 * The requester confirmed an action that needs a second person: the request is stored (durably, before anything is
 * posted), posted with Approve and Reject, and its message remembered. Nothing is sent to NetEase. Returns the view
 * the requester's modal shows. Rejects when the store cannot keep it (then nothing was posted).
 */
export async function requestModerationApproval(
  approvals: Approvals,
  input: {
    id: string;
    requester: string;
    sanction: Sanction;
    command: string;
    locale: Locale;
    channel?: string | undefined;
    now: number;
    client: webApi.WebClient;
    log: AppLogger;
  },
) {
  const payload: ModerationApprovalPayload = {
    kind: 'moderation',
    sanction: input.sanction,
    command: input.command,
    locale: input.locale,
    ...(input.channel ? { channel: input.channel } : {}),
  };
  const state: ApprovalState = await requestApproval(
    approvals.store,
    { id: input.id, requester: input.requester, permission: 'moderate', action: input.sanction.kind, payload },
    { now: input.now, minutes: approvals.minutes },
  );
  const message = approvalRequestMessage(state, input.sanction, CHANNEL_LOCALE);
  try {
    const posted = await input.client.chat.postMessage({ channel: approvals.channel, ...message });
    if (posted.ts) await approvals.store.setApprovalMessage(state.id, { channel: posted.channel ?? approvals.channel, ts: posted.ts });
  } catch (error) {
    // Stored: the App Home lists it and it expires on time, so a lost post leaves nothing half done.
    input.log.error({ err: error, approval: state.id }, 'approvals: could not post the request to its channel');
  }
  const m = messages(input.locale).approval;
  const text = m.requested(`<#${approvals.channel}>`, approvals.minutes);
  return closeOnlyView(input.locale, m.requestedTitle, [section(text)]);
}
