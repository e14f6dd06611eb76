/* eslint-disable @typescript-eslint/require-await -- better-sqlite3 is synchronous: the methods are async so that a
   failure reaches the caller as a rejected promise, as the contract says, never as a throw. */
import { statSync } from 'node:fs';
import type { AuditLogger } from '../../audit-logger.js';
import {
  intentRecordSchema,
  lookupRecordSchema,
  outcomeRecordSchema,
  refusalRecordSchema,
  type IntentRecord,
  type LookupRecord,
  type OutcomeRecord,
  type RefusalRecord,
} from '../../records.js';
import { chainedText, chainHash } from '../chain.js';
import {
  AuditStoreError,
  type AuditStore,
  type ChainHead,
  type ChainVerification,
  type HistoryItem,
  type HistoryPage,
  type HistoryQuery,
  type IntentWithLift,
  type LiftEnd,
  type LiftPlan,
  type ClaimedEntry,
  type PostedMessage,
  type ScheduledLift,
  type StandingSanction,
  type UnannouncedClaim,
} from '../contract.js';
import { importInBackground, planImport } from './background-import.js';
import { readHead, recordTexts, verifyChain } from './chain-read.js';
import { sqliteApprovals } from './approvals.js';
import { startCheckpointer } from './checkpointer.js';
import { postedHeadOf, SELECT_POSTED_HEAD, upsertPostedHead } from '../posted-head.js';
import { claimStatements, type ClaimOptions } from './claims.js';
import type { BatchRecord } from '../../batch-record.js';
import type { RollbackRecord } from '../../rollback-record.js';
import { batchStatements } from './batches.js';
import { openDatabase, prepareStatements, type SqliteDatabase, type Statements } from './database.js';
import { sqliteStoreError } from './errors.js';
import { historyStatements } from './history.js';
import { ProcessHold } from './holder.js';
import { migrate } from './migrations.js';
import { pruneInSteps } from './prune.js';
import { standingStatements } from './standing.js';

export type SqliteAuditStoreOptions = {
  /** AUDIT_DB: the database file; `<path>-wal`, `<path>-shm` and `<path>.lock` live beside it. */
  path: string;
  logger: AuditLogger;
  /** AUDIT_LOG: the file store's JSON Lines trail, imported in the background at open when it is not yet in the database. */
  importFrom?: string;
  /** Epoch ms; decides when an at-most-once key is old enough to drop. @default Date.now */
  now?: () => number;
  /** How long a write waits for a lock held by another connection (a `sqlite3` shell), in ms. @default 2000 */
  busyTimeoutMs?: number;
};

type ChainedRecord = IntentRecord | OutcomeRecord | RefusalRecord;

/** At-most-once keys are kept at least this long (the contract says 24 hours; two days leaves room for clocks). */
const onceKeyMinAgeMs = 2 * 24 * 60 * 60 * 1000;

type Open = {
  db: SqliteDatabase;
  s: Statements;
  claims: ReturnType<typeof claimStatements>;
  history: ReturnType<typeof historyStatements>;
  standing: ReturnType<typeof standingStatements>;
  batches: ReturnType<typeof batchStatements>;
};

/**
 * The embedded audit store: SQLite through better-sqlite3, one process per database (ProcessHold), the chain rule of
 * contract.ts with the PostgreSQL store's schema and triggers. Statements on the request path are prepared and
 * indexed (microseconds); the long reads (verify, export, retention, the import) go in batches that yield.
 */
export class SqliteAuditStore implements AuditStore {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  private opened: Open | undefined;
  private readonly hold: ProcessHold;
  private readonly now: () => number;
  readonly approvals = sqliteApprovals(
    () => this.use().db,
    (work) => this.write(work),
  );
  private chainEnd: ChainHead = { count: 0, hash: '' };
  private failing = false;
  /** Appends wait for this while an import's first pass finds where the old trail ends. */
  private chainReady: Promise<void> = Promise.resolve();
  /** Chain positions of an old trail still being imported: hidden from the claims until it is done. */
  private hiddenUpTo = 0;
  private importing: Promise<unknown> | undefined;
  private readonly stopImport = new AbortController();
  private checkpointer: ReturnType<typeof startCheckpointer> | undefined;
  /** The database file's inode at open: a file deleted or replaced under the app is told apart from it. */
  private inode: number | undefined;

  constructor(private readonly options: SqliteAuditStoreOptions) {
    this.location = options.path;
    this.now = options.now ?? Date.now;
    this.hold = new ProcessHold(options.path, this.location);
  }

  async open(): Promise<void> {
    if (this.opened) return;
    let db: SqliteDatabase | undefined;
    try {
      db = openDatabase(this.options.path, { busyTimeoutMs: this.options.busyTimeoutMs ?? 2000 });
      this.hold.acquire(db);
      const applied = migrate(db);
      if (applied.length > 0) this.options.logger.info?.({ applied, store: this.location }, 'audit schema migrated');
      this.hold.claim(db, this.options.logger);
      this.opened = {
        db,
        s: prepareStatements(db),
        claims: claimStatements(db),
        history: historyStatements(db),
        standing: standingStatements(db),
        batches: batchStatements(db),
      };
      this.chainEnd = readHead(db);
      this.inode = statSync(this.options.path).ino;
      db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = startCheckpointer(this.options.path, {
        onError: (message) => this.options.logger.warn({ store: this.location, message }, 'audit database: a WAL checkpoint failed'),
      });
      const plan = await planImport(db, this.options.importFrom, this.options.logger);
      if (plan.kind !== 'none') this.startImport(db, plan);
    } catch (error) {
      this.opened = undefined;
      this.hold.release(undefined);
      db?.close();
      throw sqliteStoreError(this.location, error);
    }
  }

  private startImport(db: SqliteDatabase, plan: Exclude<Awaited<ReturnType<typeof planImport>>, { kind: 'none' }>): void {
    let chainIsReady!: () => void;
    this.chainReady = new Promise((resolve) => (chainIsReady = resolve));
    this.importing = importInBackground(db, plan, this.options.logger, this.stopImport.signal, (state) => {
      this.chainEnd = readHead(db);
      this.hiddenUpTo = state.sourceCount;
      chainIsReady();
    })
      .then((done) => {
        if (done?.finishedAt) this.hiddenUpTo = 0;
      })
      // An import that failed before its first pass ended leaves the chain as it was: appends go on from there.
      .finally(chainIsReady);
  }

  /** Resolves once a background import is finished (or stopped); at once when there is none. */
  async imported(): Promise<void> {
    await this.importing;
  }

  async close(): Promise<void> {
    this.stopImport.abort();
    await this.importing;
    const opened = this.opened;
    this.opened = undefined;
    await this.checkpointer?.stop();
    this.checkpointer = undefined;
    this.hold.release(opened?.db);
    opened?.db.close();
  }

  async ready(): Promise<boolean> {
    const opened = this.opened;
    if (!opened) return false;
    if (!this.failing) return true;
    try {
      this.checkStillThere();
      opened.db.exec('BEGIN IMMEDIATE');
      opened.db.exec('ROLLBACK');
      this.failing = false;
      return true;
    } catch {
      return false;
    }
  }

  async appendIntent(intent: IntentRecord, options: { owner: string; leaseUntil: number; lift?: LiftPlan }): Promise<void> {
    const record = intentRecordSchema.parse(intent);
    await this.chainReady;
    this.append(record, (s, seq) => {
      s.insertSettlement.run(record.id, seq, options.owner, options.leaseUntil);
      if (options.lift) s.insertLift.run(record.id, record.target.accid.toLowerCase(), options.lift.liftAt);
    });
  }

  async appendIntents(intents: readonly IntentWithLift[], options: { owner: string; leaseUntil: number }): Promise<void> {
    const records = intents.map(({ intent, lift }) => ({ record: intentRecordSchema.parse(intent), lift }));
    await this.chainReady;
    this.appendAll(
      records.map(({ record, lift }) => ({
        record,
        withIt: (s: Statements, seq: number) => {
          s.insertSettlement.run(record.id, seq, options.owner, options.leaseUntil);
          if (lift) s.insertLift.run(record.id, record.target.accid.toLowerCase(), lift.liftAt);
        },
      })),
    );
  }

  async appendOutcome(outcome: OutcomeRecord): Promise<boolean> {
    const [stored] = await this.appendOutcomes([outcome]);
    return stored === true;
  }

  async appendOutcomes(outcomes: readonly OutcomeRecord[]): Promise<boolean[]> {
    const records = outcomes.map((outcome) => outcomeRecordSchema.parse(outcome));
    await this.chainReady;
    const { s, standing } = this.use();
    const settling = new Set<string>();
    const items: { record: ChainedRecord; withIt: (statements: Statements) => void }[] = [];
    const stored = records.map((record) => {
      const settlement = this.run(() => s.openSettlement.get(record.id));
      if (!settlement) throw new RangeError(`outcome for an intent this store does not hold (${record.id})`);
      if (settlement.settled || settling.has(record.id)) return false;
      settling.add(record.id);
      const inBatch = this.run(() => s.intentBatch.get(settlement.seq))?.batch != null;
      items.push({
        record,
        withIt: (statements) => {
          statements.settle.run(record.id);
          // Queued in the order the changes began (the intent's position), as the channel would have shown them; an
          // account of a batch is not posted on its own (the batch's one message stands for it).
          if (!inBatch) statements.queueDelivery.run(record.id, settlement.seq);
          standing.settled(settlement.seq, record.status);
        },
      });
      return true;
    });
    if (items.length > 0) this.appendAll(items);
    return stored;
  }

  async appendRefusal(refusal: RefusalRecord): Promise<void> {
    const record = refusalRecordSchema.parse(refusal);
    await this.chainReady;
    // An account of a refused bulk action is posted as part of the refusal that names them all (`partOf`).
    this.append(record, (s, seq) => void (record.partOf === undefined && s.queueDelivery.run(record.id, seq)));
  }

  async appendLookup(lookup: LookupRecord): Promise<void> {
    const record = lookupRecordSchema.parse(lookup);
    const { s } = this.use();
    this.write(() => s.insertLookup.run(record.id, Date.parse(record.at), record.actor, JSON.stringify(record)));
  }

  async claimOnce(key: string, id: string, at: number): Promise<{ first: true } | { first: false; id: string }> {
    const { s } = this.use();
    const inserted = this.write(() => s.insertOnce.run(key, id, at)).changes;
    if (inserted > 0) return { first: true };
    const existing = this.run(() => s.onceId.get(key));
    if (!existing) throw new AuditStoreError(this.location, 'at-most-once key vanished while claimed');
    return { first: false, id: existing.id };
  }

  async entry(id: string): Promise<HistoryItem | undefined> {
    const { history } = this.use();
    return this.run(() => history.entry(id));
  }

  async renewLeases(owner: string, ids: readonly string[], leaseUntil: number): Promise<void> {
    const { db, s } = this.use();
    this.write(() => db.transaction(() => ids.forEach((id) => s.renewLease.run(leaseUntil, owner, id)))());
  }

  async saveBatch(batch: BatchRecord): Promise<void> {
    const { batches } = this.use();
    this.write(() => batches.moderation.save(batch));
  }

  async batch(id: string): Promise<BatchRecord | undefined> {
    const { batches } = this.use();
    return this.run(() => batches.moderation.byId(id));
  }

  async claimInterruptedBatches(options: { owner: string; now: number; limit: number }): Promise<BatchRecord[]> {
    const { batches } = this.use();
    return this.write(() => batches.moderation.claimInterrupted(options.now, options.limit));
  }

  async saveRollback(rollback: RollbackRecord): Promise<void> {
    const { batches } = this.use();
    this.write(() => batches.rollback.save(rollback));
  }

  async rollback(id: string): Promise<RollbackRecord | undefined> {
    const { batches } = this.use();
    return this.run(() => batches.rollback.byId(id));
  }

  async claimInterruptedRollbacks(options: { owner: string; now: number; limit: number }): Promise<RollbackRecord[]> {
    const { batches } = this.use();
    return this.write(() => batches.rollback.claimInterrupted(options.now, options.limit));
  }

  async claimUnannouncedBatches(options: UnannouncedClaim): Promise<BatchRecord[]> {
    const { batches } = this.use();
    return this.write(() => batches.moderation.claimUnannounced(options.now, options.leaseMs, options.limit));
  }

  async claimUnannouncedRollbacks(options: UnannouncedClaim): Promise<RollbackRecord[]> {
    const { batches } = this.use();
    return this.write(() => batches.rollback.claimUnannounced(options.now, options.leaseMs, options.limit));
  }

  async claimUnsettled(options: ClaimOptions): Promise<IntentRecord[]> {
    const { claims } = this.use();
    return this.write(() => claims.claimUnsettled(options, this.hiddenUpTo));
  }

  async claimUnposted(options: ClaimOptions): Promise<ClaimedEntry[]> {
    const { claims } = this.use();
    return this.write(() => claims.claimUnposted(options, this.hiddenUpTo));
  }

  async markPosted(id: string, options: { owner: string; at: number; message?: PostedMessage }): Promise<void> {
    const { s } = this.use();
    this.write(() => s.markPosted.run(options.at, options.message?.channel ?? null, options.message?.ts ?? null, id));
  }

  async postFailed(id: string, options: { owner: string; retryAt: number }): Promise<void> {
    const { s } = this.use();
    this.write(() => s.postFailed.run(options.retryAt, id, options.owner));
  }

  async unpostedCount(): Promise<number> {
    const { s } = this.use();
    return this.run(() => s.unpostedCount.get()!.n);
  }

  async history(query: HistoryQuery): Promise<HistoryPage> {
    const { history } = this.use();
    return this.run(() => history.page(query));
  }

  async claimDueLifts(options: ClaimOptions): Promise<ScheduledLift[]> {
    const { claims } = this.use();
    return this.write(() => claims.claimDueLifts(options, this.hiddenUpTo));
  }

  async finishLift(sanctionId: string, end: LiftEnd): Promise<void> {
    const { s } = this.use();
    const lifted = end.status === 'lifted';
    this.write(() =>
      s.finishLift.run(
        end.status,
        end.at,
        lifted ? end.liftedBy : null,
        lifted ? null : end.why,
        lifted ? null : (end.by ?? null),
        sanctionId,
      ),
    );
  }

  async pendingLifts(accids: readonly string[]): Promise<ScheduledLift[]> {
    const { claims } = this.use();
    return this.run(() => claims.pendingLifts(accids));
  }

  async standingSanctions(options: { limit: number }): Promise<StandingSanction[]> {
    const { standing } = this.use();
    return this.run(() => standing.list(options.limit));
  }

  async head(): Promise<ChainHead> {
    this.use();
    await this.chainReady;
    return { ...this.chainEnd };
  }

  async postedHead(): Promise<ChainHead | undefined> {
    const { db } = this.use();
    return postedHeadOf(db.prepare<[], { count: number; hash: string }>(SELECT_POSTED_HEAD).get());
  }

  async rememberPostedHead(head: ChainHead, options: { reset?: boolean } = {}): Promise<void> {
    const { db } = this.use();
    db.prepare(upsertPostedHead(() => '?', options.reset === true)).run(1, head.count, head.hash, Date.now());
  }

  /** Waits for an import in progress (until then the old trail is only partly stored), then walks the chain. */
  async verify(): Promise<ChainVerification> {
    await this.importing;
    const { db } = this.use();
    return verifyChain(db, this.location).catch((error: unknown) => Promise.reject(sqliteStoreError(this.location, error)));
  }

  async *records(options: { since?: number } = {}): AsyncGenerator<string> {
    await this.importing;
    yield* recordTexts(this.use().db, options.since);
  }

  async pruneLookups(before: number): Promise<number> {
    const { db, s } = this.use();
    const deleted = await pruneInSteps(db, 'audit_lookups', before);
    this.write(() => s.pruneOnce.run(Math.min(before, this.now() - onceKeyMinAgeMs)));
    return deleted;
  }

  // ── Writing ────────────────────────────────────────────────────────────────────────────────────────────────────

  /** Appends a chained record after the head, and `withIt` in the same transaction (committed, on disk, or nothing). */
  private append(record: ChainedRecord, withIt: (s: Statements, seq: number) => void): void {
    this.appendAll([{ record, withIt }]);
  }

  /** Appends chained records one after the other, each with its `withIt`, all in one transaction. */
  private appendAll(items: readonly { record: ChainedRecord; withIt: (s: Statements, seq: number) => void }[]): void {
    const { db, s } = this.use();
    let end = this.chainEnd;
    this.write(() =>
      db.transaction(() => {
        for (const { record, withIt } of items) {
          const seq = end.count + 1;
          const body = chainedText(record, end.hash);
          const hash = chainHash(body);
          const accid = record.kind === 'outcome' ? null : record.target.accid.toLowerCase();
          const actor = record.kind === 'outcome' ? null : record.actor;
          s.insertRecord.run(seq, record.id, record.kind, Date.parse(record.at), accid, actor, body);
          s.moveHead.run(seq, hash, record.id);
          withIt(s, seq);
          end = { count: seq, hash, id: record.id };
        }
      })(),
    );
    this.chainEnd = end;
  }

  /**
   * A statement that writes: a failure makes the store not ready until the readiness probe can write again (a claim
   * that found nothing to claim succeeds without writing, so success here proves nothing). First the file is checked
   * to be the one opened: SQLite would go on writing into a database file deleted (or moved away) under it, and
   * everything written after that would be lost at the next start.
   */
  private write<T>(work: () => T): T {
    try {
      this.checkStillThere();
      return work();
    } catch (error) {
      if (!(error instanceof RangeError)) this.failing = true;
      throw sqliteStoreError(this.location, error);
    }
  }

  private checkStillThere(): void {
    let inode: number | undefined;
    try {
      inode = statSync(this.options.path).ino;
    } catch {
      inode = undefined;
    }
    if (inode !== this.inode) {
      throw new AuditStoreError(this.location, 'the database file was deleted or replaced while in use; restart the app to open it again');
    }
  }

  private run<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof RangeError) throw error;
      throw sqliteStoreError(this.location, error);
    }
  }

  private use(): Open {
    if (!this.opened) throw new AuditStoreError(this.location, 'store is not open');
    return this.opened;
  }
}
