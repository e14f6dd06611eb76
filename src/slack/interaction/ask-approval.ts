import type { webApi } from '@slack/bolt';
import { requestApproval, type ApprovalState } from '../../approval/index.js';
import { AuditStoreError } from '../../audit/store/contract.js';
import type { AppLogger } from '../../logger.js';
import { permissionFor } from '../../policy/permissions.js';
import { messages } from '../i18n/catalog.js';
import { approvalRequestMessage, CHANNEL_LOCALE } from '../ui/approval-message.js';
import type { SlackMessage } from '../ui/message.js';
import { closeOnlyView, noticeView } from '../ui/modal.js';
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
 * the requester's modal shows: when the store could not keep the request, that it was not stored, nothing is pending
 * and to try again (the form the submission came from is closed or replaced by then, so trying again is a new form
 * with a key of its own, never "already done"). Rejects when the payload is not its kind's shape.
 */
export async function askApproval<P extends ApprovalPayloadBase>(approvals: Approvals, kind: ApprovalKind, input: Ask<P>) {
  const { told, stored } = await storeAndPost(approvals, kind, input);
  const { locale } = input.payload;
  if (!stored) return noticeView(locale, 'error', told);
  return closeOnlyView(locale, messages(locale).approval.requestedTitle, told.blocks);
}

/** As askApproval, for a form already closed or a command: returns what to tell the requester. */
export async function postApprovalRequest<P extends ApprovalPayloadBase>(
  approvals: Approvals,
  kind: ApprovalKind,
  input: Ask<P>,
): Promise<SlackMessage> {
  return (await storeAndPost(approvals, kind, input)).told;
}

async function storeAndPost<P extends ApprovalPayloadBase>(
  approvals: Approvals,
  kind: ApprovalKind,
  input: Ask<P>,
): Promise<{ told: SlackMessage; stored: boolean }> {
  // Read back through the kind before it is stored: what is approved later is exactly what parses now.
  const read = kind.open(input.payload);
  if ('issues' in read) throw new Error(`approvals: a ${kind.kind} request does not match its schema (${read.issues[0]?.message ?? ''})`);
  // What an approver needs is the kind's attempts, checked each at the click; the stored permission only sums them up.
  const attempts = [read.opened.attempt, ...(read.opened.alsoAdmitFor ?? [])];
  const permission = attempts.some((each) => permissionFor(each.action) === 'moderate') ? 'moderate' : 'write';
  let state: ApprovalState;
  try {
    state = await requestApproval(
      approvals.store,
      { id: input.id, requester: input.requester, permission, action: input.action, payload: input.payload },
      { now: input.now, minutes: approvals.minutes },
    );
  } catch (error) {
    if (!(error instanceof AuditStoreError)) throw error;
    input.log.error({ err: error, approval: input.id }, 'approvals: the request could not be stored; nothing posted, nothing sent');
    const text = messages(input.payload.locale).approval.notStored;
    return { told: { text: text.replace(/^:x: /, ''), blocks: [section(text)] }, stored: false };
  }
  const message = approvalRequestMessage(state, read.opened.describe(CHANNEL_LOCALE), CHANNEL_LOCALE);
  try {
    const posted = await input.client.chat.postMessage({ channel: approvals.channel, ...message });
    if (posted.ts) await approvals.store.setApprovalMessage(state.id, { channel: posted.channel ?? approvals.channel, ts: posted.ts });
  } catch (error) {
    // Stored: the App Home lists it and it expires on time, so a lost post leaves nothing half done.
    input.log.error({ err: error, approval: state.id }, 'approvals: could not post the request to its channel');
  }
  const text = messages(input.payload.locale).approval.requested(`<#${approvals.channel}>`, approvals.minutes);
  return { told: { text, blocks: [section(text)] }, stored: true };
}
