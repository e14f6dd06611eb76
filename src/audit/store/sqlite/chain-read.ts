import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ChainWalk, GENESIS_HASH } from '../chain.js';
import type { ChainHead, ChainVerification } from '../contract.js';
import { SCHEDULE_ROWS_SQL, scheduleProblem } from '../schedule-check.js';
import type { SqliteDatabase } from './database.js';

/** Rows per step of the long reads: a few ms of work, then the event loop gets its turn (requests keep being answered). */
const BATCH = 4000;

export function readHead(db: SqliteDatabase): ChainHead {
  const row = db.prepare<[], { count: number; hash: string; id: string | null }>('SELECT count, hash, id FROM audit_chain_head').get();
  if (!row) return { count: 0, hash: GENESIS_HASH };
  return { count: row.count, hash: row.hash, ...(row.id ? { id: row.id } : {}) };
}

/**
 * Walks the chain in order with the walker every store shares, a batch at a time, yielding between batches. A record
 * altered, inserted or removed in the middle breaks a `prev`; records removed from the end are caught by the head row,
 * which every append moves with its record in one transaction. Then the lift schedule, kept beside the chain, is
 * checked against it (each lift's time is its chained intent's `liftAt`).
 */
export async function verifyChain(db: SqliteDatabase, location: string): Promise<ChainVerification> {
  const stored = readHead(db);
  const walk = new ChainWalk();
  for await (const rows of recordBatches(db)) {
    for (const row of rows) walk.push(row.body, `${location} audit_records seq ${row.seq}`);
  }
  const result = walk.result();
  if (!result.ok) return result;
  const { head } = result;
  if (stored.count === head.count && stored.hash === head.hash) return checkSchedule(db, location, head) ?? result;
  return {
    ok: false,
    head,
    firstBad: {
      position: head.count + 1,
      ...(stored.id ? { id: stored.id } : {}),
      where: `${location} audit_chain_head`,
      reason: `the chain head says ${stored.count} records ending in ${stored.hash}, the records end at ${head.count}: records after it were removed`,
    },
  };
}

/** The chained records' stored texts in chain order, from `since` (epoch ms) on when given: what `export` prints. */
export async function* recordTexts(db: SqliteDatabase, since?: number): AsyncGenerator<string> {
  for await (const rows of recordBatches(db, since)) for (const row of rows) yield row.body;
}

async function* recordBatches(db: SqliteDatabase, since?: number): AsyncGenerator<{ seq: number; body: string }[]> {
  const page = db.prepare<[number, number, number], { seq: number; body: string }>(
    'SELECT seq, body FROM audit_records WHERE seq > ? AND +at_ms >= ? ORDER BY seq LIMIT ?',
  );
  let seq = 0;
  for (;;) {
    const rows = page.all(seq, since ?? Number.MIN_SAFE_INTEGER, BATCH);
    if (rows.length === 0) return;
    yield rows;
    seq = rows.at(-1)!.seq;
    if (rows.length < BATCH) return;
    await yieldToEventLoop();
  }
}

function checkSchedule(db: SqliteDatabase, location: string, head: ChainHead): ChainVerification | undefined {
  const rows = db
    .prepare<[], { sanction_id: string; lift_at: number; seq: number | null; body: string | null }>(SCHEDULE_ROWS_SQL)
    .all()
    .map((row) => ({ sanctionId: row.sanction_id, liftAt: row.lift_at, seq: row.seq, body: row.body }));
  return scheduleProblem(rows, location, head);
}
