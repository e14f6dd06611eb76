import type pg from 'pg';
import type { IntentRecord, LookupRecord, OutcomeRecord, RefusalRecord } from '../../records.js';
import {
  AuditStoreError,
  type AuditStore,
  type ChainHead,
  type ChainVerification,
  type HistoryItem,
  type HistoryPage,
  type HistoryQuery,
  type LiftEnd,
  type IntentWithLift,
  type LiftPlan,
  type ClaimedEntry,
  type PostedMessage,
  type ScheduledLift,
  type StandingSanction,
  type UnannouncedClaim,
} from '../contract.js';
import type { BatchRecord } from '../../batch-record.js';
import type { RollbackRecord } from '../../rollback-record.js';
import { insertIntent, insertOutcomes, insertRefusal } from './append.js';
import { postgresApprovals } from './approvals.js';
import * as batches from './batches.js';
import * as claims from './claims.js';
import { closedDb, openPool, type Db } from './db.js';
import { postgresLocation, postgresStoreError } from './errors.js';
import { entryById, historyPage } from './history.js';
import { migrate } from './migrations.js';
import { readHead, recordTexts, verifyChain } from './verify.js';
import { postedHeadOf, SELECT_POSTED_HEAD, upsertPostedHead } from '../posted-head.js';

export type PostgresAuditStoreOptions = {
  /** AUDIT_DATABASE_URL: postgres://user:password@host:port/database */
  url: string;
  /** Told about lost connections (warn) and applied migrations (info). */
  logger: {
    info?(details: Record<string, unknown>, message: string): void;
    warn(details: Record<string, unknown>, message: string): void;
  };
  /** Epoch ms; decides when an at-most-once key is old enough to drop. @default Date.now */
  now?: () => number;
  /** Connections per process. @default 10 */
  poolSize?: number;
  /** How long to wait for a connection, in ms. @default 5000 */
  connectTimeoutMs?: number;
  /** How long one query may take, in ms. @default 10000 */
  queryTimeoutMs?: number;
};

/** At-most-once keys are kept at least this long (the contract says 24 hours; two days leaves room for clocks). */
const onceKeyMinAgeMs = 2 * 24 * 60 * 60 * 1000;

/**
 * The audit store on PostgreSQL, shared by every replica: the schema is migrated at open, chained records are
 * appended under one lock (one chain whichever replica writes), and claims use FOR UPDATE SKIP LOCKED with leases.
 * Every failure is an AuditStoreError naming the host, port and database, never the password.
 */
export class PostgresAuditStore implements AuditStore {
  readonly kind = 'postgres' as const;
  readonly location: string;
  private pool: pg.Pool | undefined;
  private db: Db | undefined;
  private readonly now: () => number;
  readonly approvals = postgresApprovals(() => this.database);

  constructor(private readonly options: PostgresAuditStoreOptions) {
    this.location = postgresLocation(options.url);
    this.now = options.now ?? Date.now;
  }

  async open(): Promise<void> {
    if (this.pool) return;
    const { pool, db } = openPool({
      url: this.options.url,
      location: this.location,
      ...(this.options.poolSize ? { poolSize: this.options.poolSize } : {}),
      ...(this.options.connectTimeoutMs ? { connectTimeoutMs: this.options.connectTimeoutMs } : {}),
      ...(this.options.queryTimeoutMs ? { queryTimeoutMs: this.options.queryTimeoutMs } : {}),
      onIdleError: (error) => this.options.logger.warn({ err: postgresStoreError(this.location, error) }, 'audit database connection lost'),
    });
    try {
      const client = await pool.connect();
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        const applied = await migrate(client);
        if (applied.length > 0) this.options.logger.info?.({ applied, store: this.location }, 'audit schema migrated');
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw postgresStoreError(this.location, error);
    }
    this.pool = pool;
    this.db = db;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.db = undefined;
    await pool?.end();
  }

  async ready(): Promise<boolean> {
    if (!this.db) return false;
    try {
      await this.db.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  appendIntent(intent: IntentRecord, options: { owner: string; leaseUntil: number; lift?: LiftPlan }): Promise<void> {
    return this.database.transaction((client) => insertIntent(client, intent, options));
  }

  appendIntents(intents: readonly IntentWithLift[], options: { owner: string; leaseUntil: number }): Promise<void> {
    if (intents.length === 0) return Promise.resolve();
    return this.database.transaction(async (client) => {
      for (const { intent, lift } of intents) await insertIntent(client, intent, { ...options, ...(lift ? { lift } : {}) });
    });
  }

  async appendOutcome(outcome: OutcomeRecord): Promise<boolean> {
    const [stored] = await this.appendOutcomes([outcome]);
    return stored === true;
  }

  appendOutcomes(outcomes: readonly OutcomeRecord[]): Promise<boolean[]> {
    if (outcomes.length === 0) return Promise.resolve([]);
    return this.database.transaction((client) => insertOutcomes(client, outcomes));
  }

  appendRefusal(refusal: RefusalRecord): Promise<void> {
    return this.database.transaction((client) => insertRefusal(client, refusal));
  }

  async appendLookup(lookup: LookupRecord): Promise<void> {
    await this.database.query('INSERT INTO audit_lookups (id, at_ms, actor, body) VALUES ($1, $2, $3, $4)', [
      lookup.id,
      Date.parse(lookup.at),
      lookup.actor,
      JSON.stringify(lookup),
    ]);
  }

  async claimOnce(key: string, id: string, at: number): Promise<{ first: true } | { first: false; id: string }> {
    const db = this.database;
    const inserted = await db.query('INSERT INTO audit_once (key, id, at_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id', [
      key,
      id,
      at,
    ]);
    if (inserted.length > 0) return { first: true };
    // A separate statement: it sees the winner's row even when the winner committed while our insert waited on it.
    const [existing] = await db.query<{ id: string }>('SELECT id FROM audit_once WHERE key = $1', [key]);
    if (!existing) throw new AuditStoreError(this.location, 'at-most-once key vanished while claimed');
    return { first: false, id: existing.id };
  }

  entry(id: string): Promise<HistoryItem | undefined> {
    return entryById(this.database, id);
  }

  async renewLeases(owner: string, ids: readonly string[], leaseUntil: number): Promise<void> {
    if (ids.length === 0) return;
    await this.database.query('UPDATE audit_settlement SET lease_until = $3 WHERE owner = $1 AND id = ANY($2) AND NOT settled', [
      owner,
      ids,
      leaseUntil,
    ]);
  }

  claimUnsettled(options: claims.ClaimOptions): Promise<IntentRecord[]> {
    return claims.claimUnsettled(this.database, options);
  }

  claimUnposted(options: claims.ClaimOptions): Promise<ClaimedEntry[]> {
    return claims.claimUnposted(this.database, options);
  }

  async markPosted(id: string, options: { owner: string; at: number; message?: PostedMessage }): Promise<void> {
    await this.database.query(
      `UPDATE audit_delivery SET posted_at = $2, posted_channel = $3, posted_ts = $4, claimed_by = NULL,
         claimed_until = NULL
       WHERE id = $1 AND posted_at IS NULL`,
      [id, options.at, options.message?.channel ?? null, options.message?.ts ?? null],
    );
  }

  async postFailed(id: string, options: { owner: string; retryAt: number }): Promise<void> {
    await this.database.query(
      `UPDATE audit_delivery SET claimed_by = NULL, claimed_until = NULL, retry_at = $3, attempts = attempts + 1
       WHERE id = $1 AND (claimed_by IS NULL OR claimed_by = $2) AND posted_at IS NULL`,
      [id, options.owner, options.retryAt],
    );
  }

  async unpostedCount(): Promise<number> {
    const [row] = await this.database.query<{ n: string }>('SELECT count(*) AS n FROM audit_delivery WHERE posted_at IS NULL');
    return Number(row?.n ?? 0);
  }

  saveBatch(batch: BatchRecord): Promise<void> {
    return batches.saveRun(this.database, 'moderation', batch);
  }

  batch(id: string): Promise<BatchRecord | undefined> {
    return batches.runById(this.database, 'moderation', id);
  }

  claimInterruptedBatches(options: { owner: string; now: number; limit: number }): Promise<BatchRecord[]> {
    return batches.claimInterrupted(this.database, 'moderation', options);
  }

  saveRollback(rollback: RollbackRecord): Promise<void> {
    return batches.saveRun(this.database, 'rollback', rollback);
  }

  rollback(id: string): Promise<RollbackRecord | undefined> {
    return batches.runById(this.database, 'rollback', id);
  }

  claimInterruptedRollbacks(options: { owner: string; now: number; limit: number }): Promise<RollbackRecord[]> {
    return batches.claimInterrupted(this.database, 'rollback', options);
  }

  claimUnannouncedBatches(options: UnannouncedClaim): Promise<BatchRecord[]> {
    return batches.claimUnannounced(this.database, 'moderation', options);
  }

  claimUnannouncedRollbacks(options: UnannouncedClaim): Promise<RollbackRecord[]> {
    return batches.claimUnannounced(this.database, 'rollback', options);
  }

  history(query: HistoryQuery): Promise<HistoryPage> {
    return historyPage(this.database, query);
  }

  claimDueLifts(options: claims.ClaimOptions): Promise<ScheduledLift[]> {
    return claims.claimDueLifts(this.database, options);
  }

  async finishLift(sanctionId: string, end: LiftEnd): Promise<void> {
    await this.database.query(
      `UPDATE audit_lifts SET status = $2, ended_at = $3, lifted_by = $4, why = $5, ended_by = $6,
         claimed_by = NULL, claimed_until = NULL
       WHERE sanction_id = $1 AND status = 'pending'`,
      [
        sanctionId,
        end.status,
        end.at,
        end.status === 'lifted' ? end.liftedBy : null,
        end.status === 'cancelled' ? end.why : null,
        end.status === 'cancelled' ? (end.by ?? null) : null,
      ],
    );
  }

  pendingLifts(accids: readonly string[]): Promise<ScheduledLift[]> {
    return claims.pendingLifts(this.database, accids);
  }

  standingSanctions(options: { limit: number }): Promise<StandingSanction[]> {
    return claims.standingSanctions(this.database, options.limit);
  }

  head(): Promise<ChainHead> {
    return readHead(this.database);
  }

  async postedHead(): Promise<ChainHead | undefined> {
    const [row] = await this.database.query<{ count: string; hash: string }>(SELECT_POSTED_HEAD);
    return postedHeadOf(row);
  }

  async rememberPostedHead(head: ChainHead, options: { reset?: boolean } = {}): Promise<void> {
    await this.database.query(
      upsertPostedHead((n) => `$${n}`, options.reset === true),
      [true, head.count, head.hash, this.now()],
    );
  }

  verify(): Promise<ChainVerification> {
    return verifyChain(this.database, this.location);
  }

  async *records(options: { since?: number } = {}): AsyncGenerator<string> {
    yield* recordTexts(this.database, options.since);
  }

  async pruneLookups(before: number): Promise<number> {
    const db = this.database;
    const deleted = await db.run('DELETE FROM audit_lookups WHERE at_ms < $1', [before]);
    await db.run('DELETE FROM audit_once WHERE at_ms < $1', [Math.min(before, this.now() - onceKeyMinAgeMs)]);
    return deleted;
  }

  /** The database, or one that rejects every call when the store is not open (never opened, or closed). */
  private get database(): Db {
    return this.db ?? closedDb(this.location);
  }
}
