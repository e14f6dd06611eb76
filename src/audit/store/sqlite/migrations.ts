import type Database from 'better-sqlite3';

/**
 * The SQLite store's schema, as numbered steps (as the PostgreSQL store's): a step, once released, is never edited; a
 * change is a new step. `migrate` applies the missing ones in order, each in one transaction with its row in
 * `schema_migrations`, so running it again does nothing and a step that fails leaves no trace.
 */
export type Migration = { version: number; name: string; sql: string };

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'audit records (append-only, chained), chain head, settlement, delivery, once keys, lookups, lifts, holder, import',
    sql: `
      -- Intents, outcomes and refusals: the chained record, in chain order by seq. body is the stored JSON text the
      -- chain hashes, never re-encoded (an imported record keeps its line). accid/actor are copies for the history
      -- indexes. (id, kind) is not unique: an imported trail may hold a repeat, and the chain must keep it.
      CREATE TABLE audit_records (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('intent', 'outcome', 'refusal')),
        at_ms INTEGER NOT NULL,
        accid TEXT,
        actor TEXT,
        body TEXT NOT NULL
      );
      CREATE INDEX audit_records_by_id ON audit_records (id, kind);
      CREATE INDEX audit_records_by_accid ON audit_records (accid, seq) WHERE kind IN ('intent', 'refusal');
      CREATE INDEX audit_records_by_actor ON audit_records (actor, seq) WHERE kind IN ('intent', 'refusal');

      CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
      BEGIN SELECT RAISE(ABORT, 'audit records are append-only: UPDATE on audit_records refused'); END;
      CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
      BEGIN SELECT RAISE(ABORT, 'audit records are append-only: DELETE on audit_records refused'); END;

      -- One row: where the chain ends. Moved with each append in the same transaction, so records removed from the
      -- end show as a head the records no longer reach.
      CREATE TABLE audit_chain_head (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        count INTEGER NOT NULL,
        hash TEXT NOT NULL,
        id TEXT
      );
      INSERT INTO audit_chain_head (singleton, count, hash) VALUES (1, 0, '${'0'.repeat(64)}');
      CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE ON audit_chain_head WHEN NEW.count < OLD.count
      BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END;
      CREATE TRIGGER audit_chain_head_kept BEFORE DELETE ON audit_chain_head
      BEGIN SELECT RAISE(ABORT, 'the audit chain head row is kept'); END;

      -- An intent's settlement lease: renewed by its process while NetEase is in flight.
      CREATE TABLE audit_settlement (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        owner TEXT NOT NULL,
        lease_until INTEGER NOT NULL,
        settled INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX audit_settlement_open ON audit_settlement (lease_until) WHERE settled = 0;

      -- Posting finished entries to the audit channel: claims, retries, and where it was posted.
      CREATE TABLE audit_delivery (
        id TEXT PRIMARY KEY,
        ready_seq INTEGER NOT NULL,
        claimed_by TEXT,
        claimed_until INTEGER,
        retry_at INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        posted_at INTEGER,
        posted_channel TEXT,
        posted_ts TEXT
      );
      CREATE INDEX audit_delivery_unposted ON audit_delivery (ready_seq) WHERE posted_at IS NULL;

      CREATE TABLE audit_once (key TEXT PRIMARY KEY, id TEXT NOT NULL, at_ms INTEGER NOT NULL);
      CREATE INDEX audit_once_by_age ON audit_once (at_ms);

      -- Who looked at whom: outside the chain, so that retention can delete rows (an indexed delete).
      CREATE TABLE audit_lookups (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX audit_lookups_by_age ON audit_lookups (at_ms);

      CREATE TABLE audit_lifts (
        sanction_id TEXT PRIMARY KEY,
        accid TEXT NOT NULL,
        lift_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'lifted', 'cancelled')),
        claimed_by TEXT,
        claimed_until INTEGER,
        ended_at INTEGER,
        lifted_by TEXT,
        why TEXT,
        ended_by TEXT
      );
      CREATE INDEX audit_lifts_due ON audit_lifts (lift_at) WHERE status = 'pending';
      CREATE INDEX audit_lifts_pending_by_accid ON audit_lifts (accid) WHERE status = 'pending';

      -- Standing sanctions: per account and kind of sanction (mute, block), the chain position of its latest applied
      -- change, and the sanction's intent id when that change set it (NULL when it lifted it). Kept by appendOutcome
      -- and by the import.
      CREATE TABLE audit_standing (
        accid TEXT NOT NULL,
        family TEXT NOT NULL CHECK (family IN ('mute', 'block')),
        seq INTEGER NOT NULL,
        sanction_id TEXT,
        PRIMARY KEY (accid, family)
      );
      CREATE INDEX audit_standing_set ON audit_standing (seq) WHERE sanction_id IS NOT NULL;

      -- The process that has the database open (one at a time): named when a second one is refused.
      CREATE TABLE audit_holder (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        since TEXT NOT NULL
      );

      -- The JSON Lines trail of the file store, imported: where the import stands, so that it resumes after a crash
      -- and never runs twice. source_count/source_hash: the trail's chained records and its newest one's hash.
      CREATE TABLE audit_import (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        source TEXT NOT NULL,
        source_count INTEGER NOT NULL,
        source_hash TEXT NOT NULL,
        source_id TEXT,
        file_seq INTEGER NOT NULL DEFAULT 0,
        file_offset INTEGER NOT NULL DEFAULT 0,
        imported INTEGER NOT NULL DEFAULT 0,
        lines INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        finished_at TEXT
      );
    `,
  },
  {
    version: 2,
    name: 'batches: one moderation action on many accounts, its progress and its one audit channel message',
    sql: `
      CREATE TABLE audit_batches (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        lease_until INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX audit_batches_running ON audit_batches (lease_until) WHERE state = 'running';
    `,
  },
  {
    version: 3,
    name: 'approval requests: pending until approved, rejected or expired, once',
    sql: `
      CREATE TABLE audit_approvals (
        id TEXT PRIMARY KEY,
        requester TEXT NOT NULL,
        permission TEXT NOT NULL CHECK (permission IN ('write', 'moderate')),
        action TEXT NOT NULL,
        payload TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
        decided_by TEXT,
        decided_at INTEGER,
        message_channel TEXT,
        message_ts TEXT
      );
      CREATE INDEX audit_approvals_pending ON audit_approvals (expires_at) WHERE status = 'pending';
    `,
  },
  {
    version: 4,
    name: 'the highest chain head posted to the audit channel, outside the chain',
    sql: `
      -- Raised after each head posted; never moved by appends, so records cut from the end show against it at start.
      CREATE TABLE audit_posted_head (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        count INTEGER NOT NULL,
        hash TEXT NOT NULL,
        at_ms INTEGER NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'long runs of several kinds in the batches table: a rollback beside the moderation batches',
    sql: `
      ALTER TABLE audit_batches ADD COLUMN kind TEXT NOT NULL DEFAULT 'moderation';
      DROP INDEX audit_batches_running;
      CREATE INDEX audit_batches_running ON audit_batches (kind, lease_until) WHERE state = 'running';
    `,
  },
  {
    version: 6,
    name: 'when an entry was first claimed to be posted: a later claimant looks for its message before posting',
    sql: `ALTER TABLE audit_delivery ADD COLUMN posting_since INTEGER;`,
  },
];

/** Applies the missing migrations; returns the versions applied. The caller holds the database (one process). */
export function migrate(db: Database.Database, steps: readonly Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const done = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const newest = Math.max(0, ...done);
  const known = Math.max(0, ...steps.map((step) => step.version));
  if (newest > known) {
    throw new RangeError(`the audit database has schema version ${newest}, newer than this program knows (${known}): upgrade the app`);
  }
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
  for (const step of [...steps].sort((a, b) => a.version - b.version)) {
    if (done.has(step.version)) continue;
    db.transaction(() => {
      db.exec(step.sql);
      record.run(step.version, step.name);
    }).immediate();
    applied.push(step.version);
  }
  return applied;
}
