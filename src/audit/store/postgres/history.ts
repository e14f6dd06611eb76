import {
  intentRecordSchema,
  outcomeRecordSchema,
  personTarget,
  refusalRecordSchema,
  type IntentRecord,
  type OutcomeRecord,
} from '../../records.js';
import type { HistoryItem, HistoryPage, HistoryQuery, PostedMessage } from '../contract.js';
import type { Db } from './db.js';

type RecordRow = { seq: string; id: string; kind: 'intent' | 'refusal'; body: string };

/**
 * Changes and refusals about one account (accids compared lower-cased) or by one Slack person, newest first. The
 * cursor is the chain position of the last item shown; each page is one index range scan however long the history.
 */
export async function historyPage(db: Db, query: HistoryQuery): Promise<HistoryPage> {
  const limit = query.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new RangeError(`history limit ${limit} not in 1–100`);
  const before = query.before === undefined ? Number.MAX_SAFE_INTEGER : parseCursor(query.before);
  const scan = (column: 'accid' | 'actor', value: number) =>
    `(SELECT seq, id, kind, body FROM audit_records
      WHERE ${column} = $${value} AND kind IN ('intent', 'refusal') AND seq < $2
      ORDER BY seq DESC LIMIT $3)`;
  // A person's page: what they did, and the entries about them (personTarget), two index range scans merged.
  const rows =
    'accid' in query
      ? await db.query<RecordRow>(scan('accid', 1), [query.accid.toLowerCase(), before, limit + 1])
      : await db.query<RecordRow>(`${scan('actor', 1)} UNION ${scan('accid', 4)} ORDER BY seq DESC LIMIT $3`, [
          query.actor,
          before,
          limit + 1,
          personTarget(query.actor).accid.toLowerCase(),
        ]);
  const shown = rows.slice(0, limit);
  const items = await withOutcomes(db, shown);
  const last = shown.at(-1);
  return rows.length > limit && last ? { items, next: last.seq } : { items };
}

/** One change or refusal by id; undefined for an unknown id (lookups are not entries). */
export async function entryById(db: Db, id: string): Promise<HistoryItem | undefined> {
  const rows = await db.query<RecordRow>(`SELECT seq, id, kind, body FROM audit_records WHERE id = $1 AND kind IN ('intent', 'refusal')`, [
    id,
  ]);
  return (await withOutcomes(db, rows))[0];
}

async function withOutcomes(db: Db, rows: readonly RecordRow[]): Promise<HistoryItem[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [outcomeRows, postedRows] = await Promise.all([
    db.query<{ id: string; body: string }>(`SELECT id, body FROM audit_records WHERE id = ANY($1) AND kind = 'outcome'`, [ids]),
    db.query<{ id: string; posted_channel: string | null; posted_ts: string | null }>(
      `SELECT id, posted_channel, posted_ts FROM audit_delivery WHERE id = ANY($1) AND posted_at IS NOT NULL`,
      [ids],
    ),
  ]);
  const outcomes = new Map(outcomeRows.map((row) => [row.id, parseOutcome(row.body)]));
  const posted = new Map<string, PostedMessage>();
  for (const row of postedRows) {
    if (row.posted_channel && row.posted_ts) posted.set(row.id, { channel: row.posted_channel, ts: row.posted_ts });
  }
  return rows.map((row): HistoryItem => {
    const message = posted.get(row.id);
    const extra = message ? { posted: message } : {};
    if (row.kind === 'refusal') return { kind: 'refusal', refusal: refusalRecordSchema.parse(JSON.parse(row.body)), ...extra };
    const outcome = outcomes.get(row.id);
    return { kind: 'update', intent: parseIntent(row.body), ...(outcome ? { outcome } : {}), ...extra };
  });
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
