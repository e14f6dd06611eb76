import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditLogger } from '../../src/audit/audit-logger.js';
import type { IntentRecord } from '../../src/audit/records.js';

export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'im-admin-audit-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export type CollectedLine = { level: 'warn' | 'error'; details: Record<string, unknown>; message: string };

export function collectingLogger(): AuditLogger & { lines: CollectedLine[] } {
  const lines: CollectedLine[] = [];
  return {
    lines,
    warn: (details, message) => lines.push({ level: 'warn', details, message }),
    error: (details, message) => lines.push({ level: 'error', details, message }),
  };
}

/** The log file's records, parsed line by line (blank lines and torn lines dropped). */
export async function fileRecords(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** A clock that moves one second per call, from a fixed start. */
export function steppingClock(start = Date.UTC(2026, 10, 22, 3, 0, 0)): () => number {
  let t = start - 1000;
  return () => (t += 1000);
}

export function sequentialIds(prefix = 'corr'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

export const sampleIntent = (overrides: Partial<IntentRecord> = {}): IntentRecord => ({
  kind: 'intent',
  id: 'corr-1',
  at: '2026-11-22T03:00:00.000Z',
  actor: 'U0ADMIN1',
  action: 'update_user_card',
  command: '/im update',
  target: { accid: 'alice' },
  changes: { name: { before: 'Alice', after: 'Alicia' } },
  ...overrides,
});
