import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { SqliteDatabase } from './database.js';

const STEP = 5000;

/**
 * Deletes the rows of `table` older than `before` (epoch ms, column at_ms, indexed): a range of the age index, a few
 * thousand rows per transaction with the event loop's turn between, so pruning costs what it prunes (not what is
 * kept) and a first prune of months of lookups never holds up a request. Returns how many rows went.
 */
export async function pruneInSteps(db: SqliteDatabase, table: 'audit_lookups', before: number): Promise<number> {
  const step = db.prepare<[number, number]>(`DELETE FROM ${table} WHERE seq IN (SELECT seq FROM ${table} WHERE at_ms < ? LIMIT ?)`);
  let deleted = 0;
  for (;;) {
    const { changes } = step.run(before, STEP);
    deleted += changes;
    if (changes < STEP) return deleted;
    await yieldToEventLoop();
  }
}
