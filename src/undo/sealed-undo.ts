import { z } from 'zod';
import { guardedActions } from '../policy/permissions.js';
import type { Inverse } from './inverse.js';
import type { UndoPreparation } from './prepare.js';
import type { AccountState } from './state.js';

/**
 * An undo waiting for a second person (IM_APPROVAL_FOR): exactly what it will set, and the account as the requester
 * saw it when they asked. The approver approves that, not whatever the account has become: at the approval the
 * account is read again, and if any value the undo is about moved in between, nothing is sent.
 */

const value = z.string().max(5000);
const key = z.string().min(1).max(32);

export const sealedUndoSchema = z.object({
  /** The audit entry undone. */
  entryId: z.string().min(1).max(128),
  /** The action the undo performs (undoing a block unblocks): the permission an approver needs. */
  action: z.enum(guardedActions),
  target: z.object({ accid: z.string().min(1).max(128), serverId: z.string().max(32).optional() }),
  /** What will be set, key → value (the confirmation's "will set"; with overwrites only where the requester chose). */
  send: z.record(key, value).refine((send) => Object.keys(send).length > 0, 'an undo sets at least one value'),
  /** Every value the undo is about, as it was when the request was made. */
  seen: z.record(key, value),
  /** For a re-mute: for how long, in ms (absent: until lifted). */
  muteForMs: z.number().int().positive().optional(),
});
export type SealedUndo = z.infer<typeof sealedUndoSchema>;

type Checked = Extract<UndoPreparation, { kind: 'checked' }>;

/** Seals what the requester confirmed: `send` is what the confirmation's submission would have sent. */
export function sealUndo(entryId: string, prep: Checked, send: Readonly<Record<string, string>>): SealedUndo {
  const { inverse, state } = prep;
  const seen = Object.fromEntries(Object.keys(inverse.set).map((name) => [name, state[name] ?? '']));
  return sealedUndoSchema.parse({
    entryId,
    action: inverse.action,
    target: inverse.target,
    send: { ...send },
    seen,
    ...(inverse.action === 'mute' && inverse.mute?.durationMs ? { muteForMs: inverse.mute.durationMs } : {}),
  });
}

/** A value the undo is about that is no longer what the requester saw. */
export type MovedValue = { key: string; seen: string; now: string };

export type SealedUndoCheck =
  /** As the requester saw it: send `send` now (applyUndo). */
  | { kind: 'ready'; inverse: Inverse; state: AccountState; send: Readonly<Record<string, string>> }
  /** Someone changed the account since the request: nothing is sent. */
  | { kind: 'moved'; moved: MovedValue[] }
  /** Undone already, gone, unreadable, or no longer the same undo: nothing is sent. */
  | { kind: 'gone'; prep: Exclude<UndoPreparation, Checked> | Checked };

/**
 * The "changed since" check again, at the approval, against the request: `prep` is prepareUndo of the same entry now.
 * Ready only when it is still the same undo (action, target, the values it sets) and every value it is about is still
 * what the requester saw; then what was sealed is sent, unchanged.
 */
export function recheckSealedUndo(sealed: SealedUndo, prep: UndoPreparation): SealedUndoCheck {
  if (prep.kind !== 'checked') return { kind: 'gone', prep };
  const { inverse, state } = prep;
  const sameUndo =
    inverse.undoes === sealed.entryId &&
    inverse.action === sealed.action &&
    inverse.target.accid === sealed.target.accid &&
    inverse.target.serverId === sealed.target.serverId &&
    Object.entries(sealed.send).every(([name, set]) => inverse.set[name] === set) &&
    sameKeys(inverse.set, sealed.seen) &&
    (inverse.action === 'mute' ? inverse.mute?.durationMs : undefined) === sealed.muteForMs;
  if (!sameUndo) return { kind: 'gone', prep };
  const moved = Object.entries(sealed.seen)
    .filter(([name, seen]) => (state[name] ?? '') !== seen)
    .map(([name, seen]) => ({ key: name, seen, now: state[name] ?? '' }));
  if (moved.length > 0) return { kind: 'moved', moved };
  return { kind: 'ready', inverse, state, send: sealed.send };
}

function sameKeys(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const left = Object.keys(a).sort();
  const right = Object.keys(b).sort();
  return left.length === right.length && left.every((name, n) => name === right[n]);
}
