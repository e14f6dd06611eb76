import type { HistoryItem } from '../audit/store/contract.js';
import type { AuditTarget } from '../audit/records.js';
import { accidKey } from '../nim/accid.js';
import { afterUndo, checkUndo, type UndoCheck } from './changed-since.js';
import { changeInPlace, inverseOf, isUndoable, type Inverse } from './inverse.js';
import { protectedUndoTarget } from './protected.js';
import type { AccountState } from './state.js';

/**
 * Rolling a person back: every change they made since a time, undone newest first, each by the same rules as one
 * undo. Changes to one account are undone in turn, each checked against the account as the newer undos leave it
 * (nick A→B→C by this person: C→B, then B→A); a value someone else changed since is skipped, never overwritten.
 */

/** At most this many changes in one rollback: beyond it the person narrows "since". */
export const ROLLBACK_MAX = 500;

export type RollbackStep = {
  /** The change undone. */
  original: Extract<HistoryItem, { kind: 'update' }>;
  inverse?: Inverse;
  /**
   * `undo`: will be undone (`send`). `changed_since`: someone else changed it since. `already`: the account already is
   * as the undo would leave it. `already_undone`: someone undid it already. `not_found`: the account is gone.
   * `not_undoable`: the value before is not known. `protected`: its undo would mute or block a protected account
   * (IM_PROTECTED_ACCIDS), which nothing from Slack may.
   */
  status: 'undo' | 'changed_since' | 'already' | 'already_undone' | 'not_found' | 'not_undoable' | 'protected';
  send?: Record<string, string>;
};

export type RollbackPlan = {
  /** Newest first. */
  steps: RollbackStep[];
  /** Distinct accounts (QChat member cards count apart from user cards). */
  accounts: number;
};

/** Which account a change is about: the user card, or the member card of one QChat server. */
export function targetKey(target: AuditTarget): string {
  return `${target.serverId ?? ''}/${accidKey(target.accid)}`;
}

/**
 * The person's changes since `since` (epoch ms): from their history (any order), those in place, newest first.
 * Refusals and changes that did not happen are not changes and are left out.
 */
export function changesSince(history: readonly HistoryItem[], actor: string, since: number): Extract<HistoryItem, { kind: 'update' }>[] {
  return history
    .filter(changeInPlace)
    .filter((item) => item.intent.actor === actor && Date.parse(item.intent.at) >= since)
    .sort((a, b) => Date.parse(b.intent.at) - Date.parse(a.intent.at) || (b.intent.id < a.intent.id ? -1 : 1));
}

/**
 * The plan, from the person's changes (newest first), the accounts as read now (by targetKey; absent: gone), the
 * ids undone already by someone outside this rollback, and each account's history (for the time a lifted mute had left).
 */
export function planRollback(input: {
  changes: readonly Extract<HistoryItem, { kind: 'update' }>[];
  states: ReadonlyMap<string, AccountState | undefined>;
  undoneElsewhere: ReadonlySet<string>;
  accountHistory?: (key: string) => readonly HistoryItem[];
  /** IM_PROTECTED_ACCIDS: an undo that would mute or block one of them is skipped. */
  protectedAccids?: readonly string[];
}): RollbackPlan {
  const states = new Map(input.states);
  const steps: RollbackStep[] = [];
  const accounts = new Set<string>();
  for (const original of input.changes) {
    const key = targetKey(original.intent.target);
    accounts.add(key);
    if (input.undoneElsewhere.has(original.intent.id)) {
      steps.push({ original, status: 'already_undone' });
      continue;
    }
    const inverse = inverseOf(original, input.accountHistory?.(key) ?? []);
    if (!isUndoable(inverse)) {
      steps.push({ original, status: 'not_undoable' });
      continue;
    }
    if (protectedUndoTarget(inverse, input.protectedAccids ?? [])) {
      steps.push({ original, inverse, status: 'protected' });
      continue;
    }
    const state = states.get(key);
    if (!state) {
      steps.push({ original, inverse, status: 'not_found' });
      continue;
    }
    const check: UndoCheck = checkUndo(inverse, state);
    if (check.status === 'ready') {
      steps.push({ original, inverse, status: 'undo', send: check.send });
      states.set(key, afterUndo(state, check.send));
    } else steps.push({ original, inverse, status: check.status });
  }
  return { steps, accounts: accounts.size };
}

/** The undos of one account in the order they run (newest change first), and the accounts in the order first seen. */
export function stepsByAccount(plan: RollbackPlan): Map<string, RollbackStep[]> {
  const byAccount = new Map<string, RollbackStep[]>();
  for (const step of plan.steps) {
    const key = targetKey(step.original.intent.target);
    byAccount.set(key, [...(byAccount.get(key) ?? []), step]);
  }
  return byAccount;
}
