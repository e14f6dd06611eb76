import { approvalsTableSql } from './approvals.js';
import type pg from 'pg';

/**
 * The PostgreSQL store's schema, as numbered steps. A step, once released, is never edited: a change is a new step.
 * `migrate` applies the missing ones in order, each in its own transaction with its row in `schema_migrations`, so
 * running it again does nothing and a step that fails leaves no trace.
 */
export type Migration = { version: number; name: string; sql: string };

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'audit records (append-only, chained), chain head, settlement, delivery, once keys, lookups, lifts',
    sql: `
      -- Intents, outcomes and refusals: the chained record. seq is the chain position (1, 2, 3…); body is the stored
      -- JSON text the chain hashes, never re-encoded. accid/actor are copies for the history indexes.
      CREATE TABLE audit_records (
        seq bigint PRIMARY KEY,
        id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('intent', 'outcome', 'refusal')),
        at_ms bigint NOT NULL,
        accid text,
        actor text,
        body text NOT NULL,
        UNIQUE (id, kind)
      );
      CREATE INDEX audit_records_by_accid ON audit_records (accid, seq DESC) WHERE kind IN ('intent', 'refusal');
      CREATE INDEX audit_records_by_actor ON audit_records (actor, seq DESC) WHERE kind IN ('intent', 'refusal');

      CREATE FUNCTION audit_records_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit records are append-only: % on audit_records refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$;
      CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records
        FOR EACH ROW EXECUTE FUNCTION audit_records_refuse_change();
      CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
        FOR EACH STATEMENT EXECUTE FUNCTION audit_records_refuse_change();

      -- One row, locked by every append: it serializes the chain across replicas and says where it ends.
      CREATE TABLE audit_chain_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        count bigint NOT NULL,
        hash char(64) NOT NULL,
        id text
      );
      INSERT INTO audit_chain_head (count, hash) VALUES (0, repeat('0', 64));

      -- An intent's settlement lease: the process that wrote it renews it while it waits on NetEase.
      CREATE TABLE audit_settlement (
        id text PRIMARY KEY,
        seq bigint NOT NULL,
        owner text NOT NULL,
        lease_until bigint NOT NULL,
        settled boolean NOT NULL DEFAULT false
      );
      CREATE INDEX audit_settlement_open ON audit_settlement (lease_until) WHERE NOT settled;

      -- Posting finished entries to the audit channel: claims, retries, and where it was posted.
      CREATE TABLE audit_delivery (
        id text PRIMARY KEY,
        ready_seq bigint NOT NULL,
        claimed_by text,
        claimed_until bigint,
        retry_at bigint NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        posted_at bigint,
        posted_channel text,
        posted_ts text
      );
      CREATE INDEX audit_delivery_unposted ON audit_delivery (ready_seq) WHERE posted_at IS NULL;

      CREATE TABLE audit_once (key text PRIMARY KEY, id text NOT NULL, at_ms bigint NOT NULL);
      CREATE INDEX audit_once_by_age ON audit_once (at_ms);

      -- Who looked at whom: outside the chain, so that retention can delete rows.
      CREATE TABLE audit_lookups (
        seq bigserial PRIMARY KEY,
        id text NOT NULL,
        at_ms bigint NOT NULL,
        actor text NOT NULL,
        body text NOT NULL
      );
      CREATE INDEX audit_lookups_by_age ON audit_lookups (at_ms);

      CREATE TABLE audit_lifts (
        sanction_id text PRIMARY KEY,
        accid text NOT NULL,
        lift_at bigint NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'lifted', 'cancelled')),
        claimed_by text,
        claimed_until bigint,
        ended_at bigint,
        lifted_by text,
        why text,
        ended_by text
      );
      CREATE INDEX audit_lifts_due ON audit_lifts (lift_at) WHERE status = 'pending';
      CREATE INDEX audit_lifts_pending_by_accid ON audit_lifts (accid) WHERE status = 'pending';
    `,
  },
  {
    version: 2,
    name: 'standing sanctions: per account and kind, the latest applied mute/unmute or block/unblock',
    sql: `
      -- One row per account and kind of sanction (mute, block): the chain position of its latest applied change, and
      -- the sanction's intent id when that change set it (NULL when it lifted it). Kept by appendOutcome.
      CREATE TABLE audit_standing (
        accid text NOT NULL,
        family text NOT NULL CHECK (family IN ('mute', 'block')),
        seq bigint NOT NULL,
        sanction_id text,
        PRIMARY KEY (accid, family)
      );
      CREATE INDEX audit_standing_set ON audit_standing (seq DESC) WHERE sanction_id IS NOT NULL;

      -- What the records written before this step say.
      INSERT INTO audit_standing (accid, family, seq, sanction_id)
      SELECT DISTINCT ON (i.accid, i.family) i.accid, i.family, i.seq,
             CASE WHEN i.action IN ('mute', 'block') THEN i.id END
      FROM (
        SELECT seq, id, accid, body::jsonb->>'action' AS action,
               CASE WHEN body::jsonb->>'action' IN ('mute', 'unmute') THEN 'mute' ELSE 'block' END AS family
        FROM audit_records
        WHERE kind = 'intent' AND body::jsonb->>'action' IN ('mute', 'unmute', 'block', 'unblock')
      ) i
      JOIN audit_records o ON o.id = i.id AND o.kind = 'outcome'
        AND o.body::jsonb->>'status' IN ('applied', 'applied_confirmed_by_read_back')
      ORDER BY i.accid, i.family, i.seq DESC;
    `,
  },
  {
    version: 3,
    name: 'batches: one moderation action on many accounts, its progress and its one audit channel message',
    sql: `
      CREATE TABLE audit_batches (
        id text PRIMARY KEY,
        state text NOT NULL,
        lease_until bigint NOT NULL,
        body text NOT NULL
      );
      CREATE INDEX audit_batches_running ON audit_batches (lease_until) WHERE state = 'running';
    `,
  },
  {
    version: 4,
    name: 'approval requests: pending until approved, rejected or expired, once',
    sql: approvalsTableSql,
  },
  {
    version: 5,
    name: 'the highest chain head posted to the audit channel, outside the chain',
    sql: `
      -- Raised after each head posted; never moved by appends, so records cut from the end show against it at start.
      CREATE TABLE audit_posted_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        count bigint NOT NULL,
        hash char(64) NOT NULL,
        at_ms bigint NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'long runs of several kinds in the batches table: a rollback beside the moderation batches',
    sql: `
      ALTER TABLE audit_batches ADD COLUMN kind text NOT NULL DEFAULT 'moderation';
      DROP INDEX audit_batches_running;
      CREATE INDEX audit_batches_running ON audit_batches (kind, lease_until) WHERE state = 'running';
    `,
  },
  {
    version: 7,
    name: 'when an entry was first claimed to be posted: a later claimant looks for its message before posting',
    sql: `ALTER TABLE audit_delivery ADD COLUMN posting_since bigint;`,
  },
];

/** Any fixed number works; it only has to be the same in every replica (pg_advisory_lock takes a bigint). */
const migrationLockKey = 7_146_211_001;

/**
 * Applies the missing migrations. Replicas starting together take a session advisory lock first, so one migrates and
 * the others wait, then find nothing left to do. Returns the versions this call applied.
 */
export async function migrate(client: pg.ClientBase, steps: readonly Migration[] = migrations): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
  try {
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const step of [...steps].sort((a, b) => a.version - b.version)) {
      if (done.has(step.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(step.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [step.version, step.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(step.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]);
  }
}
