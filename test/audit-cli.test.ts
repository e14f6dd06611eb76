import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './audit/helpers.js';
import { refusalAt } from './audit/store/records.js';
import { fileStorage } from './audit/store/file/file-harness.js';

const run = promisify(execFile);
const cli = new URL('../src/audit-cli.ts', import.meta.url).pathname;

/** `npm run audit -- <args>` with these settings, as a separate process. */
async function audit(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run audit -- verify', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('says the chain is intact with its head, while the app holds the file, and names the first altered record', async () => {
    const storage = await fileStorage();
    const store = storage.newStore();
    await store.open();
    cleanups.push(async () => {
      await store.close();
      await storage.remove();
    });
    for (const n of [1, 2, 3]) await store.appendRefusal(refusalAt(`r${n}`, n));
    const head = await store.head();

    const intact = await audit(['verify'], { AUDIT_LOG: storage.path });
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain(`is intact: 3 records, head SHA-256 ${head.hash} (record r3)`);

    const text = await readFile(storage.path, 'utf8');
    await writeFile(
      storage.path,
      text.replace(
        '"id":"r2","at":"2026-11-29T12:02:00.000Z","actor":"U0MEMBER"',
        '"id":"r2","at":"2026-11-29T12:02:00.000Z","actor":"U0OTHER"',
      ),
    );
    const broken = await audit(['verify'], { AUDIT_LOG: storage.path });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/is broken at record 2 \(r2\), .*audit\.jsonl line \d+: its SHA-256 does not match/);
  });

  it('refuses settings it cannot use, naming the setting, and explains itself without a command', async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    const wrong = await audit(['verify'], { AUDIT_LOG: join(dir, 'audit.jsonl'), AUDIT_DATABASE_URL: 'mysql://u:hunter2@db/audit' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/AUDIT_DATABASE_URL must be a postgres:\/\//);
    expect(wrong.stderr).not.toContain('hunter2');
    const help = await audit([], {});
    expect([help.code, help.stderr]).toEqual([0, expect.stringContaining('Usage: npm run audit -- verify')]);
  });
});
