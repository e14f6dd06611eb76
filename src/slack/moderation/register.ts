import type { App } from '@slack/bolt';
import type { WriteDeps } from '../interaction/deps.js';
import { ApprovalExpiry } from '../../approval/expiry.js';
import { onApprovalExpired, registerApprovalButtons } from './approval-buttons.js';
import { registerBatchButtons } from './batch-buttons.js';
import { registerBatchConfirm } from './batch-confirm.js';
import { registerModerationButtons } from './buttons.js';
import { registerModerationCommands } from './commands.js';
import { registerMuteShortcut } from './mute-shortcut.js';
import { registerModerationConfirm, registerModerationForm } from './submissions.js';

/**
 * Mute, unmute, block and unblock from Slack: the commands, the buttons, the form, the confirmation, and the global
 * shortcut Mute IM accounts…; with IM_APPROVAL_FOR, Approve and Reject and the expiry sweep of requests. Returns what
 * stops the sweep.
 */
export function register(app: App, deps: WriteDeps): () => void {
  registerModerationCommands(app, deps);
  registerModerationButtons(app, deps);
  registerModerationForm(app, deps);
  registerModerationConfirm(app, deps);
  registerMuteShortcut(app, deps);
  const { batches } = deps;
  if (batches) {
    registerBatchConfirm(app, { ...deps, batches });
    registerBatchButtons(app, { ...deps, batches });
  }
  const { approvals } = deps;
  if (!approvals) return () => undefined;
  registerApprovalButtons(app, { ...deps, approvals });
  const expiry = new ApprovalExpiry({
    store: approvals.store,
    now: deps.now ?? Date.now,
    onExpired: onApprovalExpired(app.client, deps.logger),
    logger: deps.logger,
    ...(approvals.expiryEveryMs === undefined ? {} : { everyMs: approvals.expiryEveryMs }),
  });
  void expiry.start();
  return () => expiry.stop();
}
