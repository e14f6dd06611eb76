import type { App } from '@slack/bolt';
import type { WriteDeps } from '../interaction/deps.js';
import { registerBatchButtons } from './batch-buttons.js';
import { registerBatchConfirm } from './batch-confirm.js';
import { registerModerationButtons } from './buttons.js';
import { registerModerationCommands } from './commands.js';
import { registerMuteShortcut } from './mute-shortcut.js';
import { registerModerationConfirm, registerModerationForm } from './submissions.js';

/**
 * Mute, unmute, block and unblock from Slack: the commands, the buttons, the form, the confirmation, and the global
 * shortcut Mute IM accounts…. What IM_APPROVAL_FOR covers is asked for (askApproval) and, once approved, carried
 * out by moderationApprovalKind.
 */
export function register(app: App, deps: WriteDeps): void {
  registerModerationCommands(app, deps);
  registerModerationButtons(app, deps);
  registerModerationForm(app, deps);
  registerModerationConfirm(app, deps);
  registerMuteShortcut(app, deps);
  registerBatchConfirm(app, deps);
  registerBatchButtons(app, deps);
}

export { moderationApprovalKind } from './approval-kind.js';
export { batchApprovalKind } from './batch-approval-kind.js';
