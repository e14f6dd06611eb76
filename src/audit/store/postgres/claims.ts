import type { IntentRecord } from '../../records.js';
import type { ClaimedEntry, ScheduledLift, StandingSanction } from '../contract.js';
import type { Db } from './db.js';
import { parseIntent, parseOutcome } from './history.js';
import { refusalRecordSchema } from '../../records.js';

export type ClaimOptions = { owner: string; now: number; leaseMs: number; limit: number };

/*
 * Each claim is one statement: pick the rows that are free, skipping rows another replica is claiming at this very
 * moment (FOR UPDATE SKIP LOCKED), and stamp them with the owner and the lease's end. Two replicas asking together
 * get disjoint rows; a claim whose lease ran out (its process died) is free again.
 */

/** Intents with no outcome whose lease expired before `now`. */
export async function claimUnsettled(db: Db, options: ClaimOptions): Promise<IntentRecord[]> {
  const rows = await db.query<{ seq: string; body: string }>(
    `WITH free AS (
       SELECT id FROM audit_settlement
       WHERE NOT settled AND lease_until < $2
       ORDER BY lease_until LIMIT $4 FOR UPDATE SKIP LOCKED)
     UPDATE audit_settlement s SET owner = $1, lease_until = $2 + $3
     FROM free, audit_records r
     WHERE s.id = free.id AND r.seq = s.seq
     RETURNING s.seq, r.body`,
    [options.owner, options.now, options.leaseMs, options.limit],
  );
  return bySeq(rows).map((row) => parseIntent(row.body));
}

/**
 * Finished entries not posted, not claimed by a live process and not waiting for a retry, oldest first. The claim
 * keeps the first claim's time (`posting_since`) and answers the one it found: set, an earlier claimant may have posted.
 */
export async function claimUnposted(db: Db, options: ClaimOptions): Promise<ClaimedEntry[]> {
  const rows = await db.query<{ ready_seq: string; kind: string; body: string; outcome: string | null; posting_since: string | null }>(
    `WITH free AS (
       SELECT id, posting_since FROM audit_delivery
       WHERE posted_at IS NULL AND retry_at <= $2 AND (claimed_until IS NULL OR claimed_until <= $2)
       ORDER BY ready_seq LIMIT $4 FOR UPDATE SKIP LOCKED),
     claimed AS (
       UPDATE audit_delivery d SET claimed_by = $1, claimed_until = $2 + $3, posting_since = coalesce(d.posting_since, $2)
       FROM free WHERE d.id = free.id
       RETURNING d.id, d.ready_seq, free.posting_since)
     SELECT c.ready_seq, r.kind, r.body, o.body AS outcome, c.posting_since
     FROM claimed c
     JOIN audit_records r ON r.id = c.id AND r.kind IN ('intent', 'refusal')
     LEFT JOIN audit_records o ON o.id = c.id AND o.kind = 'outcome'`,
    [options.owner, options.now, options.leaseMs, options.limit],
  );
  return rows
    .sort((a, b) => Number(a.ready_seq) - Number(b.ready_seq))
    .map((row): ClaimedEntry => {
      const since = row.posting_since === null ? {} : { postingSince: Number(row.posting_since) };
      if (row.kind === 'refusal') return { kind: 'refusal', refusal: refusalRecordSchema.parse(JSON.parse(row.body)), ...since };
      if (row.outcome === null) throw new Error(`queued update ${row.body.slice(0, 60)} has no outcome`);
      return { kind: 'update', intent: parseIntent(row.body), outcome: parseOutcome(row.outcome), ...since };
    });
}

/** Pending lifts due at or before `now`, oldest first. */
export async function claimDueLifts(db: Db, options: ClaimOptions): Promise<ScheduledLift[]> {
  const rows = await db.query<{ seq: string; sanction_id: string; lift_at: string; body: string }>(
    `WITH free AS (
       SELECT sanction_id FROM audit_lifts
       WHERE status = 'pending' AND lift_at <= $2 AND (claimed_until IS NULL OR claimed_until <= $2)
       ORDER BY lift_at LIMIT $4 FOR UPDATE SKIP LOCKED)
     UPDATE audit_lifts l SET claimed_by = $1, claimed_until = $2 + $3
     FROM free, audit_records r
     WHERE l.sanction_id = free.sanction_id AND r.id = l.sanction_id AND r.kind = 'intent'
     RETURNING r.seq, l.sanction_id, l.lift_at, r.body`,
    [options.owner, options.now, options.leaseMs, options.limit],
  );
  return rows
    .sort((a, b) => Number(a.lift_at) - Number(b.lift_at) || Number(a.seq) - Number(b.seq))
    .map((row) => ({ sanctionId: row.sanction_id, intent: parseIntent(row.body), liftAt: Number(row.lift_at) }));
}

/** Pending lifts for these accounts, soonest first. */
export async function pendingLifts(db: Db, accids: readonly string[]): Promise<ScheduledLift[]> {
  if (accids.length === 0) return [];
  const rows = await db.query<{ sanction_id: string; lift_at: string; body: string }>(
    `SELECT l.sanction_id, l.lift_at, r.body FROM audit_lifts l
     JOIN audit_records r ON r.id = l.sanction_id AND r.kind = 'intent'
     WHERE l.status = 'pending' AND l.accid = ANY($1)
     ORDER BY l.lift_at, r.seq`,
    [accids.map((accid) => accid.toLowerCase())],
  );
  return rows.map((row) => ({ sanctionId: row.sanction_id, intent: parseIntent(row.body), liftAt: Number(row.lift_at) }));
}

/** Timed mutes with a pending lift (soonest first), then untimed sanctions that stand (newest first). */
export async function standingSanctions(db: Db, limit: number): Promise<StandingSanction[]> {
  const [timed, untimed] = await Promise.all([
    db.query<{ sanction_id: string; lift_at: string; body: string }>(
      `SELECT l.sanction_id, l.lift_at, r.body FROM audit_lifts l
       JOIN audit_records r ON r.id = l.sanction_id AND r.kind = 'intent'
       WHERE l.status = 'pending' ORDER BY l.lift_at, r.seq LIMIT $1`,
      [limit],
    ),
    db.query<{ sanction_id: string; body: string }>(
      `SELECT s.sanction_id, r.body FROM audit_standing s
       JOIN audit_records r ON r.id = s.sanction_id AND r.kind = 'intent'
       WHERE s.sanction_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit_lifts l WHERE l.sanction_id = s.sanction_id)
       ORDER BY s.seq DESC LIMIT $1`,
      [limit],
    ),
  ]);
  return [
    ...timed.map((row) => ({ sanctionId: row.sanction_id, intent: parseIntent(row.body), liftAt: Number(row.lift_at) })),
    ...untimed.map((row) => ({ sanctionId: row.sanction_id, intent: parseIntent(row.body) })),
  ];
}

function bySeq<Row extends { seq: string }>(rows: Row[]): Row[] {
  return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
}
