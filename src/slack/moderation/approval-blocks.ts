import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { ApprovalState } from '../../approval/index.js';
import type { Sanction } from '../../moderation/sanction.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { approvalActionIds } from '../ids.js';
import { auditTime } from '../ui/audit-labels.js';
import type { SlackMessage } from '../ui/message.js';
import { actorMention, code, context, plain, section } from '../ui/text.js';
import { confirmationText } from './report.js';

/**
 * The approval request's channel message: who asks, exactly what will happen (the confirmation's own line — action,
 * scope, duration, reason, escaped — and every account), until when, and Approve / Reject. Once decided, the same
 * message with the outcome in place of the buttons.
 */

const when = (ms: number) => auditTime(new Date(ms).toISOString());

function whatBlocks(state: ApprovalState, sanction: Sanction, locale: Locale): KnownBlock[] {
  const m = messages(locale);
  const blocks: KnownBlock[] = [
    section(m.approval.heading(actorMention(state.requester))),
    section(confirmationText(sanction, locale, undefined)),
    section(m.moderation.accountList(sanction.accids.map((accid) => code(accid, 40)).join(' '))),
  ];
  if (sanction.kind === 'block' && sanction.kickNotifyExt)
    blocks.push(context(m.moderation.deviceMessage(code(sanction.kickNotifyExt, 300))));
  return blocks;
}

export function approvalRequestMessage(state: ApprovalState, sanction: Sanction, locale: Locale): SlackMessage {
  const m = messages(locale).approval;
  const buttons: ActionsBlock = {
    type: 'actions',
    block_id: `approval:${state.id}`.slice(0, 255),
    elements: [
      { type: 'button', action_id: approvalActionIds.approve, text: plain(m.approve, 75), value: state.id, style: 'primary' },
      { type: 'button', action_id: approvalActionIds.reject, text: plain(m.reject, 75), value: state.id, style: 'danger' },
    ],
  };
  return {
    text: `${m.heading(actorMention(state.requester))}: ${confirmationText(sanction, locale, undefined)}`.slice(0, 3000),
    blocks: [...whatBlocks(state, sanction, locale), context(m.expires(when(state.expiresAt))), buttons],
  };
}

/** The request's message once decided or expired: what was asked, and the outcome instead of the buttons. */
export function approvalOutcomeMessage(state: ApprovalState, sanction: Sanction, locale: Locale): SlackMessage {
  const m = messages(locale).approval;
  const at = when(state.decidedAt ?? state.expiresAt);
  const by = state.decidedBy ? actorMention(state.decidedBy) : '';
  const outcome = state.status === 'approved' ? m.approvedBy(by, at) : state.status === 'rejected' ? m.rejectedBy(by, at) : m.expiredAt(at);
  return { text: outcome, blocks: [...whatBlocks(state, sanction, locale), section(outcome)] };
}

/** What the requester is told when the request was rejected or expired (an approval is told with its report). */
export function approvalEndedMessage(state: ApprovalState, sanction: Sanction, locale: Locale): SlackMessage {
  const m = messages(locale).approval;
  const what = confirmationText(sanction, locale, undefined);
  const text =
    state.status === 'rejected' ? m.tellRejected(state.decidedBy ? actorMention(state.decidedBy) : '', what) : m.tellExpired(what);
  return { text, blocks: [section(text)] };
}
