import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLog } from './generate-log.js';
import { generateSqliteStore } from './generate-sqlite.js';

/**
 * The large fixtures of the audit bench, generated once and kept in the temp directory across runs (a 1 M-record
 * database takes ~35 s to write, 10 M minutes): BENCH_FIXTURES_DIR overrides where. Bump FIXTURE_VERSION when a
 * generator changes. Runs get a copy of a database (the app writes to it), the JSON Lines trail as it is (only read).
 */
const FIXTURE_VERSION = 2;
/** A database fixture's records end an hour before it was generated; past this age its lookups near retention. */
const MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
export const fixturesDir = process.env.BENCH_FIXTURES_DIR ?? join(tmpdir(), 'im-admin-bench-fixtures');

export async function sqliteFixture(chained: number, into: string): Promise<string> {
  const cached = join(fixturesDir, `sqlite-v${FIXTURE_VERSION}-${chained}.db`);
  if (!existsSync(cached) || Date.now() - statSync(cached).mtimeMs > MAX_AGE_MS) {
    process.stderr.write(`  generating a SQLite store of ${chained} chained records (cached in ${fixturesDir})…\n`);
    generateSqliteStore(cached, { chained });
  }
  await mkdir(into, { recursive: true });
  const copy = join(into, 'audit.db');
  await copyFile(cached, copy);
  return copy;
}

export async function jsonlFixture(records: number): Promise<string> {
  const cached = join(fixturesDir, `jsonl-v${FIXTURE_VERSION}-${records}`, 'audit.jsonl');
  if (!existsSync(cached)) {
    process.stderr.write(`  generating a JSON Lines trail of ${records} records (cached in ${fixturesDir})…\n`);
    await mkdir(join(cached, '..'), { recursive: true });
    await generateLog(`${cached}.tmp`, { records, chained: true, rare: 25 });
    await import('node:fs/promises').then((fs) => fs.rename(`${cached}.tmp`, cached));
  }
  return cached;
}
