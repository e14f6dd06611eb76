import { storeIntents } from '../audit/audited-chunk.js';
import { finishAll, intentRecordOf, type AuditTrail, type OutcomeDescription, type UpdateIntent } from '../audit/audited-write.js';
import type { AuditTarget, IntentRecord, SanctionDetails, TrailAction } from '../audit/records.js';
import type { ApprovalState } from '../audit/store/approvals.js';

/**
 * A request that ended without its change still leaves entries in the audit trail, as every attempt does: rejected,
 * expired, or approved but not carried out (its kind found the target changed since). Each is an intent without
 * changes, settled at once as not applied — durable and chained like every record, found by /im-audit <accid> (or
 * /im-audit @person for a rollback of that person's changes), and nothing is sent to NetEase. One entry per account the
 * request names (`<id>.<n>`, the ids its run would have had), or one under the request's id. Entries of several
 * accounts belong to a batch (the request, or the bulk action's draft), so the request's own message, which shows the
 * outcome, stands for them in the audit channel rather than one message each.
 */

/** What the request was about, as its kind tells the trail: what a run would have recorded, without changes. */
export type EndedSubject = {
  action: TrailAction;
  command: string;
  target: AuditTarget;
  /** Every account, when the request names several (a moderation of many accounts, a bulk action). */
  accounts?: readonly string[];
  /** How many accounts the request named, when `accounts` lists fewer (a bulk action whose draft is gone). */
  counted?: number;
  /** The batch the entries of several accounts belong to; the request's id when absent. */
  batch?: string;
  /** A sanction's reason, scope, duration, devices: as the run would have recorded them (no lift: nothing ran). */
  sanction?: SanctionDetails;
  /** A rollback: whose changes, since when, how many. */
  rollback?: IntentRecord['rollback'];
};

export type HowEnded =
  | { status: 'rejected' | 'expired' }
  /** Approved, and its kind sent nothing after all: why, in plain words (the channel's language). */
  | { status: 'not_carried_out'; why: string };

const OUTCOME: Record<'rejected' | 'expired', OutcomeDescription> = {
  rejected: { status: 'not_applied', errorCode: 'approval_rejected', detail: 'rejected: nothing sent' },
  expired: { status: 'not_applied', errorCode: 'approval_expired', detail: 'expired before anyone approved it: nothing sent' },
};

/**
 * Entries stored per durable write: a bulk action's thousands of accounts take two writes (intents, outcomes) per
 * chunk, as its run would, not two per account.
 */
const CHUNK = 500;

/** Records the entries; rejects (AuditStoreError) when the store cannot take them. Nothing is sent either way. */
export async function recordEnded(trail: AuditTrail, state: ApprovalState, subject: EndedSubject, how: HowEnded): Promise<void> {
  const several = subject.accounts && subject.accounts.length > 1 ? subject.accounts : undefined;
  const targets = several ? several.map((accid) => ({ accid: accid.slice(0, 128) })) : [subject.target];
  const accounts = Math.max(subject.counted ?? 0, subject.accounts?.length ?? 0);
  const outcome: OutcomeDescription =
    how.status === 'not_carried_out'
      ? { status: 'not_applied', errorCode: 'not_carried_out', detail: `approved, but not carried out: ${how.why}`.slice(0, 1000) }
      : OUTCOME[how.status];
  const ended =
    how.status === 'not_carried_out'
      ? state.decidedBy
        ? { approvedBy: state.decidedBy }
        : {}
      : {
          approvalEnded: {
            status: how.status,
            ...(how.status === 'rejected' && state.decidedBy ? { by: state.decidedBy } : {}),
            ...(accounts > 1 ? { accounts } : {}),
          },
        };
  const intents = targets.map((target, index): UpdateIntent => ({
    // The moderation run's own ids: `<id>.<n>` for each account (one account: `<id>.1`), so /im-audit shows one
    // account's request and its outcome under the ids a run would have used.
    id: subject.accounts ? `${state.id}.${index + 1}` : state.id,
    actor: state.requester,
    action: subject.action,
    command: subject.command,
    target,
    changes: {},
    ...(subject.sanction ? { sanction: subject.sanction } : {}),
    ...(subject.rollback ? { rollback: subject.rollback } : {}),
    ...(several || subject.batch ? { batch: subject.batch ?? state.id } : {}),
    ...ended,
  }));
  for (let start = 0; start < intents.length; start += CHUNK) {
    const now = trail.now();
    const records = intents.slice(start, start + CHUNK).map((intent) => intentRecordOf(trail, intent, now));
    await storeIntents(
      trail,
      records.map((intent) => ({ intent })),
      now + 30_000,
    );
    await finishAll(
      trail,
      records.map((intent) => ({ intent, description: outcome })),
    );
  }
}
