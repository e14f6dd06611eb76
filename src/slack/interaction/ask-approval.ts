import type { webApi } from '@slack/bolt';
import { requestApproval, type ApprovalState } from '../../approval/index.js';
import type { AppLogger } from '../../logger.js';
import { permissionFor } from '../../policy/permissions.js';
import { messages } from '../i18n/catalog.js';
import { approvalRequestMessage, CHANNEL_LOCALE } from '../ui/approval-message.js';
import type { SlackMessage } from '../ui/message.js';
import { closeOnlyView } from '../ui/modal.js';
import { section } from '../ui/text.js';
import type { ApprovalKind, ApprovalPayloadBase } from './approval-kind.js';
import type { Approvals } from './deps.js';

type Ask<P> = {
  /** The confirmation's correlation id: the request's id, and so the prefix of every entry it leads to. */
  id: string;
  requester: string;
  /** The action's name for people and the App Home: `mute`, `update_user_card`… */
  action: string;
  payload: P;
  now: number;
  client: webApi.WebClient;
  log: AppLogger;
};

/**
 * The requester confirmed a change that needs a second person: the request is stored (durably, before anything is
 * posted), posted with Approve and Reject, and its message remembered. Nothing is sent to NetEase. Returns the view
 * the requester's modal shows. Rejects when the payload is not its kind's shape or the store cannot keep it (then
 * nothing was posted).
 */
export async function askApproval<P extends ApprovalPayloadBase>(approvals: Approvals, kind: ApprovalKind, input: Ask<P>) {
  const told = await postApprovalRequest(approvals, kind, input);
  return closeOnlyView(input.payload.locale, messages(input.payload.locale).approval.requestedTitle, told.blocks);
}

/** As askApproval, for a form already closed or a command: returns what to tell the requester. */
export async function postApprovalRequest<P extends ApprovalPayloadBase>(
  approvals: Approvals,
  kind: ApprovalKind,
  input: Ask<P>,
): Promise<SlackMessage> {
  // Read back through the kind before it is stored: what is approved later is exactly what parses now.
  const read = kind.open(input.payload);
  if ('issues' in read) throw new Error(`approvals: a ${kind.kind} request does not match its schema (${read.issues[0]?.message ?? ''})`);
  // What an approver needs is the kind's attempts, checked each at the click; the stored permission only sums them up.
  const attempts = [read.opened.attempt, ...(read.opened.alsoAdmitFor ?? [])];
  const permission = attempts.some((each) => permissionFor(each.action) === 'moderate') ? 'moderate' : 'write';
  const state: ApprovalState = await requestApproval(
    approvals.store,
    { id: input.id, requester: input.requester, permission, action: input.action, payload: input.payload },
    { now: input.now, minutes: approvals.minutes },
  );
  const message = approvalRequestMessage(state, read.opened.describe(CHANNEL_LOCALE), CHANNEL_LOCALE);
  try {
    const posted = await input.client.chat.postMessage({ channel: approvals.channel, ...message });
    if (posted.ts) await approvals.store.setApprovalMessage(state.id, { channel: posted.channel ?? approvals.channel, ts: posted.ts });
  } catch (error) {
    // Stored: the App Home lists it and it expires on time, so a lost post leaves nothing half done.
    input.log.error({ err: error, approval: state.id }, 'approvals: could not post the request to its channel');
  }
  const text = messages(input.payload.locale).approval.requested(`<#${approvals.channel}>`, approvals.minutes);
  return { text, blocks: [section(text)] };
}
