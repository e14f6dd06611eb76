import { longRunKinds, otherKind, type LongRunKind, type LongRunOf } from '../long-run-kinds.js';
import type { SqliteDatabase } from './database.js';

/**
 * Long runs (batches, rollbacks) in SQLite: one row each, kind, state and lease in columns for the interrupted claim;
 * each kind read back through its own schema.
 */
export function batchStatements(db: SqliteDatabase) {
  const save = db.prepare<[string, string, string, number, string]>(
    `INSERT INTO audit_batches (id, kind, state, lease_until, body) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, lease_until = excluded.lease_until, body = excluded.body
     WHERE audit_batches.kind = excluded.kind`,
  );
  const byId = db.prepare<[string, string], { body: string }>('SELECT body FROM audit_batches WHERE id = ? AND kind = ?');
  const expired = db.prepare<[string, number, number], { body: string }>(
    `SELECT body FROM audit_batches WHERE kind = ? AND state = 'running' AND lease_until < ? ORDER BY lease_until LIMIT ?`,
  );
  const unannounced = db.prepare<[string, number, number], { body: string }>(
    `SELECT body FROM audit_batches WHERE kind = ? AND state IN ('finished', 'stopped') AND lease_until < ?
     AND json_extract(body, '$.announcing') IS NOT NULL ORDER BY lease_until LIMIT ?`,
  );
  const of = <K extends LongRunKind>(kind: K) => {
    const schema = longRunKinds[kind];
    const parse = (body: string) => schema.parse(JSON.parse(body)) as LongRunOf<K>;
    const put = (run: LongRunOf<K>) => {
      const record = schema.parse(run) as LongRunOf<K>;
      // The upsert skips a row of the other kind: nothing stored is an error, never a silent success.
      if (save.run(record.id, kind, record.state, record.leaseUntil, JSON.stringify(record)).changes === 0)
        throw otherKind(record.id, kind);
    };
    return {
      save: put,
      byId(id: string): LongRunOf<K> | undefined {
        const row = byId.get(id, kind);
        return row ? parse(row.body) : undefined;
      },
      /** One transaction: one process holds the database, so what it marks is handed out once. */
      claimInterrupted: db.transaction((now: number, limit: number): LongRunOf<K>[] =>
        expired.all(kind, now, limit).map((row) => {
          const run = { ...parse(row.body), state: 'interrupted', updatedAt: now } as LongRunOf<K>;
          put(run);
          return run;
        }),
      ),
      claimUnannounced: db.transaction((now: number, leaseMs: number, limit: number): LongRunOf<K>[] =>
        unannounced.all(kind, now, limit).map((row) => {
          const run = { ...parse(row.body), leaseUntil: now + leaseMs } as LongRunOf<K>;
          put(run);
          return run;
        }),
      ),
    };
  };
  return { moderation: of('moderation'), rollback: of('rollback') };
}
