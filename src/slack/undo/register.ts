import type { App } from '@slack/bolt';
import { registerUndoButton } from './open.js';
import type { UndoDeps } from './carry-out.js';
import { registerUndoConfirm } from './submission.js';

export type { MarkUndone, UndoDeps } from './carry-out.js';
export { undoApprovalKind } from './approval-kind.js';

/** Undo one change from the audit trail: the Undo button (audit channel entries, /im-audit items) and its confirmation. */
export function register(app: App, deps: UndoDeps): void {
  registerUndoButton(app, deps);
  registerUndoConfirm(app, deps);
}
