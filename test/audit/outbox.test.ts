import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { auditedWrite, auditRefusal } from '../../src/audit/audited-write.js';
import type { AuditEntry, IntentRecord } from '../../src/audit/records.js';
import { sampleIntent, tempDir } from './helpers.js';
import { auditRecords, openTestTrail } from './trail.js';

const refusalInput = {
  actor: 'U0GUEST',
  action: 'update_user_card' as const,
  command: '/im update',
  target: { accid: 'alice' },
  refusal: { reason: 'guest' as const },
};

describe('AuditOutbox', () => {
  let dir: string;
  let remove: () => Promise<void>;
  const running: Awaited<ReturnType<typeof openTestTrail>>[] = [];
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(async () => {
    for (const process of running.splice(0)) await process.close();
    await remove();
  });

  /** One run of the app on the log in `dir`, started; the previous run (if any) is stopped first. */
  async function boot(options: Parameters<typeof openTestTrail>[1] = {}) {
    for (const previous of running.splice(0)) await previous.close();
    const process = await openTestTrail(dir, options);
    running.push(process);
    const recovery = await process.outbox.start();
    return { ...process, recovery };
  }

  it('retries a failed post with backoff until it goes through, posting it once and losing nothing', async () => {
    let calls = 0;
    const delivered: AuditEntry[] = [];
    const { outbox, trail, logger } = await boot({
      post: async (entry) => {
        calls++;
        if (calls <= 2) throw new Error('slack_webapi_platform_error: fatal_error');
        delivered.push(entry);
        return { channel: 'C0AUDIT', ts: '1.000100' };
      },
    });
    const id = await auditRefusal(trail, refusalInput);
    await outbox.whenIdle();

    expect(calls).toBe(3);
    expect(delivered).toHaveLength(1);
    expect(outbox.pending()).toBe(0);
    expect((await auditRecords(dir)).map((record) => record.kind)).toEqual(['refusal', 'posted']);
    expect(logger.lines.filter((line) => line.message.includes('post failed')).map((line) => line.details.retryInMs)).toEqual([5, 10]);
    expect(await trail.store.entry(id)).toMatchObject({ posted: { channel: 'C0AUDIT', ts: '1.000100' } });
  });

  it('keeps the other entries moving while one keeps failing', async () => {
    const delivered: string[] = [];
    const { outbox, trail } = await boot({
      post: async (entry) => {
        if (entry.kind === 'refusal' && entry.refusal.actor === 'U0BAD') throw new Error('invalid_blocks');
        delivered.push(entry.kind === 'refusal' ? entry.refusal.actor : entry.intent.actor);
      },
    });
    await auditRefusal(trail, { ...refusalInput, actor: 'U0BAD' });
    await auditRefusal(trail, { ...refusalInput, actor: 'U0GOOD' });
    await vi.waitFor(() => expect(delivered).toEqual(['U0GOOD']));
    await vi.waitFor(() => expect(outbox.pending()).toBe(1));
  });

  it('posts after a restart what was not posted, and not what was', async () => {
    const down = await boot({ post: async () => Promise.reject(new Error('slack down')), retryBaseDelayMs: 60_000 });
    await auditedWrite(down.trail, { ...sampleIntent(), id: undefined }, async () => ({ confirmedByReadBack: false }));
    await vi.waitFor(() => expect(down.logger.lines.some((line) => line.message.includes('post failed'))).toBe(true));

    const posted: AuditEntry[] = [];
    const verify = vi.fn(async () => 'in_place' as const);
    const second = await boot({ post: async (entry) => void posted.push(entry), verify });
    expect(second.recovery).toEqual({ unposted: 1, recovered: 0 });
    await second.outbox.whenIdle();
    expect(verify).not.toHaveBeenCalled();
    expect(posted).toMatchObject([{ kind: 'update', intent: { id: 'corr-1' }, outcome: { status: 'applied' } }]);

    const third = await boot({ post: async (entry) => void posted.push(entry) });
    expect(third.recovery).toEqual({ unposted: 0, recovered: 0 });
    await third.outbox.whenIdle();
    expect(posted).toHaveLength(1);
  });

  it('looks in the channel for an entry a dead claimant may have posted: adopts the message found, posts what is not there', async () => {
    let clock = Date.UTC(2026, 11, 7, 12);
    const first = await boot({ now: () => clock, post: async () => Promise.reject(new Error('never reached')), pollMs: 60_000 });
    await first.outbox.close();
    const found = await auditRefusal(first.trail, refusalInput);
    const missing = await auditRefusal(first.trail, { ...refusalInput, actor: 'U0OTHER' });
    // The dead process claimed both (and maybe posted them) at `claimedAt`, then died before marking them posted.
    const claimedAt = clock;
    await first.store.claimUnposted({ owner: 'dead-process', now: claimedAt, leaseMs: 60_000, limit: 10 });
    clock += 61_000;

    const posted: string[] = [];
    const findPosted = vi.fn(async () => new Map([[found, { channel: 'C0AUDIT', ts: '1765108800.000001' }]]));
    const second = await boot({
      now: () => clock,
      findPosted,
      post: async (entry) => {
        posted.push(entry.kind === 'refusal' ? entry.refusal.id : entry.intent.id);
        return { channel: 'C0AUDIT', ts: '1765108900.000002' };
      },
    });
    await second.outbox.whenIdle();

    expect(findPosted).toHaveBeenCalledTimes(1);
    expect(findPosted).toHaveBeenCalledWith([found, missing], claimedAt);
    expect(posted).toEqual([missing]);
    expect(await second.store.entry(found)).toMatchObject({ posted: { ts: '1765108800.000001' } });
    expect(await second.store.entry(missing)).toMatchObject({ posted: { ts: '1765108900.000002' } });
  });

  it('does not look in the channel for an entry claimed for the first time', async () => {
    const findPosted = vi.fn(async () => new Map());
    const posted: AuditEntry[] = [];
    const { outbox, trail } = await boot({ findPosted, post: async (entry) => void posted.push(entry) });
    await auditRefusal(trail, refusalInput);
    await outbox.whenIdle();
    expect(posted).toHaveLength(1);
    expect(findPosted).not.toHaveBeenCalled();
  });

  it.each([
    ['in_place', 'in_place'],
    ['not_in_place', 'not_in_place'],
    ['throws', 'unknown'],
  ] as const)('reads back an update cut short by a crash and posts it as outcome unknown (%s)', async (verdict, readBack) => {
    const intent = sampleIntent({ id: 'crashed-1' });
    // A v1 log: the intent, then the process died writing its outcome.
    await writeFile(join(dir, 'audit.jsonl'), `${JSON.stringify(intent)}\n{"kind":"outcome","id":"crash`);

    const posted: AuditEntry[] = [];
    const verify = vi.fn(async (_: IntentRecord) => {
      if (verdict === 'throws') throw new Error('NetEase unreachable');
      return verdict;
    });
    const { outbox, recovery } = await boot({ post: async (entry) => void posted.push(entry), verify });
    expect(recovery).toEqual({ unposted: 0, recovered: 1 });
    await outbox.whenIdle();

    expect(verify).toHaveBeenCalledWith(intent);
    const outcome = { kind: 'outcome', id: 'crashed-1', status: 'unknown', recovered: true, readBack };
    expect(posted).toEqual([{ kind: 'update', intent, outcome: expect.objectContaining(outcome) }]);
    const records = await auditRecords(dir);
    expect(records.slice(1).map((record) => record.kind)).toEqual(['outcome', 'posted']);
    expect(records[1]).toMatchObject(outcome);

    // Settled once: the next start finds it finished and posted.
    const again = await boot({ post: async (entry) => void posted.push(entry), verify });
    expect(again.recovery).toEqual({ unposted: 0, recovered: 0 });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('does not settle an update of another run before its lease expires', async () => {
    let clock = Date.UTC(2026, 10, 29, 12);
    const first = await boot({ now: () => clock, leaseMs: 30_000 });
    // The first run dies while NetEase is in flight (its intent is stored; no outcome ever comes).
    void auditedWrite(first.trail, sampleIntent(), () => new Promise(() => undefined)).catch(() => undefined);
    await vi.waitFor(async () => expect((await auditRecords(dir)).map((r) => r.kind)).toEqual(['intent']));

    const verify = vi.fn(async () => 'not_in_place' as const);
    const second = await boot({ now: () => clock, verify });
    expect(second.recovery.recovered).toBe(0);
    clock += 31_000;
    second.outbox.kick();
    await vi.waitFor(() => expect(verify).toHaveBeenCalledTimes(1));
    await second.outbox.whenIdle();
    expect((await auditRecords(dir)).filter((r) => r.kind === 'outcome')).toEqual([
      expect.objectContaining({ status: 'unknown', recovered: true, readBack: 'not_in_place' }),
    ]);
  });

  it('counts a posted marker only when it follows the outcome', async () => {
    const intent = sampleIntent({ id: 'early' });
    // v1: posted from memory while the outcome could not be logged; then the process died.
    await writeFile(
      join(dir, 'audit.jsonl'),
      `${JSON.stringify(intent)}\n${JSON.stringify({ kind: 'posted', id: 'early', at: intent.at })}\n`,
    );
    const { recovery } = await boot({ verify: vi.fn(async () => 'in_place' as const) });
    expect(recovery).toEqual({ unposted: 0, recovered: 1 });
  });

  it('without an audit channel, marks entries handled instead of posting, so a later channel is not flooded', async () => {
    const { outbox, trail } = await boot();
    await auditRefusal(trail, refusalInput);
    await outbox.whenIdle();
    expect((await auditRecords(dir))[1]).toMatchObject({ kind: 'posted', skipped: 'no_audit_channel' });

    const posted: AuditEntry[] = [];
    const later = await boot({ post: async (entry) => void posted.push(entry) });
    expect(later.recovery).toEqual({ unposted: 0, recovered: 0 });
    await later.outbox.whenIdle();
    expect(posted).toEqual([]);
  });

  it('does not let a pending retry keep the process alive, and stops retrying on close', async () => {
    const post = vi.fn(async () => Promise.reject(new Error('slack down')));
    const { outbox, trail, logger } = await boot({ post, retryBaseDelayMs: 10_000, retryMaxDelayMs: 10_000, pollMs: 60_000 });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    // The retry waits ~10 s less the stepping clock's ticks since the failure (each call to now() is a second).
    await auditRefusal(trail, refusalInput);
    await vi.waitFor(() => expect(logger.lines.some((line) => line.message.includes('post failed'))).toBe(true));
    await vi.waitFor(() => expect(setTimeoutSpy.mock.calls.some(([, delay]) => Number(delay) > 5_000)).toBe(true));
    const retryCall = setTimeoutSpy.mock.calls.findIndex(([, delay]) => Number(delay) > 5_000);
    const timer = setTimeoutSpy.mock.results[retryCall]?.value as NodeJS.Timeout;
    setTimeoutSpy.mockRestore();
    expect(timer.hasRef()).toBe(false);

    await outbox.close();
    expect(post).toHaveBeenCalledTimes(1);
    expect(outbox.pending()).toBe(1);
  });
});
