import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { auditedWrite, auditRefusal, type AuditTrail } from '../../src/audit/audited-write.js';
import { AuditLog } from '../../src/audit/log.js';
import { AuditOutbox, type AuditOutboxOptions } from '../../src/audit/outbox.js';
import type { AuditEntry, IntentRecord } from '../../src/audit/records.js';
import { collectingLogger, fileRecords, sampleIntent, sequentialIds, steppingClock, tempDir } from './helpers.js';

const refusalInput = {
  actor: 'U0GUEST',
  action: 'update_user_card' as const,
  command: '/im update',
  target: { accid: 'alice' },
  refusal: { reason: 'guest' as const },
};

describe('AuditOutbox', () => {
  let remove: () => Promise<void>;
  let path: string;
  const opened: { log: AuditLog; outbox: AuditOutbox }[] = [];
  beforeEach(async () => {
    let dir: string;
    ({ dir, remove } = await tempDir());
    path = join(dir, 'audit.jsonl');
  });
  afterEach(async () => {
    for (const { log, outbox } of opened.splice(0)) {
      await outbox.close();
      await log.close();
    }
    await remove();
  });

  /** One process's audit trail on the shared file. */
  function boot(options: Partial<AuditOutboxOptions> = {}) {
    const logger = collectingLogger();
    const log = new AuditLog(path, logger);
    const now = steppingClock();
    const outbox = new AuditOutbox({
      log,
      post: async () => undefined,
      verify: async () => 'unknown',
      now,
      logger,
      retryBaseDelayMs: 2,
      retryMaxDelayMs: 10,
      ...options,
    });
    opened.push({ log, outbox });
    const trail: AuditTrail = { log, outbox, now, newId: sequentialIds(`p${opened.length}`), logger };
    return { log, outbox, trail, logger };
  }

  it('retries a failed post with backoff until it goes through, posting it once and losing nothing', async () => {
    let calls = 0;
    const delivered: AuditEntry[] = [];
    const { outbox, trail, logger } = boot({
      post: async (entry) => {
        calls++;
        if (calls <= 2) throw new Error('slack_webapi_platform_error: fatal_error');
        delivered.push(entry);
      },
    });
    await auditRefusal(trail, refusalInput);
    expect(outbox.pending()).toBe(1);
    await outbox.whenIdle();

    expect(calls).toBe(3);
    expect(delivered).toHaveLength(1);
    expect(outbox.pending()).toBe(0);
    expect((await fileRecords(path)).map((record) => record.kind)).toEqual(['refusal', 'posted']);
    expect(logger.lines.filter((line) => line.message.includes('post failed')).map((line) => line.details.retryInMs)).toEqual([2, 4]);
  });

  it('keeps the other entries moving while one keeps failing', async () => {
    const delivered: string[] = [];
    const { outbox, trail } = boot({
      post: async (entry) => {
        if (entry.kind === 'refusal' && entry.refusal.actor === 'U0BAD') throw new Error('invalid_blocks');
        delivered.push(entry.kind === 'refusal' ? entry.refusal.actor : entry.intent.actor);
      },
    });
    await auditRefusal(trail, { ...refusalInput, actor: 'U0BAD' });
    await auditRefusal(trail, { ...refusalInput, actor: 'U0GOOD' });
    await vi.waitFor(() => expect(delivered).toEqual(['U0GOOD']));
    expect(outbox.pending()).toBe(1);
  });

  it('posts after a restart what was not posted, and not what was', async () => {
    const first = boot({ post: async () => Promise.reject(new Error('slack down')), retryBaseDelayMs: 60_000, retryMaxDelayMs: 60_000 });
    const firstPosted: AuditEntry[] = [];
    const firstOk = boot({ post: async (entry) => void firstPosted.push(entry) });
    await auditRefusal(firstOk.trail, { ...refusalInput, actor: 'U0POSTED' });
    await firstOk.outbox.whenIdle();
    await auditedWrite(first.trail, { ...sampleIntent(), id: undefined }, async () => ({ confirmedByReadBack: false }));
    await vi.waitFor(() => expect(first.logger.lines).toHaveLength(1)); // the failed post
    expect(first.outbox.pending()).toBe(1);
    await first.outbox.close(); // the process stops with the entry unposted

    const posted: AuditEntry[] = [];
    const verify = vi.fn(async () => 'in_place' as const);
    const second = boot({ post: async (entry) => void posted.push(entry), verify });
    expect(await second.outbox.start()).toEqual({ requeued: 1, recovered: 0 });
    await second.outbox.whenIdle();

    expect(verify).not.toHaveBeenCalled();
    expect(posted).toMatchObject([{ kind: 'update', intent: { id: 'p1-1' }, outcome: { status: 'applied' } }]);

    const third = boot({ post: async (entry) => void posted.push(entry) });
    expect(await third.outbox.start()).toEqual({ requeued: 0, recovered: 0 });
    await third.outbox.whenIdle();
    expect(posted).toHaveLength(1);
  });

  it.each([
    ['in_place', 'in_place'],
    ['not_in_place', 'not_in_place'],
    ['throws', 'unknown'],
  ] as const)('reads back an update cut short by a crash and posts it as outcome unknown (%s)', async (verdict, readBack) => {
    const intent = sampleIntent({ id: 'crashed-1' });
    await writeFile(path, `${JSON.stringify(intent)}\n{"kind":"outcome","id":"crash`);

    const posted: AuditEntry[] = [];
    const verify = vi.fn(async (_: IntentRecord) => {
      if (verdict === 'throws') throw new Error('NetEase unreachable');
      return verdict;
    });
    const { outbox } = boot({ post: async (entry) => void posted.push(entry), verify });
    expect(await outbox.start()).toEqual({ requeued: 0, recovered: 1 });
    await outbox.whenIdle();

    expect(verify).toHaveBeenCalledWith(intent);
    const outcome = { kind: 'outcome', id: 'crashed-1', status: 'unknown', recovered: true, readBack };
    expect(posted).toEqual([{ kind: 'update', intent, outcome: expect.objectContaining(outcome) }]);
    const records = await fileRecords(path);
    expect(records.slice(1).map((record) => record.kind)).toEqual(['outcome', 'posted']);
    expect(records[1]).toMatchObject(outcome);

    // Recovery is done once: the next start finds it finished and posted.
    const again = boot({ post: async (entry) => void posted.push(entry), verify });
    expect(await again.outbox.start()).toEqual({ requeued: 0, recovered: 0 });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('counts a posted marker only when it follows the outcome', async () => {
    const intent = sampleIntent({ id: 'early' });
    // Posted from memory while the outcome could not be logged; then the process died.
    await writeFile(path, `${JSON.stringify(intent)}\n${JSON.stringify({ kind: 'posted', id: 'early', at: intent.at })}\n`);
    const verify = vi.fn(async () => 'in_place' as const);
    const { outbox } = boot({ verify });
    expect(await outbox.start()).toEqual({ requeued: 0, recovered: 1 });
  });

  it('without an audit channel, logs entries as handled instead of posting, so a later channel is not flooded', async () => {
    const { outbox, trail } = boot({ post: undefined });
    await auditRefusal(trail, refusalInput);
    await outbox.whenIdle();
    expect((await fileRecords(path))[1]).toMatchObject({ kind: 'posted', skipped: 'no_audit_channel' });

    const posted: AuditEntry[] = [];
    const later = boot({ post: async (entry) => void posted.push(entry) });
    expect(await later.outbox.start()).toEqual({ requeued: 0, recovered: 0 });
  });

  it('does not let a pending retry keep the process alive, and stops retrying on close', async () => {
    const post = vi.fn(async () => Promise.reject(new Error('slack down')));
    const { outbox, trail, logger } = boot({ post, retryBaseDelayMs: 10_000, retryMaxDelayMs: 10_000 });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    await auditRefusal(trail, refusalInput);
    await vi.waitFor(() => expect(logger.lines).toHaveLength(1)); // the failed post, retry scheduled
    const retryCall = setTimeoutSpy.mock.calls.findIndex(([, delay]) => delay === 10_000);
    const timer = setTimeoutSpy.mock.results[retryCall]?.value as NodeJS.Timeout;
    setTimeoutSpy.mockRestore();
    expect(timer.hasRef()).toBe(false);

    await outbox.close();
    expect(post).toHaveBeenCalledTimes(1);
    expect(outbox.pending()).toBe(1);
  });

  it('skips a torn line at start and still recovers the rest', async () => {
    await writeFile(path, '');
    await appendFile(path, `${JSON.stringify({ kind: 'refusal', id: 'r1', at: '2026-11-22T03:00:00.000Z', ...refusalInput })}\n`);
    await appendFile(path, '{"kind":"posted","id":"r1"');
    const posted: AuditEntry[] = [];
    const { outbox, logger } = boot({ post: async (entry) => void posted.push(entry) });
    expect(await outbox.start()).toEqual({ requeued: 1, recovered: 0 });
    await outbox.whenIdle();
    expect(posted).toMatchObject([{ kind: 'refusal', refusal: { id: 'r1' } }]);
    expect(logger.lines[0]).toMatchObject({ level: 'warn', details: { lines: [2] } });
    expect((await fileRecords(path)).map((record) => record.kind)).toEqual(['refusal', 'posted']);
  });
});
