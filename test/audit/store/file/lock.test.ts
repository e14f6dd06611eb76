import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditStoreError } from '../../../../src/audit/store/contract.js';
import { fileStorage } from './file-harness.js';

const run = promisify(execFile);
const fixture = new URL('./open-store.fixture.ts', import.meta.url).pathname;

/** Opens the store at `path` in a separate Node process. */
async function openInAnotherProcess(path: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture, path], { timeout: 30_000 });
    return { code: 0, output: stdout.trim() };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout.trim() };
  }
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('file store lock', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('refuses a second process on the same file, naming the process that holds it', async () => {
    const storage = await fileStorage();
    const store = storage.newStore();
    await store.open();
    cleanup = async () => {
      await store.close();
      await storage.remove();
    };
    const second = await openInAnotherProcess(storage.path);
    expect(second.code).toBe(3);
    expect(second.output).toContain(`locked by process ${process.pid} on ${hostname()}`);
    expect(second.output).toContain('AUDIT_DATABASE_URL');

    await store.close();
    expect(await openInAnotherProcess(storage.path)).toEqual({ code: 0, output: 'opened' });
  });

  it('refuses a second store in the same process too', async () => {
    const storage = await fileStorage();
    const first = storage.newStore();
    await first.open();
    cleanup = async () => {
      await first.close();
      await storage.remove();
    };
    const failure = await storage
      .newStore()
      .open()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuditStoreError);
    expect((failure as Error).message).toMatch(/locked by process/);
  });

  it('takes over a lock left by a process that is gone, with a warning', async () => {
    const storage = await fileStorage();
    cleanup = storage.remove;
    const pid = await deadPid();
    await writeFile(`${storage.path}.lock`, JSON.stringify({ pid, host: hostname(), at: '2026-11-29T00:00:00.000Z' }));
    const store = storage.newStore();
    await store.open();
    expect(JSON.parse(await readFile(`${storage.path}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(storage.logger.lines.some((line) => line.message.includes('taking over a lock'))).toBe(true);
    await store.close();
  });

  it('takes over a lock naming this very pid from an earlier run (a container restarted as pid 1)', async () => {
    const storage = await fileStorage();
    cleanup = storage.remove;
    await writeFile(`${storage.path}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), at: '2026-11-29T00:00:00.000Z' }));
    const store = storage.newStore();
    await store.open();
    await store.close();
  });
});
