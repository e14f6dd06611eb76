import type { App } from '@slack/bolt';
import { ApprovalExpiry } from '../../approval/expiry.js';
import type { ApprovalDeps } from './deps.js';
import { registerApprovalButtons } from './buttons.js';
import { onApprovalExpired } from './outcome.js';

export { approvalKinds, type ApprovalKinds } from './kinds.js';
export type { ApprovalDeps } from './deps.js';

/**
 * A second pair of eyes (IM_APPROVAL_FOR): Approve and Reject on every request's message, and the sweep that ends the
 * requests nobody decided in time. The features ask (askApproval, with their own kind); this carries out. Returns what stops
 * the sweep.
 */
export function register(app: App, deps: ApprovalDeps): () => void {
  registerApprovalButtons(app, deps);
  const expiry = new ApprovalExpiry({
    store: deps.approvals.store,
    now: deps.now ?? Date.now,
    onExpired: onApprovalExpired(deps.kinds, deps.trail, deps.client, deps.logger),
    logger: deps.logger,
    ...(deps.approvals.expiryEveryMs === undefined ? {} : { everyMs: deps.approvals.expiryEveryMs }),
  });
  void expiry.start();
  return () => expiry.stop();
}
