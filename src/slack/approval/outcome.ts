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
import { actorMention, code, section } from '../ui/text.js';
import { openStored, type ApprovalKinds } from './kinds.js';

/**
 * What follows a decision: an approved request runs once (its kind tells the requester with its report), a rejected
 * or expired one sends nothing and the requester is told; the request's message shows the outcome instead of its
 * buttons. An approved request that does not run — its kind refused (changed since), the requester may no longer do
 * it, or the run threw — ends "approved, but not carried out", in the trail and told to both people; never "carried
 * out".
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
    /**
     * Whether the requester may still do what the request does, asked of Slack now: it runs as them, and a role
     * removed since the request (a compromised account taken away) must count.
     */
    requesterMay: () => Promise<boolean>;
  },
): Promise<void> {
  const { state, client, log } = input;
  log.info({ approval: state.id, status: state.status, requester: state.requester, by: state.decidedBy }, 'approvals: decided');
  let notRun: NotCarriedOut | undefined;
  if (state.status === 'approved' && state.decidedBy) {
    notRun = await runApproved(opened, state, state.decidedBy, input);
    if (notRun) {
      const { notCarriedOut: why, failed } = notRun;
      const tail = (locale: Locale) => (failed ? messages(locale).approval.seeTrail : messages(locale).approval.nothingSent);
      log.info({ approval: state.id, failed }, 'approvals: approved, but not carried out');
      await recordEntries(input.trail, opened, state, { status: 'not_carried_out', why: plainWords(why(CHANNEL_LOCALE)) }, log);
      await input.tellApprover((locale) => note(messages(locale).approval.approverNotRun(why(locale), tail(locale))));
      await tellRequester(opened, state, client, log, { why, tail });
    }
  } else {
    await recordEntries(input.trail, opened, state, { status: 'rejected' }, log);
    await tellRequester(opened, state, client, log);
  }
  await showOutcome(client, state, opened, log, notRun);
}

/** Runs an approved request as its requester, if they still may; what stopped it, if anything. Never throws. */
async function runApproved(
  opened: OpenedApproval,
  state: ApprovalState,
  approvedBy: string,
  input: { client: webApi.WebClient; log: AppLogger; requesterMay: () => Promise<boolean> },
): Promise<NotCarriedOut | undefined> {
  const { client, log } = input;
  try {
    if (!(await input.requesterMay())) {
      log.warn({ approval: state.id, requester: state.requester }, 'approvals: the requester may no longer do this; nothing sent');
      return { notCarriedOut: (l) => messages(l).approval.requesterMayNot };
    }
    return (await opened.run({ state, approvedBy, client, log })) ?? undefined;
  } catch (error) {
    noteFailure(error);
    log.error({ err: error, approval: state.id }, 'approvals: carrying out an approved request failed');
    // The request's id is the reference the logs carry: no detail of the error is shown where many read it.
    return { notCarriedOut: (l) => messages(l).approval.runFailed(code(state.id, 40)), failed: true };
  }
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
  notRun?: { why: NotCarriedOut['notCarriedOut']; tail: (locale: Locale) => string },
) {
  const locale = opened.locale;
  const render = (): SlackMessage => {
    if (!notRun) return approvalEndedMessage(state, opened.describe(locale), locale);
    const by = state.decidedBy ? actorMention(state.decidedBy) : '';
    return note(messages(locale).approval.tellNotRun(by, notRun.why(locale), opened.describe(locale).line, notRun.tail(locale)));
  };
  await tellPerson(client, { userId: state.requester, locale }, render, log);
}

/** Replaces the request's buttons with its outcome (approved, not carried out, rejected or expired). */
async function showOutcome(client: webApi.WebClient, state: ApprovalState, opened: OpenedApproval, log: AppLogger, notRun?: NotCarriedOut) {
  if (!state.message) return;
  try {
    const how = notRun
      ? { notCarriedOut: notRun.notCarriedOut(CHANNEL_LOCALE), ...(notRun.failed ? { failed: true } : {}) }
      : { started: opened.startsRun === true };
    const message = approvalOutcomeMessage(state, opened.describe(CHANNEL_LOCALE), CHANNEL_LOCALE, how);
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
