import { ChainWalk, GENESIS_HASH } from '../chain.js';
import type { ChainHead, ChainVerification } from '../contract.js';
import type { Db } from './db.js';
import { SCHEDULE_ROWS_SQL, scheduleProblem } from '../schedule-check.js';

const batchSize = 2000;

/**
 * Walks the chain in order with the walker both stores share, a batch at a time (memory stays flat however long it
 * is). A record altered, inserted or removed in the middle breaks a `prev`; records removed from the end are caught
 * by the head row, which every append moves with its record. Then the lift schedule, which lives beside the chain, is
 * checked against it: each lift's time must be the `liftAt` its chained intent recorded.
 */
export async function verifyChain(db: Db, location: string): Promise<ChainVerification> {
  const stored = await readHead(db);
  const walk = new ChainWalk();
  let seq = 0;
  for (;;) {
    const rows = await db.query<{ seq: string; body: string }>('SELECT seq, body FROM audit_records WHERE seq > $1 ORDER BY seq LIMIT $2', [
      seq,
      batchSize,
    ]);
    for (const row of rows) walk.push(row.body, `${location} audit_records seq ${row.seq}`);
    seq = Number(rows.at(-1)?.seq ?? seq);
    if (rows.length < batchSize) break;
  }
  const result = walk.result();
  if (!result.ok) return result;
  const { head } = result;
  if (stored.count === head.count && stored.hash === head.hash) return (await checkSchedule(db, location, head)) ?? result;
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

export async function readHead(db: Db): Promise<ChainHead> {
  const [row] = await db.query<{ count: string; hash: string; id: string | null }>('SELECT count, hash, id FROM audit_chain_head');
  if (!row) return { count: 0, hash: GENESIS_HASH };
  return { count: Number(row.count), hash: row.hash, ...(row.id ? { id: row.id } : {}) };
}

/** The chained records' stored texts in chain order, a batch at a time (from `since`, epoch ms, when given). */
export async function* recordTexts(db: Db, since?: number): AsyncGenerator<string> {
  let seq = 0;
  for (;;) {
    const rows = await db.query<{ seq: string; body: string }>(
      'SELECT seq, body FROM audit_records WHERE seq > $1 AND at_ms >= $2 ORDER BY seq LIMIT $3',
      [seq, since ?? Number.MIN_SAFE_INTEGER, batchSize],
    );
    for (const row of rows) yield row.body;
    seq = Number(rows.at(-1)?.seq ?? seq);
    if (rows.length < batchSize) return;
  }
}

/** The first lift whose time is not its chained intent's `liftAt`, as a verification failure. */
async function checkSchedule(db: Db, location: string, head: ChainHead): Promise<ChainVerification | undefined> {
  const rows = await db.query<{ sanction_id: string; lift_at: string; seq: string | null; body: string | null }>(SCHEDULE_ROWS_SQL);
  const schedule = rows.map((row) => ({
    sanctionId: row.sanction_id,
    liftAt: Number(row.lift_at),
    seq: row.seq === null ? null : Number(row.seq),
    body: row.body,
  }));
  return scheduleProblem(schedule, location, head);
}
