import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { ApprovalState } from '../../approval/index.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { approvalActionIds } from '../ids.js';
import { auditTime } from './audit-labels.js';
import type { SlackMessage } from './message.js';
import { actorMention, context, plain, section } from './text.js';

/**
 * An approval request's channel message: who asks, exactly what will happen (the kind's description), until when, and
 * Approve / Reject. Once decided, the same message with the outcome in place of the buttons. Whatever the kind.
 */

/** Exactly what will happen, as the request's message shows it (escaped and masked like the rest of the app). */
export type ApprovalDescription = {
  /** One line (the confirmation's own words): the notification text and what the requester is reminded of. */
  line: string;
  /** The detail under the heading: every account, every field before → after. */
  blocks: KnownBlock[];
};

/** Where an approval request's channel message is written in: the audit channel's language (it is shared). */
export const CHANNEL_LOCALE: Locale = 'en';

const when = (ms: number) => auditTime(new Date(ms).toISOString());

function whatBlocks(state: ApprovalState, what: ApprovalDescription, locale: Locale): KnownBlock[] {
  return [section(messages(locale).approval.heading(actorMention(state.requester))), ...what.blocks];
}

export function approvalRequestMessage(state: ApprovalState, what: ApprovalDescription, locale: Locale): SlackMessage {
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
    text: `${m.heading(actorMention(state.requester))}: ${what.line}`.slice(0, 3000),
    blocks: [...whatBlocks(state, what, locale), context(m.expires(when(state.expiresAt))), buttons],
  };
}

export type ApprovedHow = { started?: boolean } | { notCarriedOut: string; failed?: boolean };

/** The request's message once decided or expired: what was asked, and the outcome instead of the buttons. */
export function approvalOutcomeMessage(
  state: ApprovalState,
  what: ApprovalDescription,
  locale: Locale,
  /**
   * How an approved one went: `started` (a long run, whose own report says how it ends), or not carried out and why
   * (escaped; `failed` when its run threw, so nothing is claimed about what was sent).
   */
  how: ApprovedHow = {},
): SlackMessage {
  const m = messages(locale).approval;
  const at = when(state.decidedAt ?? state.expiresAt);
  const by = state.decidedBy ? actorMention(state.decidedBy) : '';
  const approved =
    'notCarriedOut' in how
      ? m.approvedNotRun(by, at, how.notCarriedOut, how.failed ? m.seeTrail : m.nothingSent)
      : how.started
        ? m.approvedStarted(by, at)
        : m.approvedBy(by, at);
  const outcome = state.status === 'approved' ? approved : state.status === 'rejected' ? m.rejectedBy(by, at) : m.expiredAt(at);
  return { text: outcome, blocks: [...whatBlocks(state, what, locale), section(outcome)] };
}

/** What the requester is told when the request was rejected or expired (an approval is told with its report). */
export function approvalEndedMessage(state: ApprovalState, what: ApprovalDescription, locale: Locale): SlackMessage {
  const m = messages(locale).approval;
  const withdrawn = state.status === 'rejected' && (!state.decidedBy || state.decidedBy === state.requester);
  const text = withdrawn
    ? m.tellWithdrawn(what.line)
    : state.status === 'rejected'
      ? m.tellRejected(actorMention(state.decidedBy ?? ''), what.line)
      : m.tellExpired(what.line);
  return { text, blocks: [section(text)] };
}

/** An approved request's report as the requester gets it: who approved it, then the report itself. */
export function withApprovedBy(message: SlackMessage, approvedBy: string, locale: Locale): SlackMessage {
  const line = messages(locale).approval.tellApproved(actorMention(approvedBy));
  return { text: `${line} ${message.text}`.slice(0, 3000), blocks: [section(line), ...message.blocks].slice(0, 50) };
}
