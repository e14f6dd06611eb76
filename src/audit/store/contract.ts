import type { BatchRecord } from '../batch-record.js';
import type { RollbackRecord } from '../rollback-record.js';
import type { AuditEntry, IntentRecord, LookupRecord, OutcomeRecord, RefusalRecord } from '../records.js';
import type { ApprovalStore } from './approvals.js';

/**
 * The audit store: where the audit trail lives. Two implementations keep this one contract and pass one conformance
 * suite (test/audit/store/conformance.ts), so they cannot drift apart:
 * - the SQLite store (default, `AUDIT_DB`): one file, one process per database;
 * - the PostgreSQL store (`AUDIT_DATABASE_URL`): shared by every replica.
 *
 * Records (intents, outcomes, refusals) are append-only and hash-chained: each carries the SHA-256 of the previous
 * chained record as it was stored, so rewriting history breaks the chain (`npm run audit -- verify`). Lookups (who
 * looked at whom) are kept outside the chain because retention prunes them. Delivery state (posted to the audit
 * channel, claims), settlement leases, at-most-once keys and the sanction schedule live beside the records, not in
 * the chain.
 *
 * The chain rule, the same for both stores so that one verifier reads either: a chained record is stored as its
 * JSON text (one line) with a `prev` field holding the lower-case hex SHA-256 of the previous chained record's stored
 * text (UTF-8, no trailing newline); the first record's `prev` is 64 zeros. A v1 record (written before the chain
 * existed, so without `prev`) is hashed as it stands, and may only come before the first record that has `prev`.
 *
 * Times are epoch milliseconds unless a record's schema says otherwise. `owner` identifies one running process
 * (hostname, pid and a random part): claims and leases name it so that a dead process's work can be taken over once
 * its lease expires, and never while it is alive and renewing.
 */
export interface AuditStore {
  /** `sqlite` or `postgres`, for logs and /readyz. */
  readonly kind: AuditStoreKind;
  /** Where it is, for messages: the file path, or the database's host/port/name. Never a password. */
  readonly location: string;

  /** Applies migrations; SQLite: takes the database for this process (one per database); PostgreSQL: connects. */
  open(): Promise<void>;
  /** Releases the database or the pool. Appends after close reject. */
  close(): Promise<void>;
  /** Whether an intent could be stored right now (the /readyz probe). Never throws. */
  ready(): Promise<boolean>;

  /**
   * Approval requests (IM_APPROVAL_FOR), shared by every process using the store. Both stores keep them; a store
   * that keeps none (a test double) leaves approvals unconfigurable.
   */
  readonly approvals?: ApprovalStore;

  // ── Records ────────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Stores an intent durably (committed to disk) before NetEase is called, with its settlement lease held
   * by `owner` until `leaseUntil`, and, for a timed sanction, the lift to schedule, in the same durable write. Rejects
   * with AuditStoreError when it cannot be stored: then the change must not be made.
   */
  appendIntent(intent: IntentRecord, options: { owner: string; leaseUntil: number; lift?: LiftPlan }): Promise<void>;
  /**
   * Stores the intents of one chunk of a batch in one durable write (one flush / one transaction): all of them or
   * none, each with its lease held by `owner` until `leaseUntil` and its lift, as appendIntent does for one. Rejects
   * with AuditStoreError when they cannot be stored: then none of their changes may be made.
   */
  appendIntents(intents: readonly IntentWithLift[], options: { owner: string; leaseUntil: number }): Promise<void>;
  /**
   * Stores the outcome that settles an intent. Resolves `false`, storing nothing, when the intent is already settled
   * (another process settled it first): an intent is settled exactly once.
   */
  appendOutcome(outcome: OutcomeRecord): Promise<boolean>;
  /**
   * Stores the outcomes that settle several intents (a batch's chunk), in order, in one durable write: all or none.
   * Each answer says whether its outcome was stored; `false` (nothing stored for it) when its intent was settled
   * already, by another process or earlier in the same list. Rejects, storing none, when one names an intent this
   * store does not hold.
   */
  appendOutcomes(outcomes: readonly OutcomeRecord[]): Promise<boolean[]>;
  /** Stores a refusal and queues it for the audit channel, unless it is `partOf` another (posted as that one). */
  appendRefusal(refusal: RefusalRecord): Promise<void>;
  /** Who looked at whom: stored durably, outside the chain, pruned by `pruneLookups`. */
  appendLookup(lookup: LookupRecord): Promise<void>;

  // ── At most once ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Records that the submission or command `key` (a view id + hash, a trigger id) is being acted on under entry `id`.
   * The first caller gets `{ first: true }`; every later one, in any process, `{ first: false, id }` with the first
   * caller's id. Keys are kept at least 24 hours.
   */
  claimOnce(key: string, id: string, at: number): Promise<{ first: true } | { first: false; id: string }>;
  /** One entry by id (to answer a repeat with the first outcome); `undefined` when unknown or only a lookup. */
  entry(id: string): Promise<HistoryItem | undefined>;

  // ── Settlement of intents whose process died ───────────────────────────────────────────────────────────────────

  /** Extends the leases `owner` holds on its intents in flight. */
  renewLeases(owner: string, ids: readonly string[], leaseUntil: number): Promise<void>;
  /**
   * Intents with no outcome whose lease expired before `now` (their process died), claimed for `owner` until
   * `now + leaseMs`, so that no other process settles them meanwhile. The caller reads back and appends the outcome.
   */
  claimUnsettled(options: { owner: string; now: number; leaseMs: number; limit: number }): Promise<IntentRecord[]>;

  // ── Outbox: posting finished entries to the audit channel exactly once ─────────────────────────────────────────

  /**
   * Finished entries (an update with its outcome, a refusal) not yet posted, not claimed by a live process, and not
   * waiting for a retry, oldest first, claimed for `owner` until `now + leaseMs`. The claim says the entry is being
   * posted since `now`; an entry claimed before (its poster died, or its post failed) comes with `postingSince`, the
   * first such claim's time: its message may be in the channel already.
   */
  claimUnposted(options: { owner: string; now: number; leaseMs: number; limit: number }): Promise<ClaimedEntry[]>;
  /** The entry is in the channel (`message` when posted, absent when no AUDIT_CHANNEL is configured). */
  markPosted(id: string, options: { owner: string; at: number; message?: PostedMessage }): Promise<void>;
  /** Posting failed: releases the claim; not offered again before `retryAt`. */
  postFailed(id: string, options: { owner: string; retryAt: number }): Promise<void>;
  /** How many finished entries are not yet posted (metrics, drain logs). */
  unpostedCount(): Promise<number>;

  // ── Batches (one action on many accounts) ──────────────────────────────────────────────────────────────────────

  /**
   * Stores a batch's record durably, replacing the one with the same id. An outcome settling an intent that names a
   * batch (`IntentRecord.batch`) is never offered by claimUnposted: the batch's one message stands for its accounts.
   */
  saveBatch(batch: BatchRecord): Promise<void>;
  /** One batch by id; `undefined` when unknown. */
  batch(id: string): Promise<BatchRecord | undefined>;
  /**
   * Batches left `running` by a process whose lease on them expired before `now` (it died), marked `interrupted` and
   * handed to the caller, each once across every process sharing the store: to report, never to continue by itself.
   */
  claimInterruptedBatches(options: { owner: string; now: number; limit: number }): Promise<BatchRecord[]>;

  // ── Rollbacks (a long run like a batch, in the same table, never mixed with one) ───────────────────────────────

  /** Stores a rollback's record durably (before its first undo, then as it runs), replacing the one with its id. */
  saveRollback(rollback: RollbackRecord): Promise<void>;
  /** One rollback by id; `undefined` when unknown (a batch's id included). */
  rollback(id: string): Promise<RollbackRecord | undefined>;
  /** As claimInterruptedBatches, for rollbacks: each left running by a dead process is handed out once. */
  claimInterruptedRollbacks(options: { owner: string; now: number; limit: number }): Promise<RollbackRecord[]>;

  /**
   * Batches (or rollbacks) that ended, finished or stopped, with the audit channel still owed part of their message
   * (`announcing`), whose lease expired before `now`: handed to the caller with the lease renewed to `now + leaseMs`,
   * so that one process at a time tries Slack again for each.
   */
  claimUnannouncedBatches(options: UnannouncedClaim): Promise<BatchRecord[]>;
  claimUnannouncedRollbacks(options: UnannouncedClaim): Promise<RollbackRecord[]>;

  // ── History ────────────────────────────────────────────────────────────────────────────────────────────────────

  /** Changes and refusals about one account, or by one Slack person, newest first, paged. */
  history(query: HistoryQuery): Promise<HistoryPage>;

  // ── Timed sanctions ────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Lifts due at or before `now` (or overdue: no process ran at the due time), claimed for `owner` until
   * `now + leaseMs`, oldest first. A lift claimed by a process that died is offered again once its claim expires.
   */
  claimDueLifts(options: { owner: string; now: number; leaseMs: number; limit: number }): Promise<ScheduledLift[]>;
  /** Ends a scheduled lift: done (`liftedBy` is the lift's own entry id), or cancelled (unmuted early, replaced). */
  finishLift(sanctionId: string, end: LiftEnd): Promise<void>;
  /** Pending lifts for these accounts (lower-cased accids), to show on cards: who, why, when it lifts. */
  pendingLifts(accids: readonly string[]): Promise<ScheduledLift[]>;
  /**
   * Sanctions made through the app that still stand as far as the trail knows (the App Home lists them): every timed
   * mute whose lift is pending, soonest lift first; then every mute without end and block whose account's latest
   * applied change of its kind (mute or unmute; block or unblock) is that sanction, newest first. At most `limit` of
   * each. A sanction lifted outside im-admin stays here until the app next changes that account.
   */
  standingSanctions(options: { limit: number }): Promise<StandingSanction[]>;

  // ── Chain and retention ────────────────────────────────────────────────────────────────────────────────────────

  /** The newest chained record: posted to the audit channel at start and daily. */
  head(): Promise<ChainHead>;
  /**
   * The highest chain head posted to the audit channel, kept in a row of its own outside the chain and its head row,
   * so that cutting the newest records (and fixing the head row) still leaves the store knowing it held more. Stores
   * that cannot keep it (the file store) have neither method.
   */
  postedHead?(): Promise<ChainHead | undefined>;
  /** Remembers a head that was posted: only ever raised, unless `reset` (an operator accepted a shorter trail). */
  rememberPostedHead?(head: ChainHead, options?: { reset?: boolean }): Promise<void>;
  /** Walks the whole chain; names the first record that does not match. */
  verify(): Promise<ChainVerification>;
  /**
   * The chained records' stored texts in chain order (those at or after `since`, epoch ms, when given): what
   * `npm run audit -- export` prints, so an export verifies with the same walker.
   */
  records(options?: { since?: number }): AsyncIterable<string>;
  /** Deletes lookup records older than `before`. Returns how many. Changes and refusals are never pruned. */
  pruneLookups(before: number): Promise<number>;
}

export type AuditStoreKind = 'sqlite' | 'postgres';

/** The audit store cannot take or give records (disk, lock, database). An intent it cannot store means no change. */
export class AuditStoreError extends Error {
  readonly code = 'audit_store_unavailable';
  constructor(
    readonly location: string,
    /** A short reason for people: ENOSPC, `database unreachable`, `locked by another process`… */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`The audit store ${location} cannot be used (${reason}), so nothing was changed`, options);
    this.name = 'AuditStoreError';
  }
}

/** An entry claimed to be posted; `postingSince` (epoch ms) when an earlier claim may have posted it already. */
export type ClaimedEntry = AuditEntry & { postingSince?: number };

/** A message the app posted; `permalink` is Slack's link to it (chat.getPermalink), when Slack gave one. */
export type PostedMessage = { channel: string; ts: string; permalink?: string };

/** One intent of a chunk, with the lift of a timed mute. */
export type UnannouncedClaim = { now: number; leaseMs: number; limit: number };

export type IntentWithLift = { intent: IntentRecord; lift?: LiftPlan };

/** A mute to lift later, written with its intent. */
export type LiftPlan = {
  /**
   * Epoch ms when the sanction lifts: the intent's `sanction.liftAt`. The schedule is kept beside the chain, so the
   * scheduler and `verify` check it against that chained copy and refuse a lift whose time differs.
   */
  liftAt: number;
};

export type ScheduledLift = {
  /** The id of the intent that set the sanction. */
  sanctionId: string;
  /** The intent that set it (actor, target, reason, scope as recorded). */
  intent: IntentRecord;
  liftAt: number;
};

/** A sanction that stands: `liftAt` (epoch ms) for a timed mute, absent for one without end and for a block. */
export type StandingSanction = { sanctionId: string; intent: IntentRecord; liftAt?: number };

export type LiftEnd =
  | { status: 'lifted'; at: number; liftedBy: string }
  | {
      status: 'cancelled';
      at: number;
      /** `schedule_mismatch`: the schedule's time is not the one the intent's chained record holds; nothing was sent. */
      why: 'unmuted' | 'replaced' | 'not_applied' | 'already_lifted' | 'schedule_mismatch';
      by?: string;
    };

/**
 * One account's entries, or one Slack person's: what they did (`actor`) and the entries about them (whose target is
 * personTarget, e.g. a request to roll their changes back).
 */
export type HistoryQuery = ({ accid: string } | { actor: string }) & {
  /** Page size. @default 10 */
  limit?: number;
  /** The `next` of the previous page. */
  before?: string;
};

export type HistoryItem =
  /** An update: its outcome is absent while in flight or unsettled; `posted` when the channel has it. */
  | { kind: 'update'; intent: IntentRecord; outcome?: OutcomeRecord; posted?: PostedMessage }
  | { kind: 'refusal'; refusal: RefusalRecord; posted?: PostedMessage };

export type HistoryPage = { items: HistoryItem[]; /** Cursor for the next (older) page. */ next?: string };

export type ChainHead = {
  /** How many chained records there are. */
  count: number;
  /** SHA-256 (hex) of the newest chained record as stored; 64 zeros for an empty chain. */
  hash: string;
  /** The newest chained record's id, when there is one. */
  id?: string;
};

export type ChainVerification =
  | { ok: true; head: ChainHead; /** v1 records written before the chain existed (file store). */ legacy: number }
  | {
      ok: false;
      head: ChainHead;
      /** The first record that does not match: its position (1-based, in chain order), id and what is wrong. */
      firstBad: { position: number; id?: string; where: string; reason: string };
    };
