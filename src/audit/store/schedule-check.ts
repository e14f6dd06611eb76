import { intentRecordSchema, type IntentRecord } from '../records.js';
import type { ChainHead, ChainVerification } from './contract.js';

/**
 * The lift schedule lives beside the chain, not in it (it changes as lifts are claimed and finished); the time each
 * lift is due is also in its intent's chained record (`sanction.liftAt`). Both the scheduler, before lifting, and
 * `verify` compare the two, so a `lift_at` moved by hand cannot lift a mute early while the chain says "intact".
 */
export function liftAtMismatch(
  intent: Pick<IntentRecord, 'id' | 'sanction'> | undefined,
  sanctionId: string,
  liftAt: number,
): string | undefined {
  if (!intent) return `the schedule lifts ${sanctionId} at ${iso(liftAt)}, but the chain holds no intent ${sanctionId}`;
  const chained = intent.sanction?.liftAt;
  if (chained === undefined) return `the schedule lifts ${sanctionId} at ${iso(liftAt)}, but its intent records no lift time`;
  if (Date.parse(chained) !== liftAt) return `the schedule lifts ${sanctionId} at ${iso(liftAt)}, but its intent records ${chained}`;
  return undefined;
}

/** One row of a store's lift schedule, joined with its intent's stored text (null when the chain holds none). */
export type ScheduleRow = { sanctionId: string; liftAt: number; seq: number | null; body: string | null };

/**
 * `verify`'s last step in every store: the first lift whose time is not its chained intent's `liftAt`, as a failed
 * verification naming the lift; undefined when the schedule agrees with the chain. Rows in chain order.
 */
export function scheduleProblem(rows: Iterable<ScheduleRow>, location: string, head: ChainHead): ChainVerification | undefined {
  for (const row of rows) {
    const parsed = row.body === null ? undefined : intentRecordSchema.safeParse(parseJson(row.body));
    const problem = liftAtMismatch(parsed?.success ? parsed.data : undefined, row.sanctionId, row.liftAt);
    if (!problem) continue;
    return {
      ok: false,
      head,
      firstBad: {
        position: row.seq ?? head.count + 1,
        id: row.sanctionId,
        where: `${location} audit_lifts sanction_id ${row.sanctionId}`,
        reason: `the lift schedule was changed outside the chain: ${problem}`,
      },
    };
  }
  return undefined;
}

/** The schedule joined with the intents, in chain order: the same SQL on PostgreSQL and SQLite. */
export const SCHEDULE_ROWS_SQL = `SELECT l.sanction_id, l.lift_at, r.seq, r.body FROM audit_lifts l
  LEFT JOIN audit_records r ON r.id = l.sanction_id AND r.kind = 'intent'
  ORDER BY r.seq IS NOT NULL, r.seq, l.sanction_id`;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}
