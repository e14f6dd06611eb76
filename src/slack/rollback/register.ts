import type { App } from '@slack/bolt';
import { registerRollbackConfirm } from './confirm.js';
import { registerRollbackContinue } from './continue-button.js';
import type { RollbackDeps } from './deps.js';
import { registerRollbackButton } from './open.js';
import { registerRollbackSince } from './since-submission.js';

export type { RollbackDeps } from './deps.js';
export { rollbackApprovalKind } from './approval-kind.js';

/** Roll a person back: Roll back… on /im-audit @person, its "since", the preview, the confirmation, and Continue. */
export function register(app: App, deps: RollbackDeps): void {
  registerRollbackButton(app, deps);
  registerRollbackSince(app, deps);
  registerRollbackConfirm(app, deps);
  registerRollbackContinue(app, deps);
}
