import { intentRecordSchema, type OutcomeStatus } from '../../records.js';
import type { StandingSanction } from '../contract.js';
import { appliedStatuses, sanctionFamily, setsSanction } from '../standing.js';
import type { SqliteDatabase } from './database.js';
import { parseIntent } from './history.js';

/**
 * Standing sanctions (the rule of standing.ts): appendOutcome and the import keep, per account and kind, the latest
 * applied change; the App Home's list is then two index scans.
 */
export function standingStatements(db: SqliteDatabase) {
  const upsert = db.prepare<[string, string, number, string | null]>(
    `INSERT INTO audit_standing (accid, family, seq, sanction_id) VALUES (?, ?, ?, ?)
     ON CONFLICT (accid, family) DO UPDATE SET seq = excluded.seq, sanction_id = excluded.sanction_id
     WHERE audit_standing.seq < excluded.seq`,
  );
  const intentBody = db.prepare<[number], { body: string }>(`SELECT body FROM audit_records WHERE seq = ? AND kind = 'intent'`);
  const timed = db.prepare<[number], { sanction_id: string; lift_at: number; body: string }>(
    `SELECT l.sanction_id, l.lift_at, r.body FROM audit_lifts l
     JOIN audit_records r ON r.id = l.sanction_id AND r.kind = 'intent'
     WHERE l.status = 'pending' ORDER BY l.lift_at, r.seq LIMIT ?`,
  );
  const untimed = db.prepare<[number], { sanction_id: string; body: string }>(
    `SELECT s.sanction_id, r.body FROM audit_standing s
     JOIN audit_records r ON r.id = s.sanction_id AND r.kind = 'intent'
     WHERE s.sanction_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit_lifts l WHERE l.sanction_id = s.sanction_id)
     ORDER BY s.seq DESC LIMIT ?`,
  );
  return {
    /** Inside the outcome's transaction: an applied sanction change becomes its account's latest of its kind. */
    settled(intentSeq: number, status: OutcomeStatus | undefined): void {
      if (status === undefined || !appliedStatuses.includes(status)) return;
      const row = intentBody.get(intentSeq);
      const parsed = row ? intentRecordSchema.safeParse(JSON.parse(row.body)) : undefined;
      if (!parsed?.success) return;
      const intent = parsed.data;
      const family = sanctionFamily(intent.action);
      if (family) upsert.run(intent.target.accid.toLowerCase(), family, intentSeq, setsSanction(intent.action) ? intent.id : null);
    },
    list(limit: number): StandingSanction[] {
      return [
        ...timed.all(limit).map((row) => ({ sanctionId: row.sanction_id, intent: parseIntent(row.body), liftAt: row.lift_at })),
        ...untimed.all(limit).map((row) => ({ sanctionId: row.sanction_id, intent: parseIntent(row.body) })),
      ];
    },
  };
}
