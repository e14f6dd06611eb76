/** A second pair of eyes before a change: which actions need one (IM_APPROVAL_FOR) and a request's life. */
export {
  approvableActions,
  approvalForSchema,
  changeActions,
  DEFAULT_APPROVAL_MINUTES,
  needsApproval,
  noApprovals,
  parseApprovalFor,
} from './policy.js';
export type { ApprovableAction, ApprovalPolicy, ApprovalSubject, ChangeAction } from './policy.js';
export { decideApproval, requestApproval } from './lifecycle.js';
export type { EndedSubject, HowEnded } from './ended-entries.js';
export type { DecisionResult, MayAct, NewApproval } from './lifecycle.js';
export type { ApprovalRequest, ApprovalState, ApprovalStatus, ApprovalStore } from '../audit/store/approvals.js';
