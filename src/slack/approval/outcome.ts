import type { webApi } from '@slack/bolt';
import type { ApprovalState } from '../../approval/index.js';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import type { OpenedApproval } from '../interaction/approval-kind.js';
import { tellPerson } from '../interaction/modal-reply.js';
import { approvalEndedMessage, approvalOutcomeMessage, CHANNEL_LOCALE } from '../ui/approval-message.js';
import { openStored, type ApprovalKinds } from './kinds.js';

/**
 * What follows a decision: an approved request runs once (its kind tells the requester with its report), a rejected
 * or expired one sends nothing and the requester is told; the request's message shows the outcome instead of its
 * buttons.
 */
export async function settleDecided(
  opened: OpenedApproval,
  input: { state: ApprovalState; client: webApi.WebClient; log: AppLogger },
): Promise<void> {
  const { state, client, log } = input;
  log.info({ approval: state.id, status: state.status, requester: state.requester, by: state.decidedBy }, 'approvals: decided');
  if (state.status === 'approved' && state.decidedBy) {
    try {
      await opened.run({ state, approvedBy: state.decidedBy, client, log });
    } catch (error) {
      noteFailure(error);
      log.error({ err: error, approval: state.id }, 'approvals: carrying out an approved request failed');
    }
  } else {
    await tellRequester(opened, state, client, log);
  }
  await showOutcome(client, state, opened, log);
}

async function tellRequester(opened: OpenedApproval, state: ApprovalState, client: webApi.WebClient, log: AppLogger) {
  const locale = opened.locale;
  await tellPerson(client, { userId: state.requester, locale }, () => approvalEndedMessage(state, opened.describe(locale), locale), log);
}

/** Replaces the request's buttons with its outcome (approved, rejected or expired). */
async function showOutcome(client: webApi.WebClient, state: ApprovalState, opened: OpenedApproval, log: AppLogger) {
  if (!state.message) return;
  try {
    const message = approvalOutcomeMessage(state, opened.describe(CHANNEL_LOCALE), CHANNEL_LOCALE);
    await client.chat.update({ channel: state.message.channel, ts: state.message.ts, ...message });
  } catch (error) {
    log.warn({ err: error, approval: state.id }, 'approvals: could not update the request message');
  }
}

/** The expiry sweep's telling: the message says it expired, the requester is told; nothing is sent to NetEase. */
export function onApprovalExpired(kinds: ApprovalKinds, client: webApi.WebClient, log: AppLogger) {
  return async (state: ApprovalState): Promise<void> => {
    const opened = openStored(kinds, state, log);
    if (!opened) return;
    log.info({ approval: state.id, requester: state.requester }, 'approvals: expired; nothing sent');
    await tellRequester(opened, state, client, log);
    await showOutcome(client, state, opened, log);
  };
}
