import { longRunKinds, otherKind, type LongRunKind, type LongRunOf } from '../long-run-kinds.js';
import type { Db } from './db.js';

/**
 * Long runs (batches, rollbacks) in PostgreSQL: one row each, kind, state and lease in columns for the interrupted
 * claim; each kind read back through its own schema.
 */

export async function saveRun<K extends LongRunKind>(db: Db, kind: K, run: LongRunOf<K>): Promise<void> {
  const record = longRunKinds[kind].parse(run) as LongRunOf<K>;
  const stored = await db.run(
    `INSERT INTO audit_batches (id, kind, state, lease_until, body) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, lease_until = EXCLUDED.lease_until, body = EXCLUDED.body
     WHERE audit_batches.kind = EXCLUDED.kind`,
    [record.id, kind, record.state, record.leaseUntil, JSON.stringify(record)],
  );
  // The upsert skips a row of the other kind: nothing stored is an error, never a silent success.
  if (stored === 0) throw otherKind(record.id, kind);
}

export async function runById<K extends LongRunKind>(db: Db, kind: K, id: string): Promise<LongRunOf<K> | undefined> {
  const [row] = await db.query<{ body: string }>('SELECT body FROM audit_batches WHERE id = $1 AND kind = $2', [id, kind]);
  return row ? (longRunKinds[kind].parse(JSON.parse(row.body)) as LongRunOf<K>) : undefined;
}

/** Marks the running ones whose lease expired as interrupted, in one transaction: each is handed to one caller only. */
export async function claimInterrupted<K extends LongRunKind>(
  db: Db,
  kind: K,
  options: { owner: string; now: number; limit: number },
): Promise<LongRunOf<K>[]> {
  return db.transaction(async (client) => {
    const { rows } = await client.query<{ body: string }>(
      `SELECT body FROM audit_batches WHERE kind = $1 AND state = 'running' AND lease_until < $2
       ORDER BY lease_until LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [kind, options.now, options.limit],
    );
    const claimed: LongRunOf<K>[] = [];
    for (const row of rows) {
      const parsed = longRunKinds[kind].parse(JSON.parse(row.body)) as LongRunOf<K>;
      const run = { ...parsed, state: 'interrupted', updatedAt: options.now } as LongRunOf<K>;
      await client.query('UPDATE audit_batches SET state = $2, body = $3 WHERE id = $1', [run.id, run.state, JSON.stringify(run)]);
      claimed.push(run);
    }
    return claimed;
  });
}

/** Ended runs the channel is still owed, lease expired: the lease renewed in one transaction, each to one caller. */
export async function claimUnannounced<K extends LongRunKind>(
  db: Db,
  kind: K,
  options: { now: number; leaseMs: number; limit: number },
): Promise<LongRunOf<K>[]> {
  return db.transaction(async (client) => {
    const { rows } = await client.query<{ body: string }>(
      `SELECT body FROM audit_batches WHERE kind = $1 AND state IN ('finished', 'stopped') AND lease_until < $2
       AND body::jsonb ? 'announcing' ORDER BY lease_until LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [kind, options.now, options.limit],
    );
    const claimed: LongRunOf<K>[] = [];
    for (const row of rows) {
      const parsed = longRunKinds[kind].parse(JSON.parse(row.body)) as LongRunOf<K>;
      const run = { ...parsed, leaseUntil: options.now + options.leaseMs } as LongRunOf<K>;
      await client.query('UPDATE audit_batches SET lease_until = $2, body = $3 WHERE id = $1', [
        run.id,
        run.leaseUntil,
        JSON.stringify(run),
      ]);
      claimed.push(run);
    }
    return claimed;
  });
}
