import type { App } from '@slack/bolt';
import type { WriteDeps } from '../interaction/deps.js';
import { registerEditCardButton } from './open.js';
import { registerEditCardSubmission } from './submission.js';

export { imUserEditSubcommand } from './open.js';

/** Changing a user card: the card's "Edit card" button, and the form's submission (with conflict detection). */
export function register(app: App, deps: WriteDeps): void {
  registerEditCardButton(app, deps);
  registerEditCardSubmission(app, deps);
}

export { cardEditApprovalKind } from './approval-kind.js';
