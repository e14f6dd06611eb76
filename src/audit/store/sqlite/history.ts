import {
  intentRecordSchema,
  outcomeRecordSchema,
  personTarget,
  refusalRecordSchema,
  type IntentRecord,
  type OutcomeRecord,
} from '../../records.js';
import type { HistoryItem, HistoryPage, HistoryQuery } from '../contract.js';
import type { SqliteDatabase } from './database.js';

type RecordRow = { seq: number; id: string; kind: 'intent' | 'refusal'; body: string };

/**
 * History and single entries. An account's or a person's page is one range scan of its index, newest first (the
 * cursor is the chain position of the last item shown), then one indexed look-up per item for its outcome and where
 * it was posted: a page costs the same among ten records or ten million.
 */
export function historyStatements(db: SqliteDatabase) {
  const byAccid = db.prepare<[string, number, number], RecordRow>(
    `SELECT seq, id, kind, body FROM audit_records
     WHERE accid = ? AND kind IN ('intent', 'refusal') AND seq < ? ORDER BY seq DESC LIMIT ?`,
  );
  // What the person did, and the entries about them (personTarget): two range scans of their indexes, merged.
  const byActor = db.prepare<[string, number, number, string, number, number, number], RecordRow>(
    `SELECT seq, id, kind, body FROM (
       SELECT seq, id, kind, body FROM audit_records
       WHERE actor = ? AND kind IN ('intent', 'refusal') AND seq < ? ORDER BY seq DESC LIMIT ?)
     UNION
     SELECT seq, id, kind, body FROM (
       SELECT seq, id, kind, body FROM audit_records
       WHERE accid = ? AND kind IN ('intent', 'refusal') AND seq < ? ORDER BY seq DESC LIMIT ?)
     ORDER BY seq DESC LIMIT ?`,
  );
  const byId = db.prepare<[string], RecordRow>(
    `SELECT seq, id, kind, body FROM audit_records WHERE id = ? AND kind IN ('intent', 'refusal') ORDER BY seq LIMIT 1`,
  );
  const outcomeOf = db.prepare<[string], { body: string }>(
    `SELECT body FROM audit_records WHERE id = ? AND kind = 'outcome' ORDER BY seq LIMIT 1`,
  );
  const postedOf = db.prepare<[string], { posted_channel: string | null; posted_ts: string | null }>(
    'SELECT posted_channel, posted_ts FROM audit_delivery WHERE id = ? AND posted_at IS NOT NULL',
  );

  const complete = (row: RecordRow): HistoryItem => {
    const posted = postedOf.get(row.id);
    const extra = posted?.posted_channel && posted.posted_ts ? { posted: { channel: posted.posted_channel, ts: posted.posted_ts } } : {};
    if (row.kind === 'refusal') return { kind: 'refusal', refusal: refusalRecordSchema.parse(JSON.parse(row.body)), ...extra };
    const outcome = outcomeOf.get(row.id);
    return { kind: 'update', intent: parseIntent(row.body), ...(outcome ? { outcome: parseOutcome(outcome.body) } : {}), ...extra };
  };

  return {
    page(query: HistoryQuery): HistoryPage {
      const limit = query.limit ?? 10;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new RangeError(`history limit ${limit} not in 1–100`);
      const before = query.before === undefined ? Number.MAX_SAFE_INTEGER : parseCursor(query.before);
      const rows =
        'accid' in query
          ? byAccid.all(query.accid.toLowerCase(), before, limit + 1)
          : byActor.all(query.actor, before, limit + 1, personTarget(query.actor).accid.toLowerCase(), before, limit + 1, limit + 1);
      const shown = rows.slice(0, limit);
      const last = shown.at(-1);
      const items = shown.map(complete);
      return rows.length > limit && last ? { items, next: String(last.seq) } : { items };
    },
    entry(id: string): HistoryItem | undefined {
      const row = byId.get(id);
      return row && complete(row);
    },
  };
}

/** The stored text parsed again (the database is a boundary too); `prev` is the chain's, not the record's. */
export function parseIntent(body: string): IntentRecord {
  return intentRecordSchema.parse(JSON.parse(body));
}

export function parseOutcome(body: string): OutcomeRecord {
  return outcomeRecordSchema.parse(JSON.parse(body));
}

function parseCursor(cursor: string): number {
  if (!/^[1-9]\d{0,15}$/.test(cursor)) throw new RangeError(`not a history cursor of this store: ${cursor.slice(0, 40)}`);
  return Number(cursor);
}
