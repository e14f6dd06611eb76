import type { IntentRecord } from '../audit/records.js';
import type { AuditStore, HistoryItem } from '../audit/store/contract.js';
import { checkUndo, type UndoCheck } from './changed-since.js';
import { changeInPlace, inverseOf, isUndoable, type Inverse, type NotUndoable } from './inverse.js';
import { readState, type StateReader } from './read-state.js';
import type { AccountState } from './state.js';

/** How far back an account's history is read to find who undid a change, and the mute an unmute lifted. */
const HISTORY_DEPTH = 100;

export type UndoSource = Pick<AuditStore, 'entry' | 'history'>;

/** Where one undo stands: what it would do to the account as it is now, or why there is nothing to do. */
export type UndoPreparation =
  | { kind: 'unknown_entry' }
  | ({ kind: 'not_undoable' } & NotUndoable)
  /** Someone undid it already: the undo's intent (undo that one to redo). */
  | { kind: 'undone'; by: IntentRecord }
  | { kind: 'not_found' | 'not_reached'; inverse: Inverse }
  | { kind: 'checked'; inverse: Inverse; state: AccountState; check: UndoCheck };

/**
 * Reads what an undo needs, at the click and again at the confirmation: the entry, the account's history (who undid
 * it already; for an unmute, the time the lifted mute had left), and the account as NetEase has it now.
 */
export async function prepareUndo(source: UndoSource, reader: StateReader, id: string, correlationId: string): Promise<UndoPreparation> {
  const item = await source.entry(id);
  if (!item) return { kind: 'unknown_entry' };
  const target = item.kind === 'update' ? item.intent.target : item.refusal.target;
  const history = (await source.history({ accid: target.accid, limit: HISTORY_DEPTH })).items;
  const by = undoneBy(id, history);
  if (by) return { kind: 'undone', by };
  const inverse = inverseOf(item, history);
  if (!isUndoable(inverse)) return { kind: 'not_undoable', ...inverse };
  const read = await readState(reader, inverse.target, correlationId);
  if (read.kind !== 'found') return { kind: read.kind, inverse };
  return { kind: 'checked', inverse, state: read.state, check: checkUndo(inverse, read.state) };
}

/** The applied undo of `id` in an account's history, if any (the newest when there are several). */
export function undoneBy(id: string, history: readonly HistoryItem[]): IntentRecord | undefined {
  return history.filter(changeInPlace).find((item) => item.intent.undoes === id)?.intent;
}
