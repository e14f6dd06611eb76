import type { Approvals, WriteDeps } from '../interaction/deps.js';
import type { ApprovalKinds } from './kinds.js';

/** What the approval feature uses: the guard's parts, the requests, and the kinds it can carry out. */
export type ApprovalDeps = Pick<WriteDeps, 'directory' | 'access' | 'metrics' | 'trail' | 'logger' | 'now'> & {
  approvals: Approvals;
  kinds: ApprovalKinds;
};
