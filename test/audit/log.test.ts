import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, AuditWriteError } from '../../src/audit/log.js';
import { collectingLogger, fileRecords, sampleIntent, tempDir } from './helpers.js';

describe('AuditLog', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await tempDir()));
  afterEach(() => remove());

  it('creates the directory and appends one JSON line per record, private to the owner', async () => {
    const path = join(dir, 'nested', 'data', 'audit.jsonl');
    const log = new AuditLog(path);
    await log.append(sampleIntent());
    await log.append({ kind: 'posted', id: 'corr-1', at: '2026-11-22T03:00:01.000Z' });
    await log.close();

    const text = await readFile(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(await fileRecords(path)).toEqual([sampleIntent(), { kind: 'posted', id: 'corr-1', at: '2026-11-22T03:00:01.000Z' }]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('keeps concurrent appends on separate lines, in call order', async () => {
    const path = join(dir, 'audit.jsonl');
    const log = new AuditLog(path);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.append({ kind: 'posted', id: `id-${i}`, at: '2026-11-22T03:00:00.000Z' })),
    );
    await log.close();
    expect((await fileRecords(path)).map((record) => record.id)).toEqual(Array.from({ length: 50 }, (_, i) => `id-${i}`));
  });

  it('rejects with a coded AuditWriteError naming the path and the reason when the file cannot be created', async () => {
    const blocker = join(dir, 'not-a-directory');
    await writeFile(blocker, 'a regular file');
    const log = new AuditLog(join(blocker, 'audit.jsonl'));

    const failure = await log.append(sampleIntent()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuditWriteError);
    expect(failure).toMatchObject({ code: 'audit_write_failed', reason: expect.stringMatching(/^E[A-Z]+$/) });
    expect((failure as Error).message).toContain(join(blocker, 'audit.jsonl'));
    // The log keeps working for later appends (here: it still fails, but with the same clear error, not a hang).
    await expect(log.append(sampleIntent())).rejects.toBeInstanceOf(AuditWriteError);
  });

  it('reads back every record and skips a torn last line with a warning', async () => {
    const path = join(dir, 'audit.jsonl');
    const logger = collectingLogger();
    const log = new AuditLog(path, logger);
    await log.append(sampleIntent());
    await log.close();
    await appendFile(path, '{"kind":"outcome","id":"corr-1","at":"2026-11-2'); // the process died mid-write

    const reading = await new AuditLog(path, logger).readAll();
    expect(reading.records).toEqual([sampleIntent()]);
    expect(reading.skippedLines).toEqual([2]);
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'warn', details: { path, lines: [2] } })]);
  });

  it('starts a fresh line after a torn one, so the next record survives', async () => {
    const path = join(dir, 'audit.jsonl');
    await writeFile(path, `${JSON.stringify(sampleIntent())}\n{"kind":"outc`);

    const log = new AuditLog(path);
    await log.append({ kind: 'posted', id: 'corr-9', at: '2026-11-22T03:00:00.000Z' });
    const reading = await log.readAll();
    await log.close();
    expect(reading.records.map((record) => record.id)).toEqual(['corr-1', 'corr-9']);
    expect(reading.skippedLines).toEqual([2]);
  });

  it('skips lines that are JSON but not an audit record', async () => {
    const path = join(dir, 'audit.jsonl');
    await writeFile(path, `{"kind":"intent","id":"x"}\n\n${JSON.stringify(sampleIntent())}\n`);
    const reading = await new AuditLog(path).readAll();
    expect(reading.records).toEqual([sampleIntent()]);
    expect(reading.skippedLines).toEqual([1]);
  });

  it('reads a missing file as an empty log', async () => {
    expect(await new AuditLog(join(dir, 'absent.jsonl')).readAll()).toEqual({ records: [], skippedLines: [] });
  });
});
