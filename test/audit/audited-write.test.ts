import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { storeIntents } from '../../src/audit/audited-chunk.js';
import { auditedWrite, auditRefusal, finishAll, intentRecordOf, recordLookup, type AuditTrail } from '../../src/audit/audited-write.js';
import type { AuditEntry } from '../../src/audit/records.js';
import { AuditStoreError } from '../../src/audit/store/contract.js';
import { InputError } from '../../src/errors.js';
import { NimApiError, NimAuthError, NimRateLimitedError, NimTransportError, NimWriteUnconfirmedError } from '../../src/nim/errors.js';
import { steppingClock, tempDir } from './helpers.js';
import { auditRecords, openTestTrail, writeBlocker } from './trail.js';

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
  let posted: AuditEntry[];
  let trail: AuditTrail;
  let opened: Awaited<ReturnType<typeof openTestTrail>>;
  let writes: ReturnType<typeof writeBlocker>;
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
    posted = [];
    writes = writeBlocker(dir);
    opened = await openTestTrail(dir, { post: async (entry) => void posted.push(entry) });
    trail = opened.trail;
  });
  afterEach(async () => {
    writes.unblock();
    await opened.close();
    await remove();
  });

  it('has the intent on disk before the NetEase call starts', async () => {
    const result = await auditedWrite(trail, intent, async ({ correlationId }) => {
      const onDisk = await auditRecords(dir);
      expect(onDisk).toEqual([{ kind: 'intent', id: 'corr-1', at: '2026-11-22T03:00:00.000Z', ...intent }]);
      expect(correlationId).toBe('corr-1');
      return { confirmedByReadBack: false };
    });
    expect(result).toEqual({ confirmedByReadBack: false });
  });

  it('does not call NetEase when the intent cannot be stored (the database cannot be written), and says why', async () => {
    const operation = vi.fn(async () => ({ confirmedByReadBack: false }));
    writes.block();
    const failure = await auditedWrite(trail, intent, operation).catch((error: unknown) => error);
    expect(operation).not.toHaveBeenCalled();
    expect(failure).toBeInstanceOf(AuditStoreError);
    expect((failure as Error).message).toMatch(
      /audit store .*audit\.db cannot be used \(database locked by another connection\), so nothing was changed/,
    );
    writes.unblock();
    await trail.outbox.whenIdle();
    expect(posted).toEqual([]);
    expect(await auditRecords(dir)).toEqual([]);
  });

  it('renews the lease of an update while NetEase is in flight, so no other process settles it', async () => {
    await opened.close();
    let clock = Date.UTC(2026, 10, 29, 12);
    opened = await openTestTrail(dir, { now: () => clock, leaseMs: 60 });
    trail = opened.trail;
    let release!: () => void;
    const inFlight = auditedWrite(trail, intent, () => new Promise<string>((resolve) => (release = () => resolve('done'))));
    await vi.waitFor(() => expect(release).toBeDefined());
    // Well past the first lease: renewals (every 20 ms of real time) kept it this process's.
    clock += 1000;
    await new Promise((resolve) => setTimeout(resolve, 30));
    await vi.waitFor(async () =>
      expect(await trail.store.claimUnsettled({ owner: 'other', now: clock - 1, leaseMs: 1000, limit: 1 })).toEqual([]),
    );
    release();
    expect(await inFlight).toBe('done');
    expect(await trail.store.claimUnsettled({ owner: 'other', now: clock + 10_000, leaseMs: 1000, limit: 1 })).toEqual([]);
  });

  it('records an applied outcome after success and posts intent and outcome together', async () => {
    await auditedWrite(trail, intent, async () => ({ confirmedByReadBack: false }));
    await trail.outbox.whenIdle();

    const records = await auditRecords(dir);
    expect(records.map((record) => record.kind)).toEqual(['intent', 'outcome', 'posted']);
    expect(records[1]).toEqual({ kind: 'outcome', id: 'corr-1', at: '2026-11-22T03:00:01.000Z', status: 'applied' });
    expect(posted).toEqual([{ kind: 'update', intent: expect.objectContaining({ id: 'corr-1' }), outcome: records[1] }]);
  });

  it('records a change confirmed by reading back after an ambiguous answer', async () => {
    await auditedWrite(trail, intent, async () => ({ confirmedByReadBack: true }));
    expect((await auditRecords(dir))[1]).toMatchObject({ status: 'applied_confirmed_by_read_back' });
  });

  it('lets the caller describe a success its own way', async () => {
    await auditedWrite(
      trail,
      intent,
      async () => 'ok',
      () => ({ status: 'applied', detail: 'member card updated' }),
    );
    expect((await auditRecords(dir))[1]).toMatchObject({ status: 'applied', detail: 'member card updated' });
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
    ['something unexpected broke', new TypeError('boom'), { status: 'unknown', errorCode: 'unexpected_error', detail: 'TypeError: boom' }],
  ])('records the outcome and rethrows when %s', async (_, error, expected) => {
    await expect(
      auditedWrite(trail, intent, async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    await trail.outbox.whenIdle();
    const records = await auditRecords(dir);
    expect(records.find((r) => r.kind === 'outcome')).toMatchObject({ kind: 'outcome', id: 'corr-1', ...expected });
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ kind: 'update', outcome: expected });
  });

  it('records a sanction whose one read-back did not find it as unknown (not yet applied?) and schedules a second read-back', async () => {
    const mute = { ...intent, action: 'mute' as const, changes: { mute: { before: 'false', after: 'true' } } };
    const error = new NimWriteUnconfirmedError('user/mute.action', false, { cause: new Error('timeout') });
    await expect(auditedWrite(trail, mute, () => Promise.reject(error))).rejects.toBe(error);
    const records = await auditRecords(dir);
    expect(records.find((r) => r.kind === 'outcome')).toMatchObject({ id: 'corr-1', status: 'unknown', readBack: 'not_in_place' });
    expect(records.find((r) => r.kind === 'intent' && r.id === 'corr-1.recheck')).toMatchObject({ rechecks: 'corr-1', action: 'mute' });
  });

  it('still returns the result and posts when the outcome cannot be stored (the database became unwritable meanwhile)', async () => {
    const result = auditedWrite(trail, intent, async () => {
      writes.block();
      return 'done';
    });
    await expect(result).resolves.toBe('done');
    expect(posted).toMatchObject([{ kind: 'update', outcome: { status: 'applied' } }]);
    expect(opened.logger.lines).toEqual([expect.objectContaining({ level: 'error', message: expect.stringContaining('outcome') })]);
    writes.unblock();
    // The intent stays unsettled: once its lease expires, a round reads the card back and settles it.
    expect((await auditRecords(dir)).map((record) => record.kind)).toEqual(['intent']);
  });

  it("posts nothing per account when a batch chunk's outcomes cannot be stored, and the next start settles each by reading it back", async () => {
    const chunk = Array.from({ length: 50 }, (_, n) =>
      intentRecordOf(trail, { ...intent, id: `wave.${n + 1}`, target: { accid: `spam${n}` }, batch: 'wave' }, trail.now()),
    );
    await storeIntents(
      trail,
      chunk.map((record) => ({ intent: record })),
      trail.now() + 5000,
    );
    writes.block();
    const started = Date.now();
    await finishAll(
      trail,
      chunk.map((record) => ({ intent: record, description: { status: 'applied' } })),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(posted).toEqual([]);
    expect(opened.logger.lines).toEqual([expect.objectContaining({ level: 'error', details: expect.objectContaining({ count: 50 }) })]);
    writes.unblock();
    await opened.close();

    // The next start, on the same file: its recovery finds the 50 intents unsettled (their lease ran out), reads each
    // back and stores that; still nothing posted on its own (the batch's one message stands for them).
    const next = await openTestTrail(dir, { post: async (entry) => void posted.push(entry), now: steppingClock(Date.UTC(2026, 10, 23)) });
    try {
      expect(await next.outbox.start()).toMatchObject({ recovered: 50 });
      await next.outbox.whenIdle();
      const outcomes = (await auditRecords(dir)).filter((record) => record.kind === 'outcome');
      expect(outcomes).toHaveLength(50);
      expect(outcomes.every((outcome) => outcome.status === 'unknown' && outcome.recovered === true)).toBe(true);
      expect(posted).toEqual([]);
    } finally {
      await next.close();
    }
  });
});

describe('refusals and lookups', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let posted: AuditEntry[];
  let trail: AuditTrail;
  let opened: Awaited<ReturnType<typeof openTestTrail>>;
  let writes: ReturnType<typeof writeBlocker>;
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
    posted = [];
    writes = writeBlocker(dir);
    opened = await openTestTrail(dir, { post: async (entry) => void posted.push(entry) });
    trail = opened.trail;
  });
  afterEach(async () => {
    writes.unblock();
    await opened.close();
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
    const records = await auditRecords(dir);
    expect(records.map((record) => record.kind)).toEqual(['refusal', 'posted']);
    expect(records[0]).toMatchObject({ actor: 'U0GUEST', refusal: { reason: 'not_a_writer' } });
    expect(posted).toEqual([{ kind: 'refusal', refusal: records[0] }]);
  });

  it('logs who looked at whom, and never posts it', async () => {
    await recordLookup(trail, { actor: 'U0ADMIN1', command: '/im user', accids: ['alice', 'bob'] });
    await trail.outbox.whenIdle();
    expect(await auditRecords(dir)).toEqual([
      { kind: 'lookup', id: 'corr-1', at: '2026-11-22T03:00:00.000Z', actor: 'U0ADMIN1', command: '/im user', accids: ['alice', 'bob'] },
    ]);
    expect(posted).toEqual([]);
    expect(trail.outbox.pending()).toBe(0);
  });

  it('rejects a lookup it cannot record, so the caller can withhold the card', async () => {
    writes.block();
    await expect(recordLookup(trail, { actor: 'U0ADMIN1', command: '/im user', accids: ['alice'] })).rejects.toBeInstanceOf(
      AuditStoreError,
    );
    writes.unblock();
    expect(await auditRecords(dir)).toEqual([]);
  });

  it('still posts a refusal the store cannot take', async () => {
    writes.block();
    await auditRefusal(trail, {
      actor: 'U0GUEST',
      action: 'update_user_card',
      command: '/im update',
      target: { accid: 'alice' },
      refusal: { reason: 'guest' },
    });
    expect(posted).toMatchObject([{ kind: 'refusal', refusal: { actor: 'U0GUEST' } }]);
    expect(opened.logger.lines).toEqual([expect.objectContaining({ level: 'error' })]);
  });
});
