import type { App } from '@slack/bolt';
import { registerUndoButton } from './open.js';
import { registerUndoConfirm, type UndoDeps } from './submission.js';

export type { MarkUndone, UndoDeps } from './submission.js';

/** Undo one change from the audit trail: the Undo button (audit channel entries, /im-audit items) and its confirmation. */
export function register(app: App, deps: UndoDeps): void {
  registerUndoButton(app, deps);
  registerUndoConfirm(app, deps);
}
