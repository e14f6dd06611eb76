import type { Permission } from '../../policy/permissions.js';

/**
 * Approval requests, kept by the audit store beside its records (AuditStore.approvals). An approval request: what a person asked to do, waiting for a second person. It lives in the audit store (so it
 * survives a restart and every replica sees it) and moves once, from pending to approved, rejected or expired; the
 * store makes that move atomic, so a double click, a second approver or a replay finds it decided.
 */
export type ApprovalRequest = {
  id: string;
  /** Slack user id of who asked. Never the approver. */
  requester: string;
  /**
   * What an approver needs, summed up for lists: `moderate` when any of its kind's attempts moderates. Not what is
   * checked: the approver (and the requester, at the approval) must be allowed each of the kind's attempts.
   */
  permission: Exclude<Permission, 'read'>;
  /** The action's name for people and the audit trail: `block`, `rollback`, `undo`… */
  action: string;
  /**
   * Exactly what will run when approved, as the feature that asked sealed it (JSON, parsed again by that feature's
   * schema when it runs): never re-decided at approval time.
   */
  payload: unknown;
  /** Epoch ms. */
  requestedAt: number;
  expiresAt: number;
  /** The audit (or approval) channel's message with the Approve and Reject buttons, once posted. */
  message?: { channel: string; ts: string };
};

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export type ApprovalState = ApprovalRequest & {
  status: ApprovalStatus;
  /** Who approved or rejected it (Slack user id), and when (epoch ms); for an expired one, when it expired. */
  decidedBy?: string;
  decidedAt?: number;
};

/** The approval requests part of the audit store; each store implements it and passes the same conformance suite. */
export interface ApprovalStore {
  /** Stores a new pending request durably. */
  putApproval(request: ApprovalRequest): Promise<void>;
  approval(id: string): Promise<ApprovalState | undefined>;
  /**
   * Moves a pending, unexpired (`at` < expiresAt) request to `status`, atomically across processes. Resolves the new
   * state when this call decided it; `undefined` when it was not pending (decided, expired) or not found.
   */
  decideApproval(id: string, decision: { status: 'approved' | 'rejected'; by: string; at: number }): Promise<ApprovalState | undefined>;
  /** Moves pending requests whose time ran out (expiresAt ≤ now) to expired; each is returned by one call only. */
  expireApprovals(options: { now: number; limit: number }): Promise<ApprovalState[]>;
  /** Requests still waiting (pending, not past their time at `now`), soonest to expire first: the App Home lists them. */
  pendingApprovals(options: { now: number; limit: number }): Promise<ApprovalState[]>;
  /** Remembers where the request was posted (to update that message when it is decided). */
  setApprovalMessage(id: string, message: { channel: string; ts: string }): Promise<void>;
}
