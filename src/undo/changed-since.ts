import type { Inverse } from './inverse.js';
import type { AccountState } from './state.js';

/**
 * "Only if nothing changed since": an undo compares the account as it is now with what the change left. A value
 * that is neither what the change left nor what the undo would set was changed by someone else since, and the undo
 * sends nothing unless the person chooses to overwrite it (the edit form's keep/overwrite choice).
 */

/** A value someone else changed since: what the change left, what it is now (theirs), what the undo would set. */
export type ChangedSince = { key: string; left: string; theirs: string; undo: string };

/** What one undo would do to the account as it is now. */
export type UndoCheck =
  /** Nothing changed since: `send` is what to set (key → value). */
  | { status: 'ready'; send: Record<string, string> }
  /** Someone else changed it since: nothing is sent unless the person overwrites (then `overwrite` is set). */
  | { status: 'changed_since'; changed: ChangedSince[]; overwrite: Record<string, string> }
  /** The account already is as the undo would leave it: nothing to send. */
  | { status: 'already' };

export function checkUndo(inverse: Inverse, now: AccountState): UndoCheck {
  const asLeft: Record<string, string> = {};
  const changed: ChangedSince[] = [];
  const alreadyBack: ChangedSince[] = [];
  for (const [key, undo] of Object.entries(inverse.set)) {
    const left = inverse.expect[key] ?? '';
    const theirs = now[key] ?? '';
    if (theirs === left) asLeft[key] = undo;
    else (theirs === undo ? alreadyBack : changed).push({ key, left, theirs, undo });
  }
  if (changed.length === 0 && Object.keys(asLeft).length === 0) return { status: 'already' };
  // Partly back already (someone else undid some of it) is a change since too: the person decides.
  if (changed.length > 0 || alreadyBack.length > 0) {
    const overwrite = { ...asLeft, ...Object.fromEntries(changed.map((c) => [c.key, c.undo])) };
    return { status: 'changed_since', changed: [...changed, ...alreadyBack], overwrite };
  }
  return { status: 'ready', send: asLeft };
}

/** The account as it will be once `send` is set: what the next (older) undo of a rollback is checked against. */
export function afterUndo(now: AccountState, send: Readonly<Record<string, string>>): AccountState {
  return { ...now, ...send };
}
