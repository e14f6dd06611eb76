import type { webApi } from '@slack/bolt';
import { recordEnded, type HowEnded } from '../../approval/ended-entries.js';
import type { ApprovalState } from '../../approval/index.js';
import type { AuditTrail } from '../../audit/index.js';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import { messages, type Locale } from '../i18n/catalog.js';
import type { NotCarriedOut, OpenedApproval } from '../interaction/approval-kind.js';
import { tellPerson } from '../interaction/modal-reply.js';
import { approvalEndedMessage, approvalOutcomeMessage, CHANNEL_LOCALE } from '../ui/approval-message.js';
import type { SlackMessage } from '../ui/message.js';
import { actorMention, section } from '../ui/text.js';
import { openStored, type ApprovalKinds } from './kinds.js';

/**
 * What follows a decision: an approved request runs once (its kind tells the requester with its report), a rejected
 * or expired one sends nothing and the requester is told; the request's message shows the outcome instead of its
 * buttons. An approved request its kind refused to carry out (changed since) is told to both people.
 */
export async function settleDecided(
  opened: OpenedApproval,
  input: {
    trail: AuditTrail;
    state: ApprovalState;
    client: webApi.WebClient;
    log: AppLogger;
    /** Answers the person who clicked, in their language. */
    tellApprover: (render: (locale: Locale) => SlackMessage) => Promise<void>;
  },
): Promise<void> {
  const { state, client, log } = input;
  log.info({ approval: state.id, status: state.status, requester: state.requester, by: state.decidedBy }, 'approvals: decided');
  let notRun: NotCarriedOut | undefined;
  if (state.status === 'approved' && state.decidedBy) {
    try {
      notRun = (await opened.run({ state, approvedBy: state.decidedBy, client, log })) ?? undefined;
    } catch (error) {
      noteFailure(error);
      log.error({ err: error, approval: state.id }, 'approvals: carrying out an approved request failed');
    }
    if (notRun) {
      const why = notRun.notCarriedOut;
      log.info({ approval: state.id }, 'approvals: approved, but its kind did not carry it out; nothing sent');
      await recordEntries(input.trail, opened, state, { status: 'not_carried_out', why: plainWords(why(CHANNEL_LOCALE)) }, log);
      await input.tellApprover((locale) => note(messages(locale).approval.approverNotRun(why(locale))));
      await tellRequester(opened, state, client, log, why);
    }
  } else {
    await recordEntries(input.trail, opened, state, { status: 'rejected' }, log);
    await tellRequester(opened, state, client, log);
  }
  await showOutcome(client, state, opened, log, notRun);
}

/** The audit trail's entries of a request that ended without its change; a store failure is logged (nothing was sent). */
async function recordEntries(trail: AuditTrail, opened: OpenedApproval, state: ApprovalState, how: HowEnded, log: AppLogger) {
  try {
    await recordEnded(trail, state, await opened.trail(), how);
  } catch (error) {
    noteFailure(error);
    log.error({ err: error, approval: state.id, status: how.status }, 'approvals: the entries of an ended request could not be stored');
  }
}

/** A sentence as the record keeps it: the trail's text is plain, escaped when shown. */
const plainWords = (text: string) => text.replace(/[`*]/g, '');

function note(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

async function tellRequester(
  opened: OpenedApproval,
  state: ApprovalState,
  client: webApi.WebClient,
  log: AppLogger,
  notRun?: NotCarriedOut['notCarriedOut'],
) {
  const locale = opened.locale;
  const render = (): SlackMessage => {
    if (!notRun) return approvalEndedMessage(state, opened.describe(locale), locale);
    const by = state.decidedBy ? actorMention(state.decidedBy) : '';
    return note(messages(locale).approval.tellNotRun(by, notRun(locale), opened.describe(locale).line));
  };
  await tellPerson(client, { userId: state.requester, locale }, render, log);
}

/** Replaces the request's buttons with its outcome (approved, not carried out, rejected or expired). */
async function showOutcome(client: webApi.WebClient, state: ApprovalState, opened: OpenedApproval, log: AppLogger, notRun?: NotCarriedOut) {
  if (!state.message) return;
  try {
    const why = notRun?.notCarriedOut(CHANNEL_LOCALE);
    const message = approvalOutcomeMessage(state, opened.describe(CHANNEL_LOCALE), CHANNEL_LOCALE, why);
    await client.chat.update({ channel: state.message.channel, ts: state.message.ts, ...message });
  } catch (error) {
    log.warn({ err: error, approval: state.id }, 'approvals: could not update the request message');
  }
}

/**
 * The expiry sweep's telling: the audit trail's entries, the message says it expired, the requester is told; nothing
 * is sent to NetEase.
 */
export function onApprovalExpired(kinds: ApprovalKinds, trail: AuditTrail, client: webApi.WebClient, log: AppLogger) {
  return async (state: ApprovalState): Promise<void> => {
    const opened = openStored(kinds, state, log);
    if (!opened) return;
    log.info({ approval: state.id, requester: state.requester }, 'approvals: expired; nothing sent');
    await recordEntries(trail, opened, state, { status: 'expired' }, log);
    await tellRequester(opened, state, client, log);
    await showOutcome(client, state, opened, log);
  };
}
