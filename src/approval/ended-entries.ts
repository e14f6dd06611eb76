import { auditedWrite, type AuditAction, type AuditTarget, type AuditTrail, type OutcomeDescription } from '../audit/index.js';
import type { ApprovalState } from '../audit/store/approvals.js';

/**
 * A request that ended without its change still leaves entries in the audit trail, as every attempt does: rejected,
 * expired, or approved but not carried out (its kind found the target changed since). Each is an intent without
 * changes, settled at once as not applied — durable and chained like every record, found by /im-audit <accid>, and
 * nothing is sent to NetEase. One entry per account the request names (`<id>.<n>`, the ids its run would have had),
 * or one under the request's id. Entries of several accounts belong to the request (`batch`), so the request's own
 * message, which shows the outcome, stands for them in the audit channel rather than one message each.
 */

/** What the request was about, as its kind says. */
export type EndedSubject = {
  action: AuditAction;
  command: string;
  target: AuditTarget;
  /** Every account, when the request names several (a moderation of many accounts). */
  accounts?: readonly string[];
};

export type HowEnded =
  | { status: 'rejected' | 'expired' }
  /** Approved, and its kind sent nothing after all: why, in plain words (the channel's language). */
  | { status: 'not_carried_out'; why: string };

const OUTCOME: Record<'rejected' | 'expired', OutcomeDescription> = {
  rejected: { status: 'not_applied', errorCode: 'approval_rejected', detail: 'rejected: nothing sent' },
  expired: { status: 'not_applied', errorCode: 'approval_expired', detail: 'expired before anyone approved it: nothing sent' },
};

/** Records the entries; rejects (AuditStoreError) when the store cannot take them. Nothing is sent either way. */
export async function recordEnded(trail: AuditTrail, state: ApprovalState, subject: EndedSubject, how: HowEnded): Promise<void> {
  const accounts = subject.accounts && subject.accounts.length > 1 ? subject.accounts : undefined;
  const targets = accounts ? accounts.map((accid) => ({ accid: accid.slice(0, 128) })) : [subject.target];
  const outcome: OutcomeDescription =
    how.status === 'not_carried_out'
      ? { status: 'not_applied', errorCode: 'not_carried_out', detail: `approved, but not carried out: ${how.why}`.slice(0, 1000) }
      : OUTCOME[how.status];
  const ended =
    how.status === 'not_carried_out'
      ? state.decidedBy
        ? { approvedBy: state.decidedBy }
        : {}
      : { approvalEnded: { status: how.status, ...(how.status === 'rejected' && state.decidedBy ? { by: state.decidedBy } : {}) } };
  for (const [index, target] of targets.entries()) {
    await auditedWrite(
      trail,
      {
        // The moderation run's own ids: `<id>.<n>` for each account (one account: `<id>.1`), so /im-audit shows one
        // account's request and its outcome under the ids a run would have used.
        id: subject.accounts ? `${state.id}.${index + 1}` : state.id,
        actor: state.requester,
        action: subject.action,
        command: subject.command,
        target,
        changes: {},
        ...(accounts ? { batch: state.id } : {}),
        ...ended,
      },
      () => Promise.resolve(undefined),
      () => outcome,
    );
  }
}
