import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ChainWalk } from '../src/audit/store/chain.js';
import { refusalAt } from './audit/store/records.js';
import { sqliteShell, sqliteStorage } from './audit/store/sqlite/fixtures.js';
import { TrailWriter } from './audit/store/sqlite/trail-writer.js';

const run = promisify(execFile);
const cli = new URL('../src/audit-cli.ts', import.meta.url).pathname;

/** `npm run audit -- <args>` with these settings, as a separate process. */
async function audit(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run audit --', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A SQLite store held open by "the app" (this process) with three refusals. */
  async function runningApp() {
    const storage = await sqliteStorage();
    cleanups.push(storage.remove);
    const store = storage.newStore();
    await store.open();
    cleanups.push(() => store.close());
    for (const n of [1, 2, 3]) await store.appendRefusal(refusalAt(`r${n}`, n));
    return { storage, store, env: { AUDIT_DB: storage.path } };
  }

  it('head prints <count> <sha256>, and verify says the chain is intact, while the app holds the database', async () => {
    const { store, env } = await runningApp();
    const head = await store.head();
    expect(await audit(['head'], env)).toMatchObject({ code: 0, stdout: `3 ${head.hash}\n` });
    const intact = await audit(['verify', '--head', `3:${head.hash}`], env);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain(`is intact: 3 records, head SHA-256 ${head.hash} (record r3)`);
    expect(intact.stdout).toContain(`It reaches the head 3 ${head.hash}`);
  });

  it('verify names the record altered through the sqlite3 shell once its trigger was dropped', async () => {
    const { storage, env } = await runningApp();
    const edit = `DROP TRIGGER audit_records_no_update; UPDATE audit_records SET body = replace(body, 'U0MEMBER', 'U0OTHER') WHERE id = 'r2';`;
    expect(sqliteShell(storage.path, edit).ok).toBe(true);
    const broken = await audit(['verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/is broken at record 2 \(r2\), .*audit\.db audit_records seq 2: its SHA-256 does not match/);
  });

  it('verify --head fails once the newest records were deleted, even with the head row rewritten to match', async () => {
    const { storage, store, env } = await runningApp();
    const posted = await store.head();
    const first = sqliteShell(storage.path, 'SELECT body FROM audit_records WHERE seq = 1').output.trim();
    const walk = new ChainWalk();
    walk.push(first, 'seq 1');
    const truncate =
      'DROP TRIGGER audit_records_no_delete; DROP TRIGGER audit_chain_head_forward; DELETE FROM audit_records WHERE seq > 1; ' +
      `UPDATE audit_chain_head SET count = 1, hash = '${walk.head().hash}', id = 'r1';`;
    expect(sqliteShell(storage.path, truncate).ok).toBe(true);
    expect((await audit(['verify'], env)).code).toBe(0);
    const reaches = await audit(['verify', '--head', `${posted.count}:${posted.hash}`], env);
    expect(reaches.code).toBe(1);
    expect(reaches.stdout).toContain('the trail holds 1 records, fewer than the 3 of that head: its newest records were removed');
  });

  it('exports the stored texts as JSON Lines, since a time when asked', async () => {
    const { storage, env } = await runningApp();
    const all = await audit(['export'], env);
    expect(all.code).toBe(0);
    const stored = sqliteShell(storage.path, 'SELECT body FROM audit_records ORDER BY seq').output;
    expect(all.stdout).toBe(stored);
    const since = await audit(['export', '--since', '2026-11-29T12:02:00Z'], env);
    expect(
      since.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { id: string }).id),
    ).toEqual(['r2', 'r3']);
    expect(await audit(['export', '--since', 'yesterday'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--since must be an ISO 8601 time'),
    });
  });

  it('backs up the database while the app runs and verifies the copy; for PostgreSQL it names pg_dump', async () => {
    const { storage, env } = await runningApp();
    const copy = join(storage.dir, 'backup.db');
    const backup = await audit(['backup', copy], env);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`Backup written to ${copy}. The audit chain of the sqlite store ${copy} is intact: 3 records`);
    expect(await audit(['head'], { AUDIT_DB: copy })).toMatchObject({ code: 0, stdout: expect.stringMatching(/^3 [0-9a-f]{64}\n$/) });
    expect(await audit(['backup', copy], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`${copy} cannot be used (the file exists already`),
    });
    const postgres = await audit(['backup', copy], { AUDIT_DATABASE_URL: 'postgres://im:s3cret@127.0.0.1:1/audit' });
    expect(postgres).toMatchObject({ code: 2, stderr: expect.stringContaining('pg_dump') });
  });

  it('imports a JSON Lines trail offline with progress lines, then has nothing left to do; refused while the app runs', async () => {
    const storage = await sqliteStorage();
    cleanups.push(storage.remove);
    const trail = new TrailWriter();
    for (let n = 0; n < 50; n++) trail.chained(refusalAt(`r${n}`, n));
    const source = join(storage.dir, 'audit.jsonl');
    await trail.write(source, { tail: '{"kind":"refusal","id":"to' });
    const env = { AUDIT_DB: storage.path };

    const imported = await audit(['import', source], env);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('import: 100% (50 of 50 records');
    expect(imported.stderr).toContain(`skipped a torn last line in ${source} (26 bytes`);
    expect(imported.stdout).toContain(`Imported 50 records from ${source} into ${storage.path}`);
    expect(await audit(['verify', '--head', `50:${trail.head}`], env)).toMatchObject({ code: 0 });
    expect(await audit(['import', source], env)).toMatchObject({ code: 0, stdout: expect.stringContaining('nothing to do') });

    const store = storage.newStore();
    await store.open();
    cleanups.push(() => store.close());
    expect(await audit(['import', source], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`held by process ${process.pid}`),
    });
  });

  it('says which file and what is wrong, with exit 2, when the store cannot be read', async () => {
    const storage = await sqliteStorage();
    cleanups.push(storage.remove);
    const missing = join(storage.dir, 'nowhere.db');
    expect(await audit(['verify'], { AUDIT_DB: missing })).toMatchObject({
      code: 2,
      stderr: `The audit store ${missing} cannot be used (no such file: check AUDIT_DB), so nothing was changed\n`,
    });
    const text = join(storage.dir, 'notes.db');
    await writeFile(text, 'not a database, only text '.repeat(100));
    expect(await audit(['head'], { AUDIT_DB: text })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('the file is not an SQLite database'),
    });
    expect(existsSync(missing)).toBe(false);
    const wrong = await audit(['verify'], { AUDIT_DATABASE_URL: 'mysql://u:hunter2@db/audit' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/AUDIT_DATABASE_URL must be a postgres:\/\//);
    expect(wrong.stderr).not.toContain('hunter2');
    const help = await audit([], {});
    expect([help.code, help.stderr]).toEqual([0, expect.stringContaining('Usage: npm run audit -- <command>')]);
  });
});
