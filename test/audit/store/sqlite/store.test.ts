import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditStoreError } from '../../../../src/audit/store/contract.js';
import { SqliteAuditStore } from '../../../../src/audit/store/sqlite/store.js';
import { intentAt, refusalAt } from '../records.js';
import { sqliteShell, sqliteStorage } from './fixtures.js';

const run = promisify(execFile);
const fixture = new URL('./store-process.fixture.ts', import.meta.url).pathname;

async function openInAnotherProcess(path: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture, path, 'open'], { timeout: 30_000 });
    return { code: 0, output: stdout.trim() };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout.trim() };
  }
}

describe('SQLite audit store', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function opened() {
    const storage = await sqliteStorage();
    cleanups.push(storage.remove);
    const store = storage.newStore();
    await store.open();
    cleanups.push(() => store.close());
    return { storage, store };
  }

  it('refuses an UPDATE or DELETE of a chained record made through the sqlite3 shell', async () => {
    const { storage, store } = await opened();
    await store.appendRefusal(refusalAt('r1', 0));
    const update = sqliteShell(storage.path, `UPDATE audit_records SET body = 'forged' WHERE id = 'r1'`);
    expect(update).toMatchObject({ ok: false, output: expect.stringContaining('append-only: UPDATE on audit_records refused') });
    const remove = sqliteShell(storage.path, `DELETE FROM audit_records`);
    expect(remove).toMatchObject({ ok: false, output: expect.stringContaining('append-only: DELETE on audit_records refused') });
    expect(await store.verify()).toMatchObject({ ok: true, head: { count: 1 } });
  });

  it('names the altered record once the triggers were dropped and a record rewritten in the shell', async () => {
    const { storage, store } = await opened();
    for (const [n, id] of ['r1', 'r2', 'r3'].entries()) await store.appendRefusal(refusalAt(id, n));
    const edit = sqliteShell(
      storage.path,
      `DROP TRIGGER audit_records_no_update; UPDATE audit_records SET body = replace(body, 'edit card', 'forged') WHERE id = 'r2';`,
    );
    expect(edit.ok).toBe(true);
    const verification = await store.verify();
    expect(verification).toMatchObject({ ok: false, firstBad: { position: 2, id: 'r2', where: `${storage.path} audit_records seq 2` } });
  });

  it('finds newest records deleted through the shell: the head no longer matches', async () => {
    const { storage, store } = await opened();
    for (const [n, id] of ['r1', 'r2', 'r3'].entries()) await store.appendRefusal(refusalAt(id, n));
    expect(sqliteShell(storage.path, 'DROP TRIGGER audit_records_no_delete; DELETE FROM audit_records WHERE seq > 1;').ok).toBe(true);
    const verification = await store.verify();
    expect(verification).toMatchObject({ ok: false, firstBad: { position: 2, reason: expect.stringMatching(/removed/) } });
  });

  it('refuses a second process on the same database, naming the process that holds it', async () => {
    const { storage } = await opened();
    const second = await openInAnotherProcess(storage.path);
    expect(second.code).toBe(3);
    expect(second.output).toContain(`held by process ${process.pid}`);
    expect(second.output).toContain('one process per audit database');
  });

  it('keeps a change answered before kill -9, and the next process takes the database over', async () => {
    const storage = await sqliteStorage();
    cleanups.push(storage.remove);
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, storage.path, 'append-and-wait'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => output, { timeout: 20_000 }).toContain('stored');
    child.kill('SIGKILL');
    await once(child, 'exit');

    const store = storage.newStore();
    await store.open();
    cleanups.push(() => store.close());
    expect(await store.entry('answered')).toEqual({ kind: 'update', intent: intentAt('answered', 0) });
    expect(storage.logger.lines).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/taking over from a process that ended/) }),
    );
  });

  it('opens a copy of the database taken while its process ran (its holder row names that process)', async () => {
    const { storage, store } = await opened();
    await store.appendRefusal(refusalAt('r1', 0));
    const copy = join(storage.dir, 'copy.db');
    const source = new Database(storage.path, { readonly: true });
    await source.backup(copy);
    source.close();
    await copyFile(`${storage.path}.lock`, `${copy}.lock`).catch(() => undefined);
    const onCopy = new SqliteAuditStore({ path: copy, logger: storage.logger });
    await onCopy.open();
    cleanups.push(() => onCopy.close());
    expect((await onCopy.history({ accid: 'alice' })).items).toHaveLength(1);
  });

  it('refuses writes, and is not ready, once its database file was deleted under it', async () => {
    const { storage, store } = await opened();
    await store.appendRefusal(refusalAt('r1', 0));
    await rm(storage.path);
    const failure = await store.appendRefusal(refusalAt('r2', 1)).catch((error: unknown) => error);
    expect((failure as Error).message).toContain('the database file was deleted or replaced while in use');
    expect(await store.ready()).toBe(false);
  });

  it('says which file when the database cannot be opened', async () => {
    const storage = await sqliteStorage();
    cleanups.push(storage.remove);
    const notADatabase = join(storage.dir, 'notes.txt');
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(notADatabase, 'hello, this is not SQLite, it is text, long enough to be read'.repeat(20)),
    );
    const failure = await new SqliteAuditStore({ path: notADatabase, logger: storage.logger }).open().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuditStoreError);
    expect((failure as Error).message).toBe(
      `The audit store ${notADatabase} cannot be used (the file is not an SQLite database), so nothing was changed`,
    );
  });
});
