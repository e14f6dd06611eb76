import type { SqliteDatabase } from '../database.js';
import { standingStatements } from '../standing.js';
import { outcomeStatuses, type OutcomeStatus } from '../../../records.js';
import {
  isChained,
  leaseLineSchema,
  lineHead,
  liftEndLineSchema,
  liftLineSchema,
  onceLineSchema,
  parseLine,
  postedLineSchema,
} from './lines.js';

/**
 * Stores one line of the old trail as the SQLite store would have stored what it says: a chained record with its
 * text as it was (the chain continues exactly), and the file store's bookkeeping (leases, lifts, posted markers,
 * at-most-once keys) as the rows that now hold it, so that what the old trail left live is taken over.
 */
export function lineWriter(db: SqliteDatabase) {
  const s = {
    record: db.prepare<[number, string, string, number, string | null, string | null, string]>(
      'INSERT INTO audit_records (seq, id, kind, at_ms, accid, actor, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    settlement: db.prepare<[string, number]>(
      `INSERT OR IGNORE INTO audit_settlement (id, seq, owner, lease_until) VALUES (?, ?, 'imported', 0)`,
    ),
    openSettlement: db.prepare<[string], { seq: number; settled: number; batch: string | null }>(
      `SELECT s.seq, s.settled, json_extract(r.body, '$.batch') AS batch FROM audit_settlement s JOIN audit_records r ON r.seq = s.seq
       WHERE s.id = ?`,
    ),
    settle: db.prepare<[string]>('UPDATE audit_settlement SET settled = 1 WHERE id = ?'),
    queue: db.prepare<[string, number]>('INSERT OR IGNORE INTO audit_delivery (id, ready_seq) VALUES (?, ?)'),
    lookup: db.prepare<[string, number, string, string]>('INSERT INTO audit_lookups (id, at_ms, actor, body) VALUES (?, ?, ?, ?)'),
    posted: db.prepare<[number, string | null, string | null, string]>(
      'UPDATE audit_delivery SET posted_at = ?, posted_channel = ?, posted_ts = ? WHERE id = ? AND posted_at IS NULL',
    ),
    lease: db.prepare<[string, number, string]>('UPDATE audit_settlement SET owner = ?, lease_until = ? WHERE id = ? AND settled = 0'),
    intentAccid: db.prepare<[string], { accid: string | null }>(`SELECT accid FROM audit_records WHERE id = ? AND kind = 'intent'`),
    lift: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO audit_lifts (sanction_id, accid, lift_at) VALUES (?, ?, ?)'),
    liftEnd: db.prepare<[string, number, string | null, string | null, string | null, string]>(
      `UPDATE audit_lifts SET status = ?, ended_at = ?, lifted_by = ?, why = ?, ended_by = ? WHERE sanction_id = ? AND status = 'pending'`,
    ),
    once: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO audit_once (key, id, at_ms) VALUES (?, ?, ?)'),
  };

  const standing = standingStatements(db);

  /** Stores `text`; `position` is the chain position a chained line takes. Returns what the line was. */
  return function storeLine(text: string, position: number): 'chained' | 'stored' | 'skipped' {
    const head = lineHead(text);
    if (!head) return 'skipped';
    if (isChained(head.kind)) {
      const fields = chainedFields(parseLine(text));
      const at = fields?.at === undefined ? Number.NaN : Date.parse(fields.at);
      const about = head.kind === 'outcome' ? undefined : fields;
      s.record.run(
        position,
        head.id,
        head.kind,
        Number.isFinite(at) ? at : 0,
        about?.target?.accid.toLowerCase() ?? null,
        about?.actor ?? null,
        text,
      );
      if (head.kind === 'intent') s.settlement.run(head.id, position);
      else if (head.kind === 'refusal') s.queue.run(head.id, position);
      else {
        const open = s.openSettlement.get(head.id);
        if (open && !open.settled) {
          s.settle.run(head.id);
          // An account of a batch is not posted on its own: the batch's one message stands for it.
          if (open.batch === null) s.queue.run(head.id, open.seq);
          standing.settled(open.seq, fields?.status);
        }
      }
      return 'chained';
    }
    const value = parseLine(text);
    switch (head.kind) {
      case 'lookup': {
        // Most lines of a trail are lookups: checked by hand, without a schema, for the import's pace.
        const { at, actor } = (value ?? {}) as { at?: unknown; actor?: unknown };
        if (typeof at !== 'string' || typeof actor !== 'string') return 'skipped';
        s.lookup.run(head.id, Date.parse(at) || 0, actor, text);
        return 'stored';
      }
      case 'posted': {
        const posted = postedLineSchema.safeParse(value);
        if (!posted.success) return 'skipped';
        const { id, at, channel, ts } = posted.data;
        s.posted.run(Date.parse(at), channel ?? null, ts ?? null, id);
        return 'stored';
      }
      case 'lease': {
        const lease = leaseLineSchema.safeParse(value);
        if (!lease.success) return 'skipped';
        s.lease.run(lease.data.owner, lease.data.until, lease.data.id);
        return 'stored';
      }
      case 'lift': {
        const lift = liftLineSchema.safeParse(value);
        const accid = lift.success ? s.intentAccid.get(lift.data.id)?.accid : undefined;
        if (!lift.success || !accid) return 'skipped';
        s.lift.run(lift.data.id, accid, lift.data.liftAt);
        return 'stored';
      }
      case 'lift_end': {
        const end = liftEndLineSchema.safeParse(value);
        if (!end.success) return 'skipped';
        const { id, at, status, liftedBy, why, by } = end.data;
        s.liftEnd.run(status, at, liftedBy ?? null, why ?? null, by ?? null, id);
        return 'stored';
      }
      case 'once': {
        const once = onceLineSchema.safeParse(value);
        if (!once.success) return 'skipped';
        s.once.run(once.data.key, once.data.id, once.data.at);
        return 'stored';
      }
      default:
        return 'skipped';
    }
  };
}

const outcomeStatusSet = new Set<string>(outcomeStatuses);

/** What the chain and the indexes need of a chained line, read leniently (the chain keeps every chained line). */
function chainedFields(value: unknown): { at?: string; actor?: string; target?: { accid: string }; status?: OutcomeStatus } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { at, actor, target, status } = value as { at?: unknown; actor?: unknown; target?: { accid?: unknown }; status?: unknown };
  return {
    ...(typeof at === 'string' ? { at } : {}),
    ...(typeof actor === 'string' ? { actor } : {}),
    ...(typeof target?.accid === 'string' ? { target: { accid: target.accid } } : {}),
    ...(typeof status === 'string' && outcomeStatusSet.has(status) ? { status: status as OutcomeStatus } : {}),
  };
}
