import { refusalRecordSchema, type IntentRecord } from '../../records.js';
import type { ClaimedEntry, ScheduledLift } from '../contract.js';
import type { SqliteDatabase } from './database.js';
import { parseIntent, parseOutcome } from './history.js';

export type ClaimOptions = { owner: string; now: number; leaseMs: number; limit: number };

/**
 * The claims, each one transaction: pick the free rows (an index range), stamp them with the owner and the lease's
 * end. One process holds the database, so no row is contested; the leases still matter, for a restart after a crash.
 *
 * `after` hides the records of a trail still being imported (chain positions up to it): what the old trail left
 * unsettled, unposted or pending may be settled, posted or ended by lines not yet imported, so it is offered only
 * once the import is done.
 */
export function claimStatements(db: SqliteDatabase) {
  const unsettled = db.prepare<[number, number, number], { id: string; body: string }>(
    `SELECT s.id, r.body FROM audit_settlement s JOIN audit_records r ON r.seq = s.seq
     WHERE s.settled = 0 AND s.lease_until < ? AND s.seq > ? ORDER BY s.seq LIMIT ?`,
  );
  const lease = db.prepare<[string, number, string]>('UPDATE audit_settlement SET owner = ?, lease_until = ? WHERE id = ?');
  const unposted = db.prepare<[number, number, number, number], { id: string; ready_seq: number; posting_since: number | null }>(
    `SELECT id, ready_seq, posting_since FROM audit_delivery
     WHERE posted_at IS NULL AND retry_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?) AND ready_seq > ?
     ORDER BY ready_seq LIMIT ?`,
  );
  // The claim says since when the entry is being posted: the first claim's time stays, for a later claimant's look.
  const claimDelivery = db.prepare<[string, number, number, string]>(
    'UPDATE audit_delivery SET claimed_by = ?, claimed_until = ?, posting_since = coalesce(posting_since, ?) WHERE id = ?',
  );
  const entryBody = db.prepare<[number], { kind: string; id: string; body: string }>(
    'SELECT kind, id, body FROM audit_records WHERE seq = ?',
  );
  const outcomeOf = db.prepare<[string], { body: string }>(
    `SELECT body FROM audit_records WHERE id = ? AND kind = 'outcome' ORDER BY seq LIMIT 1`,
  );
  const dueLifts = db.prepare<[number, number, number, number], { sanction_id: string; lift_at: number; body: string; seq: number }>(
    `SELECT l.sanction_id, l.lift_at, r.body, r.seq FROM audit_lifts l
     JOIN audit_records r ON r.id = l.sanction_id AND r.kind = 'intent'
     WHERE l.status = 'pending' AND l.lift_at <= ? AND (l.claimed_until IS NULL OR l.claimed_until <= ?) AND r.seq > ?
     ORDER BY l.lift_at, r.seq LIMIT ?`,
  );
  const claimLift = db.prepare<[string, number, string]>('UPDATE audit_lifts SET claimed_by = ?, claimed_until = ? WHERE sanction_id = ?');
  const pendingFor = db.prepare<[string], { sanction_id: string; lift_at: number; body: string; seq: number }>(
    `SELECT l.sanction_id, l.lift_at, r.body, r.seq FROM audit_lifts l
     JOIN audit_records r ON r.id = l.sanction_id AND r.kind = 'intent'
     WHERE l.status = 'pending' AND l.accid = ?`,
  );

  return {
    claimUnsettled: db.transaction((options: ClaimOptions, after: number): IntentRecord[] => {
      const rows = unsettled.all(options.now, after, options.limit);
      for (const row of rows) lease.run(options.owner, options.now + options.leaseMs, row.id);
      return rows.map((row) => parseIntent(row.body));
    }),

    claimUnposted: db.transaction((options: ClaimOptions, after: number): ClaimedEntry[] => {
      const rows = unposted.all(options.now, options.now, after, options.limit);
      return rows.map((row): ClaimedEntry => {
        claimDelivery.run(options.owner, options.now + options.leaseMs, options.now, row.id);
        const since = row.posting_since === null ? {} : { postingSince: row.posting_since };
        const first = entryBody.get(row.ready_seq);
        if (!first) throw new Error(`queued entry ${row.id} has no record at ${row.ready_seq}`);
        if (first.kind === 'refusal') return { kind: 'refusal', refusal: refusalRecordSchema.parse(JSON.parse(first.body)), ...since };
        const outcome = outcomeOf.get(row.id);
        if (!outcome) throw new Error(`queued update ${row.id} has no outcome`);
        return { kind: 'update', intent: parseIntent(first.body), outcome: parseOutcome(outcome.body), ...since };
      });
    }),

    claimDueLifts: db.transaction((options: ClaimOptions, after: number): ScheduledLift[] => {
      const rows = dueLifts.all(options.now, options.now, after, options.limit);
      for (const row of rows) claimLift.run(options.owner, options.now + options.leaseMs, row.sanction_id);
      return rows.map((row) => ({ sanctionId: row.sanction_id, intent: parseIntent(row.body), liftAt: row.lift_at }));
    }),

    /** Pending lifts for these accounts (one index lookup each), soonest first. */
    pendingLifts(accids: readonly string[]): ScheduledLift[] {
      const rows = [...new Set(accids.map((accid) => accid.toLowerCase()))].flatMap((accid) => pendingFor.all(accid));
      return rows
        .sort((a, b) => a.lift_at - b.lift_at || a.seq - b.seq)
        .map((row) => ({ sanctionId: row.sanction_id, intent: parseIntent(row.body), liftAt: row.lift_at }));
    },
  };
}

export type ClaimStatements = ReturnType<typeof claimStatements>;
