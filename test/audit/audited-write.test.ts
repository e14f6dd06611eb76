import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { auditedWrite, auditRefusal, recordLookup, type AuditTrail } from '../../src/audit/audited-write.js';
import { AuditLog, AuditWriteError } from '../../src/audit/log.js';
import { AuditOutbox } from '../../src/audit/outbox.js';
import type { AuditEntry } from '../../src/audit/records.js';
import {
  InputError,
  NimApiError,
  NimAuthError,
  NimRateLimitedError,
  NimTransportError,
  NimWriteUnconfirmedError,
} from '../../src/nim/errors.js';
import { collectingLogger, fileRecords, sequentialIds, steppingClock, tempDir } from './helpers.js';

const intent = {
  actor: 'U0ADMIN1',
  action: 'update_user_card' as const,
  command: '/im update',
  target: { accid: 'alice' },
  changes: { name: { before: 'Alice', after: 'Alicia' }, mobile: { after: '+86-13800138000' } },
};

describe('auditedWrite', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let path: string;
  let posted: AuditEntry[];
  let trail: AuditTrail;
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
    path = join(dir, 'audit.jsonl');
    posted = [];
    const logger = collectingLogger();
    const log = new AuditLog(path, logger);
    const now = steppingClock();
    const outbox = new AuditOutbox({
      log,
      post: async (entry) => void posted.push(entry),
      verify: async () => 'unknown',
      now,
      logger,
      retryBaseDelayMs: 5,
    });
    trail = { log, outbox, now, newId: sequentialIds(), logger };
  });
  afterEach(async () => {
    await trail.outbox.close();
    await trail.log.close();
    await remove();
  });

  it('has the intent on disk before the NetEase call starts', async () => {
    const result = await auditedWrite(trail, intent, async ({ correlationId }) => {
      const onDisk = await fileRecords(path);
      expect(onDisk).toEqual([
        { kind: 'intent', id: 'corr-1', at: '2026-11-22T03:00:00.000Z', ...intent },
      ]);
      expect(correlationId).toBe('corr-1');
      return { confirmedByReadBack: false };
    });
    expect(result).toEqual({ confirmedByReadBack: false });
  });

  it('does not call NetEase when the intent cannot be written, and says why', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, '');
    const operation = vi.fn(async () => ({ confirmedByReadBack: false }));
    const broken = { ...trail, log: new AuditLog(join(blocker, 'audit.jsonl')) };

    const failure = await auditedWrite(broken, intent, operation).catch((error: unknown) => error);
    expect(operation).not.toHaveBeenCalled();
    expect(failure).toBeInstanceOf(AuditWriteError);
    expect((failure as Error).message).toMatch(/audit log .* cannot be written \(E[A-Z]+\), so nothing was changed/);
    await trail.outbox.whenIdle();
    expect(posted).toEqual([]);
  });

  it('records an applied outcome after success and posts intent and outcome together', async () => {
    await auditedWrite(trail, intent, async () => ({ confirmedByReadBack: false }));
    await trail.outbox.whenIdle();

    const records = await fileRecords(path);
    expect(records.map((record) => record.kind)).toEqual(['intent', 'outcome', 'posted']);
    expect(records[1]).toEqual({ kind: 'outcome', id: 'corr-1', at: '2026-11-22T03:00:01.000Z', status: 'applied' });
    expect(posted).toEqual([
      { kind: 'update', intent: expect.objectContaining({ id: 'corr-1' }), outcome: records[1] },
    ]);
  });

  it('records a change confirmed by reading back after an ambiguous answer', async () => {
    await auditedWrite(trail, intent, async () => ({ confirmedByReadBack: true }));
    expect((await fileRecords(path))[1]).toMatchObject({ status: 'applied_confirmed_by_read_back' });
  });

  it('lets the caller describe a success its own way', async () => {
    await auditedWrite(
      trail,
      intent,
      async () => 'ok',
      () => ({ status: 'applied', detail: 'member card updated' }),
    );
    expect((await fileRecords(path))[1]).toMatchObject({ status: 'applied', detail: 'member card updated' });
  });

  const cause = new Error('socket hang up');
  it.each([
    [
      'NetEase refused it',
      new NimApiError('user/updateUinfo.action', 414, 'parameter error: mobile'),
      { status: 'failed', nimCode: 414, errorCode: 'nim_api_error', detail: 'parameter error: mobile' },
    ],
    [
      'the credentials were refused',
      new NimAuthError('user/updateUinfo.action', 414, 'checksum'),
      { status: 'failed', nimCode: 414, errorCode: 'nim_auth_error', detail: 'checksum' },
    ],
    [
      'reading back shows it is not in place',
      new NimWriteUnconfirmedError('user/updateUinfo.action', false, { cause }),
      { status: 'not_applied', errorCode: 'nim_write_unconfirmed' },
    ],
    [
      'reading back failed too',
      new NimWriteUnconfirmedError('user/updateUinfo.action', 'unknown', { cause }),
      { status: 'unknown', errorCode: 'nim_write_unconfirmed' },
    ],
    [
      'the rate budget stopped it before sending',
      new NimRateLimitedError('user/updateUinfo.action', 10_000),
      { status: 'not_applied', errorCode: 'nim_rate_limited' },
    ],
    [
      'the input was rejected before sending',
      new InputError('name', 'at most 64 characters', 'x'.repeat(65)),
      { status: 'not_applied', errorCode: 'input_error' },
    ],
    [
      'the connection timed out',
      new NimTransportError('user/updateUinfo.action', 'timeout'),
      { status: 'unknown', errorCode: 'nim_transport_error', detail: 'NetEase user/updateUinfo.action timeout' },
    ],
    [
      'something unexpected broke',
      new TypeError('boom'),
      { status: 'unknown', errorCode: 'unexpected_error', detail: 'TypeError: boom' },
    ],
  ])('records the outcome and rethrows when %s', async (_, error, expected) => {
    await expect(
      auditedWrite(trail, intent, async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    await trail.outbox.whenIdle();
    const records = await fileRecords(path);
    expect(records[1]).toMatchObject({ kind: 'outcome', id: 'corr-1', ...expected });
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ kind: 'update', outcome: expected });
  });

  it('still returns the result and posts when the outcome cannot be logged', async () => {
    const logger = collectingLogger();
    const log = new AuditLog(path, logger);
    const flaky = { ...trail, log, logger };
    const realAppend = log.append.bind(log);
    log.append = async (record) => {
      if (record.kind === 'outcome') throw new AuditWriteError(path, 'ENOSPC', { cause: new Error('disk full') });
      return realAppend(record);
    };
    await expect(auditedWrite(flaky, intent, async () => 'done')).resolves.toBe('done');
    await trail.outbox.whenIdle();
    expect(posted).toMatchObject([{ kind: 'update', outcome: { status: 'applied' } }]);
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'error' })]);
    await log.close();
  });
});

describe('refusals and lookups', () => {
  let remove: () => Promise<void>;
  let path: string;
  let posted: AuditEntry[];
  let trail: AuditTrail;
  beforeEach(async () => {
    let dir: string;
    ({ dir, remove } = await tempDir());
    path = join(dir, 'audit.jsonl');
    posted = [];
    const logger = collectingLogger();
    const log = new AuditLog(path, logger);
    const now = steppingClock();
    const outbox = new AuditOutbox({ log, post: async (entry) => void posted.push(entry), verify: async () => 'unknown', now, logger });
    trail = { log, outbox, now, newId: sequentialIds(), logger };
  });
  afterEach(async () => {
    await trail.outbox.close();
    await trail.log.close();
    await remove();
  });

  it('logs a refusal and posts it', async () => {
    const id = await auditRefusal(trail, {
      actor: 'U0GUEST',
      action: 'update_user_card',
      command: '/im update',
      target: { accid: 'alice' },
      refusal: { reason: 'not_a_writer', required: 'admin', usergroups: ['S0EDITORS'] },
    });
    await trail.outbox.whenIdle();
    expect(id).toBe('corr-1');
    const records = await fileRecords(path);
    expect(records.map((record) => record.kind)).toEqual(['refusal', 'posted']);
    expect(records[0]).toMatchObject({ actor: 'U0GUEST', refusal: { reason: 'not_a_writer' } });
    expect(posted).toEqual([{ kind: 'refusal', refusal: records[0] }]);
  });

  it('logs who looked at whom, and never posts it', async () => {
    await recordLookup(trail, { actor: 'U0ADMIN1', command: '/im user', accids: ['alice', 'bob'] });
    await trail.outbox.whenIdle();
    expect(await fileRecords(path)).toEqual([
      { kind: 'lookup', id: 'corr-1', at: '2026-11-22T03:00:00.000Z', actor: 'U0ADMIN1', command: '/im user', accids: ['alice', 'bob'] },
    ]);
    expect(posted).toEqual([]);
    expect(trail.outbox.pending()).toBe(0);
  });

  it('rejects a lookup it cannot record, so the caller can withhold the card', async () => {
    const blocked = join(path, 'x');
    await writeFile(path, '');
    const broken = { ...trail, log: new AuditLog(join(blocked, 'audit.jsonl')) };
    await expect(recordLookup(broken, { actor: 'U0ADMIN1', command: '/im user', accids: ['alice'] })).rejects.toBeInstanceOf(
      AuditWriteError,
    );
    expect(await readFile(path, 'utf8')).toBe('');
  });
});
