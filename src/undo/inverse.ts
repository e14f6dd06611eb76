import type { HistoryItem } from '../audit/store/contract.js';
import type { AuditTarget, IntentRecord } from '../audit/records.js';
import type { GuardedAction } from '../policy/permissions.js';
import { muteModules, type MuteModule } from '../nim/types.js';
import { stateValue } from './state.js';

/**
 * The undo of one change from the audit trail: which action it performs (and so which permission it needs), on
 * whom, what the change left (`expect`, which must still be there: "only if nothing changed since"), and what the
 * undo sets. Keys and values are those of AccountState. An undo is itself a change with `undoes`, so the undo of an
 * undo is computed the same way and redoes.
 */
export type Inverse = {
  /** The id of the change undone. */
  undoes: string;
  action: GuardedAction;
  target: AuditTarget;
  expect: Readonly<Record<string, string>>;
  set: Readonly<Record<string, string>>;
  /** Mutes: for how long (absent: until lifted); unmutes: the pending lift of the mute undone, to cancel. */
  mute?: { durationMs?: number; cancelLift?: string };
  /** The original's reason, carried over to a re-mute or re-block. */
  reason?: string;
};

export type NotUndoable = {
  /**
   * `refusal`: nothing was changed. `not_applied`: the change failed, is in flight, or its outcome is unknown and was
   * not read back in place. `before_unknown`: the value before was not read (a very large QChat server), so there is
   * nothing to restore it to. `nothing_set`: the change set no value an undo can restore.
   */
  why: 'refusal' | 'not_applied' | 'before_unknown' | 'nothing_set';
};

const APPLIED = new Set(['applied', 'applied_confirmed_by_read_back']);

/** Whether an update's outcome means the change is in place: applied, or "unknown" but read back in place. */
export function changeInPlace(item: HistoryItem): item is Extract<HistoryItem, { kind: 'update' }> & { outcome: object } {
  if (item.kind !== 'update' || !item.outcome) return false;
  return APPLIED.has(item.outcome.status) || item.outcome.readBack === 'in_place';
}

/**
 * The inverse of one audit entry. `history` is the account's history (any order): an unmute's undo re-mutes for the
 * time the lifted mute had left, which only the mute before it records.
 */
export function inverseOf(item: HistoryItem, history: readonly HistoryItem[] = []): Inverse | NotUndoable {
  if (item.kind === 'refusal') return { why: 'refusal' };
  if (!changeInPlace(item)) return { why: 'not_applied' };
  const intent = item.intent;
  const base = { undoes: intent.id, target: intent.target };
  switch (intent.action) {
    case 'update_user_card':
      return fieldsInverse(intent, base, 'update_user_card', { unsetBefore: '' });
    case 'qchat_update_member':
      return fieldsInverse(intent, base, 'qchat_update_member', { unsetBefore: undefined });
    case 'mute': {
      const flags = flagsSetTo(intent, 'true');
      if (flags.length === 0) return { why: 'nothing_set' };
      return { ...base, action: 'unmute', ...flip(flags, 'true'), mute: { cancelLift: intent.id }, ...reasonOf(intent) };
    }
    case 'unmute': {
      const flags = flagsSetTo(intent, 'false');
      if (flags.length === 0) return { why: 'nothing_set' };
      const durationMs = timeLeftAtUnmute(intent, history);
      return { ...base, action: 'mute', ...flip(flags, 'false'), mute: durationMs ? { durationMs } : {}, ...reasonOf(intent) };
    }
    case 'block':
      return { ...base, action: 'unblock', expect: { valid: 'false' }, set: { valid: 'true' }, ...reasonOf(intent) };
    case 'unblock':
      return { ...base, action: 'block', expect: { valid: 'true' }, set: { valid: 'false' }, ...reasonOf(intent) };
    case 'rollback':
      // A rollback's own entry is a request that ended without running: nothing of it is in place.
      return { why: 'not_applied' };
  }
}

/**
 * The action an undo of `action` performs, known before anything is read: what the permission check at the click
 * asks for (undoing a mute is an unmute: moderating; undoing a card edit is an edit: writing).
 */
export function undoActionOf(action: GuardedAction): GuardedAction {
  const opposite: Partial<Record<GuardedAction, GuardedAction>> = { mute: 'unmute', unmute: 'mute', block: 'unblock', unblock: 'block' };
  return opposite[action] ?? action;
}

export function isUndoable(result: Inverse | NotUndoable): result is Inverse {
  return !('why' in result);
}

function fieldsInverse(
  intent: IntentRecord,
  base: Pick<Inverse, 'undoes' | 'target'>,
  action: GuardedAction,
  options: { unsetBefore: string | undefined },
): Inverse | NotUndoable {
  const expect: Record<string, string> = {};
  const set: Record<string, string> = {};
  for (const [field, change] of Object.entries(intent.changes)) {
    // A card is always read before it is edited, so a missing `before` there is an unset field; a QChat member on a
    // very large server may not have been read, and then its old value is not known.
    const before = change.before === undefined ? options.unsetBefore : stateValue(change.before);
    if (before === undefined) return { why: 'before_unknown' };
    expect[field] = stateValue(change.after);
    set[field] = before;
  }
  if (Object.keys(set).length === 0) return { why: 'nothing_set' };
  return { ...base, action, expect, set };
}

type Flag = 'mute' | MuteModule;
const FLAGS: readonly Flag[] = ['mute', ...muteModules];

function flagsSetTo(intent: IntentRecord, value: 'true' | 'false'): Flag[] {
  return FLAGS.filter((flag) => intent.changes[flag] !== undefined && stateValue(intent.changes[flag].after) === value);
}

function flip(flags: readonly Flag[], left: 'true' | 'false'): Pick<Inverse, 'expect' | 'set'> {
  const undone = left === 'true' ? 'false' : 'true';
  return { expect: Object.fromEntries(flags.map((f) => [f, left])), set: Object.fromEntries(flags.map((f) => [f, undone])) };
}

function reasonOf(intent: IntentRecord): { reason?: string } {
  return intent.sanction?.reason ? { reason: intent.sanction.reason } : {};
}

/**
 * How long the mute an unmute lifted still had to run when it was lifted: the newest mute of the account in place
 * before the unmute, if it was timed and its end was still ahead. Undefined (re-mute without end) for a mute without
 * end, one set outside im-admin, and a timed lift (nothing was left of it).
 */
export function timeLeftAtUnmute(unmute: IntentRecord, history: readonly HistoryItem[]): number | undefined {
  if (unmute.sanction?.lifts !== undefined) return undefined;
  const unmutedAt = Date.parse(unmute.at);
  const mute = history
    .filter(changeInPlace)
    .map((item) => item.intent)
    .filter((intent) => intent.action === 'mute' && intent.target.accid.toLowerCase() === unmute.target.accid.toLowerCase())
    .filter((intent) => Date.parse(intent.at) < unmutedAt)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
  const liftAt = mute?.sanction?.liftAt === undefined ? undefined : Date.parse(mute.sanction.liftAt);
  if (liftAt === undefined || mute?.sanction?.forever) return undefined;
  const left = liftAt - unmutedAt;
  return left >= 60_000 ? left : undefined;
}
