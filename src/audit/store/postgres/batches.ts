import { type BatchRecord, batchRecordSchema } from '../../batch-record.js';
import type { Db } from './db.js';

/** Batch records in PostgreSQL: one row each, its state and lease in columns for the interrupted-batch claim. */

export async function saveBatch(db: Db, batch: BatchRecord): Promise<void> {
  const record = batchRecordSchema.parse(batch);
  await db.query(
    `INSERT INTO audit_batches (id, state, lease_until, body) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, lease_until = EXCLUDED.lease_until, body = EXCLUDED.body`,
    [record.id, record.state, record.leaseUntil, JSON.stringify(record)],
  );
}

export async function batchById(db: Db, id: string): Promise<BatchRecord | undefined> {
  const [row] = await db.query<{ body: string }>('SELECT body FROM audit_batches WHERE id = $1', [id]);
  return row ? batchRecordSchema.parse(JSON.parse(row.body)) : undefined;
}

/** Marks the running batches whose lease expired as interrupted, in one statement: each is handed to one caller only. */
export async function claimInterrupted(db: Db, options: { owner: string; now: number; limit: number }): Promise<BatchRecord[]> {
  return db.transaction(async (client) => {
    const { rows } = await client.query<{ body: string }>(
      `SELECT body FROM audit_batches WHERE state = 'running' AND lease_until < $1
       ORDER BY lease_until LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [options.now, options.limit],
    );
    const claimed: BatchRecord[] = [];
    for (const row of rows) {
      const batch: BatchRecord = { ...batchRecordSchema.parse(JSON.parse(row.body)), state: 'interrupted', updatedAt: options.now };
      await client.query('UPDATE audit_batches SET state = $2, body = $3 WHERE id = $1', [batch.id, batch.state, JSON.stringify(batch)]);
      claimed.push(batch);
    }
    return claimed;
  });
}
