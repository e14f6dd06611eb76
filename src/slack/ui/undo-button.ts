import type { ActionsBlock, Button } from '@slack/types';
import type { IntentRecord, OutcomeRecord } from '../../audit/records.js';
import type { Messages } from '../i18n/catalog.js';
import { undoActionIds } from '../ids.js';
import { auditTime } from './audit-labels.js';
import { actorMention, code, context, limits, plain } from './text.js';

/**
 * The Undo button of an audit entry (the channel's and /im-audit's), and the note that replaces it once undone. The
 * button is shown to whoever sees the entry; the click checks the permission of what the undo would do.
 */

/** Whether an entry's change is in place (applied, or read back in place): only those can be undone. */
export function undoable(outcome: OutcomeRecord | undefined): boolean {
  if (!outcome) return false;
  return outcome.status === 'applied' || outcome.status === 'applied_confirmed_by_read_back' || outcome.readBack === 'in_place';
}

export function undoButton(m: Messages, entryId: string): Button {
  return { type: 'button', action_id: undoActionIds.undo, text: plain(m.undo.button, limits.buttonText), value: entryId };
}

export function undoButtonBlock(m: Messages, entryId: string): ActionsBlock {
  return { type: 'actions', elements: [undoButton(m, entryId)] };
}

/** "Undone by @x at …", under an entry that was undone. */
export function undoneNote(m: Messages, undo: Pick<IntentRecord, 'actor' | 'at' | 'id'>) {
  return context(m.undo.undoneBy(actorMention(undo.actor), auditTime(undo.at), code(undo.id, 40)));
}
