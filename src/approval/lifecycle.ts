import type { ApprovalRequest, ApprovalState, ApprovalStore } from '../audit/store/approvals.js';
import type { Decision, Refusal } from '../policy/types.js';

/**
 * A second pair of eyes: a request is stored pending, then decided once. Who decides is checked here, by the Slack
 * user id of the person who clicked, at the click: never the requester for an approval (whatever their role), and
 * only someone the caller's mayAct allows (what the action needs). The store makes the move out of pending atomic, so a double
 * click, a second approver or a replay finds it decided and runs nothing.
 */

export type NewApproval = Omit<ApprovalRequest, 'requestedAt' | 'expiresAt' | 'message'>;

/** Stores a pending request that expires `minutes` from `now`. Rejects (AuditStoreError) when it cannot be stored. */
export async function requestApproval(
  store: ApprovalStore,
  input: NewApproval,
  options: { now: number; minutes: number },
): Promise<ApprovalState> {
  const request: ApprovalRequest = { ...input, requestedAt: options.now, expiresAt: options.now + options.minutes * 60_000 };
  await store.putApproval(request);
  return { ...request, status: 'pending' };
}

/**
 * Whether this person may decide the request, asked of Slack now (the policy's authorize, fresh). The caller knows
 * what the request needs (its kind's attempts); the stored `permission` is only a summary for lists.
 */
export type MayAct = (userId: string) => Promise<Decision>;

export type DecisionResult =
  /** This click decided it: for `approved`, the caller runs the request's payload now, once. */
  | { kind: 'decided'; state: ApprovalState }
  /** Decided (or expired) before this click: nothing runs. */
  | { kind: 'already'; state: ApprovalState }
  | { kind: 'expired'; state: ApprovalState }
  | { kind: 'own_request'; state: ApprovalState }
  | { kind: 'refused'; refusal: Refusal; state: ApprovalState }
  | { kind: 'unknown' };

/**
 * One click on Approve or Reject. The requester may withdraw (reject) their own request but never approve it; anyone
 * else needs the action's permission, checked for the clicking person. A request whose time ran out is not decided
 * (the expiry sweep tells everyone).
 */
export async function decideApproval(
  store: ApprovalStore,
  input: { id: string; clicker: string; decision: 'approve' | 'reject'; now: number; mayAct: MayAct },
): Promise<DecisionResult> {
  const state = await store.approval(input.id);
  if (!state) return { kind: 'unknown' };
  if (state.status !== 'pending') return { kind: 'already', state };
  if (input.now >= state.expiresAt) return { kind: 'expired', state };
  const own = input.clicker === state.requester;
  if (own && input.decision === 'approve') return { kind: 'own_request', state };
  if (!own) {
    const decision = await input.mayAct(input.clicker);
    if (!decision.allowed) return { kind: 'refused', refusal: decision.refusal, state };
  }
  const status = input.decision === 'approve' ? 'approved' : 'rejected';
  const decided = await store.decideApproval(input.id, { status, by: input.clicker, at: input.now });
  if (decided) return { kind: 'decided', state: decided };
  const now = await store.approval(input.id);
  if (!now) return { kind: 'unknown' };
  return now.status === 'pending' ? { kind: 'expired', state: now } : { kind: 'already', state: now };
}
