import { accidKey } from '../../../nim/accid.js';
import type { AuditEntry, IntentRecord, OutcomeRecord, RefusalRecord } from '../../records.js';
import { GENESIS_HASH } from '../chain.js';
import type { ChainHead, LiftEnd, ScheduledLift } from '../contract.js';

/** Held by a process until `until` (epoch ms); a claim past its time belongs to nobody (its process died). */
export type Claim = { owner: string; until: number };
export type UnsettledIntent = { intent: IntentRecord; order: number; lease: Claim };
export type UnpostedEntry = { entry: AuditEntry; order: number; claim?: Claim; retryAt?: number };
export type PendingLift = { intent: IntentRecord; liftAt: number; claim?: Claim };

/** At-most-once keys are kept this long after they were taken (the contract's "at least 24 hours"). */
export const ONCE_KEY_MS = 24 * 60 * 60 * 1000;

/**
 * What the file store keeps in memory: only the live part of the trail (intents in flight, entries not yet posted,
 * pending lifts, recent at-most-once keys, the chain head), never the history, so memory does not grow with it.
 * Claims are process-local: one process holds the file, so a claim only has to outlive its holder's crash, never a
 * restart.
 */
export class StoreState {
  head: ChainHead = { count: 0, hash: GENESIS_HASH };
  /** Orders entries by their first record, for "oldest first". */
  nextOrder = 1;
  readonly unsettled = new Map<string, UnsettledIntent>();
  readonly unposted = new Map<string, UnpostedEntry>();
  readonly lifts = new Map<string, PendingLift>();
  readonly once = new Map<string, { id: string; at: number }>();

  addIntent(intent: IntentRecord, lease: Claim, liftAt?: number): void {
    this.unsettled.set(intent.id, { intent, order: this.nextOrder++, lease });
    if (liftAt !== undefined) this.lifts.set(intent.id, { intent, liftAt });
  }

  /** Moves a settled intent to the outbox. False when it is not in flight (settled already, or unknown). */
  settle(outcome: OutcomeRecord): boolean {
    const pending = this.unsettled.get(outcome.id);
    if (!pending) return false;
    this.unsettled.delete(outcome.id);
    // An account of a batch is not posted on its own: the batch's one message stands for it.
    if (pending.intent.batch !== undefined) return true;
    this.unposted.set(outcome.id, { entry: { kind: 'update', intent: pending.intent, outcome }, order: pending.order });
    return true;
  }

  addRefusal(refusal: RefusalRecord): void {
    this.unposted.set(refusal.id, { entry: { kind: 'refusal', refusal }, order: this.nextOrder++ });
  }

  posted(id: string): void {
    this.unposted.delete(id);
  }

  takeOnce(key: string, id: string, at: number): void {
    this.once.set(key, { id, at });
  }

  /** Forgets keys older than ONCE_KEY_MS before the newest one. */
  expireOnceKeys(): void {
    let newest = 0;
    for (const { at } of this.once.values()) newest = Math.max(newest, at);
    for (const [key, { at }] of this.once) if (at < newest - ONCE_KEY_MS) this.once.delete(key);
  }

  claimUnsettled(owner: string, now: number, leaseMs: number, limit: number): IntentRecord[] {
    const free = [...this.unsettled.values()]
      .filter(({ lease }) => lease.until < now)
      .sort(byOrder)
      .slice(0, limit);
    for (const pending of free) pending.lease = { owner, until: now + leaseMs };
    return free.map(({ intent }) => intent);
  }

  renewLeases(owner: string, ids: readonly string[], until: number): void {
    for (const id of ids) {
      const pending = this.unsettled.get(id);
      if (pending && pending.lease.owner === owner) pending.lease = { owner, until: Math.max(until, pending.lease.until) };
    }
  }

  claimUnposted(owner: string, now: number, leaseMs: number, limit: number): AuditEntry[] {
    const free = [...this.unposted.values()]
      .filter(({ claim, retryAt }) => (claim === undefined || claim.until < now) && (retryAt === undefined || retryAt <= now))
      .sort(byOrder)
      .slice(0, limit);
    for (const pending of free) pending.claim = { owner, until: now + leaseMs };
    return free.map(({ entry }) => entry);
  }

  postFailed(id: string, owner: string, retryAt: number): void {
    const pending = this.unposted.get(id);
    if (!pending || (pending.claim && pending.claim.owner !== owner)) return;
    delete pending.claim;
    pending.retryAt = retryAt;
  }

  claimDueLifts(owner: string, now: number, leaseMs: number, limit: number): ScheduledLift[] {
    const due = [...this.lifts.entries()]
      .filter(([, { liftAt, claim }]) => liftAt <= now && (claim === undefined || claim.until < now))
      .sort(([, a], [, b]) => a.liftAt - b.liftAt)
      .slice(0, limit);
    for (const [, lift] of due) lift.claim = { owner, until: now + leaseMs };
    return due.map(([sanctionId, { intent, liftAt }]) => ({ sanctionId, intent, liftAt }));
  }

  finishLift(sanctionId: string, _end: LiftEnd): void {
    this.lifts.delete(sanctionId);
  }

  pendingLifts(accids: readonly string[]): ScheduledLift[] {
    const wanted = new Set(accids.map(accidKey));
    return [...this.lifts.entries()]
      .filter(([, { intent }]) => wanted.has(accidKey(intent.target.accid)))
      .sort(([, a], [, b]) => a.liftAt - b.liftAt)
      .map(([sanctionId, { intent, liftAt }]) => ({ sanctionId, intent, liftAt }));
  }
}

function byOrder(a: { order: number }, b: { order: number }): number {
  return a.order - b.order;
}
