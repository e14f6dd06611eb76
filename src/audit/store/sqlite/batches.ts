import { type BatchRecord, batchRecordSchema } from '../../batch-record.js';
import type { SqliteDatabase } from './database.js';

/** Batch records in SQLite: one row each, state and lease in columns for the interrupted-batch claim. */
export function batchStatements(db: SqliteDatabase) {
  const save = db.prepare<[string, string, number, string]>(
    `INSERT INTO audit_batches (id, state, lease_until, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, lease_until = excluded.lease_until, body = excluded.body`,
  );
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM audit_batches WHERE id = ?');
  const expired = db.prepare<[number, number], { body: string }>(
    `SELECT body FROM audit_batches WHERE state = 'running' AND lease_until < ? ORDER BY lease_until LIMIT ?`,
  );
  const parse = (body: string) => batchRecordSchema.parse(JSON.parse(body));
  return {
    save(batch: BatchRecord): void {
      const record = batchRecordSchema.parse(batch);
      save.run(record.id, record.state, record.leaseUntil, JSON.stringify(record));
    },
    byId(id: string): BatchRecord | undefined {
      const row = byId.get(id);
      return row ? parse(row.body) : undefined;
    },
    /** One transaction: one process holds the database, so what it marks is handed out once. */
    claimInterrupted: db.transaction((now: number, limit: number): BatchRecord[] =>
      expired.all(now, limit).map((row) => {
        const batch: BatchRecord = { ...parse(row.body), state: 'interrupted', updatedAt: now };
        save.run(batch.id, batch.state, batch.leaseUntil, JSON.stringify(batch));
        return batch;
      }),
    ),
  };
}
