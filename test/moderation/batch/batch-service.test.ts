import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchRecord } from '../../../src/audit/batch-record.js';
import { AuditOutbox } from '../../../src/audit/outbox.js';
import { SqliteAuditStore } from '../../../src/audit/store/sqlite/store.js';
import { startEmulator } from '../../../src/emulator/server.js';
import type { Emulator } from '../../../src/emulator/types.js';
import type { BatchChannel, BatchSlice } from '../../../src/moderation/batch/announce.js';
import { BatchService } from '../../../src/moderation/batch/batch-service.js';
import { parseDuration } from '../../../src/moderation/duration.js';
import type { Sanction } from '../../../src/moderation/sanction.js';
import { NimClient } from '../../../src/nim/client.js';
import { rapidRetryPolicy } from '../../../src/nim/retry.js';

/** Batches in the background: the store keeps them, one channel message each, Stop, and Continue after a kill -9. */

const APP = { appKey: 'batch-key', appSecret: 'batch-secret' };
const MUTE = 'user/mute.action';
const fixture = new URL('./batch-process.fixture.ts', import.meta.url).pathname;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const wave = (n: number) => Array.from({ length: n }, (_, i) => `spam${i}`);
const mute = (accids: string[]): Sanction => ({
  kind: 'mute',
  accids,
  reason: 'spam wave',
  scope: 'everywhere',
  duration: parseDuration('24h'),
});

/** What the audit channel was sent for batches. */
function recordingChannel(updateDelayMs = 0) {
  // `down`: Slack answers every call with an error (as chat.postMessage's internal_error), and `failed` counts them.
  const sent = { posts: 0, updates: [] as BatchRecord[], replies: [] as BatchSlice[], down: false, failed: 0 };
  const slack = () => {
    if (!sent.down) return;
    sent.failed += 1;
    throw new Error('An API error occurred: internal_error');
  };
  const channel: BatchChannel = {
    post: async () => {
      slack();
      return { channel: 'C0AUDIT', ts: `${++sent.posts}.0` };
    },
    update: async (batch) => {
      slack();
      if (updateDelayMs) await new Promise((resolve) => setTimeout(resolve, updateDelayMs));
      sent.updates.push(batch);
    },
    reply: async (_batch, _message, slice) => {
      slack();
      sent.replies.push(slice);
    },
  };
  return { sent, channel };
}

async function setUp(accounts: number, options: { path?: string; emulator?: Emulator; updateDelayMs?: number } = {}) {
  const emulator =
    options.emulator ??
    (await startEmulator({
      apps: [APP],
      rateLimit: 100_000,
      seed: { users: wave(accounts).map((accid) => ({ accid })), qchatServers: [] },
    }));
  const dir = await mkdtemp(join(tmpdir(), 'im-admin-batch-'));
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const store = new SqliteAuditStore({ path: options.path ?? join(dir, 'audit.db'), logger });
  await store.open();
  const nim = new NimClient({ ...APP, baseUrl: emulator.url, retryPolicy: rapidRetryPolicy, rateLimit: 2000 });
  const outbox = new AuditOutbox({ store, owner: 'parent', verify: async () => 'unknown', now: Date.now, logger });
  const trail = { store, outbox, owner: 'parent', now: Date.now, logger, leaseMs: 1500 };
  const { sent, channel } = recordingChannel(options.updateDelayMs);
  const interrupted: BatchRecord[] = [];
  const shown: BatchRecord[] = [];
  const service = new BatchService({
    trail,
    nim,
    channel,
    progressEveryMs: 50,
    events: { interrupted: (batch) => void interrupted.push(batch), progress: (batch) => void shown.push(batch) },
  });
  cleanups.push(
    () => rm(dir, { recursive: true, force: true }),
    () => emulator.close(),
    () => store.close(),
    () => outbox.close(),
    () => nim.close(),
    async () => service.close(),
  );
  return { emulator, store, service, sent, interrupted, shown, dir };
}

const start = (service: BatchService, accids: string[], id = 'wave') =>
  service.start({ id, sanction: mute(accids), actor: 'U0MOD', command: '/im-mute', origin: { user: 'U0MOD', channel: 'C0MOD' } });

/** How many mutes each account got at the emulator. */
function mutesPer(emulator: Emulator): Map<string, number> {
  const per = new Map<string, number>();
  for (const request of emulator.received) {
    if (request.endpoint === MUTE && request.answeredCode === 200) per.set(request.form.accid!, (per.get(request.form.accid!) ?? 0) + 1);
  }
  return per;
}

describe('batches in the background', () => {
  it('runs 300 accounts after start returns, keeps the record, and posts one message with a reply per 100 accounts', async () => {
    const { emulator, store, service, sent } = await setUp(300);
    const started = await start(service, wave(300));
    expect(started.state).toBe('running');
    await service.settled('wave');
    const batch = await store.batch('wave');
    expect(batch).toMatchObject({
      state: 'finished',
      counts: { done: 300, failed: 0 },
      posted: { channel: 'C0AUDIT', ts: '1.0' },
      replies: 3,
    });
    expect(sent.posts).toBe(1);
    expect(sent.replies.map((slice) => [slice.from, slice.to])).toEqual([
      [0, 100],
      [100, 200],
      [200, 300],
    ]);
    expect(sent.updates.at(-1)).toMatchObject({ state: 'finished', counts: { done: 300 } });
    expect([...mutesPer(emulator).values()].every((n) => n === 1)).toBe(true);
    expect(mutesPer(emulator).size).toBe(300);
    expect(await store.unpostedCount()).toBe(0);
  });

  it('finishes though Slack fails every post, then a later sweep (here a restarted process) posts the one message, its replies and the last update', async () => {
    const first = await setUp(150);
    first.sent.down = true;
    await start(first.service, wave(150));
    await first.service.settled('wave');
    const owed = await first.store.batch('wave');
    expect(owed).toMatchObject({ state: 'finished', counts: { done: 150 }, replies: 0, announcing: { tries: 0 } });
    expect(owed?.posted).toBeUndefined();
    // Tried again as it ran, after a backoff, not at every save: a few failures, no post.
    expect(first.sent.failed).toBeGreaterThanOrEqual(2);
    expect(first.sent.failed).toBeLessThan(10);
    expect(first.sent.posts).toBe(0);
    // While the finished run's lease holds, no sweep takes it; Slack still down, a sweep counts a try and waits.
    expect(await first.service.announceLeftovers()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await first.service.announceLeftovers()).toBe(0);
    expect(await first.store.batch('wave')).toMatchObject({ announcing: { tries: 1 } });
    expect(await first.service.announceLeftovers()).toBe(0);
    await first.store.close();

    const { store, service, sent } = await setUp(0, { path: join(first.dir, 'audit.db'), emulator: first.emulator });
    await store.saveBatch({ ...(await store.batch('wave'))!, leaseUntil: Date.now() - 1 });
    expect(await service.announceLeftovers()).toBe(1);
    const batch = await store.batch('wave');
    expect(batch).toMatchObject({ state: 'finished', posted: { channel: 'C0AUDIT', ts: '1.0' }, replies: 2 });
    expect(batch?.announcing).toBeUndefined();
    expect(sent.posts).toBe(1);
    expect(sent.replies.map((slice) => [slice.from, slice.to])).toEqual([
      [0, 100],
      [100, 150],
    ]);
    expect(sent.updates).toHaveLength(1);
    expect(sent.updates[0]).toMatchObject({ state: 'finished', counts: { done: 150 } });
    expect(await service.announceLeftovers()).toBe(0);
    expect(sent.posts).toBe(1);
  });

  it('ends finished in the store and on screen though a slower progress save was still under way', async () => {
    // Each channel update takes longer than the progress interval, so the last save is asked for while an earlier
    // one still waits on Slack: the earlier one must not put its "running" state back over "finished".
    const { store, service, shown } = await setUp(300, { updateDelayMs: 120 });
    await start(service, wave(300));
    await service.settled('wave');
    expect(await store.batch('wave')).toMatchObject({ state: 'finished', counts: { done: 300 } });
    expect(shown.at(-1)).toMatchObject({ state: 'finished', counts: { done: 300 } });
  });

  it('a shutdown once every account was sent ends the batch finished, not stopped (nothing is left to continue)', async () => {
    const { emulator, store, service, sent } = await setUp(5);
    emulator.injectFault(MUTE, { kind: 'latency', ms: 300 });
    await start(service, wave(5));
    // The five calls are in flight (counted at arrival): the pause lets them be answered and sends nothing more.
    while (emulator.count({ endpoint: MUTE }) < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await service.pauseAll(new Promise(() => undefined))).toBe(0);
    expect(await store.batch('wave')).toMatchObject({ state: 'finished', counts: { done: 5, stopped: 0 } });
    expect(sent.updates.at(-1)).toMatchObject({ state: 'finished' });
  });

  it('starts a prepared batch only on its confirmation, once, and only for the person who prepared it', async () => {
    const { emulator, store, service } = await setUp(120);
    const draft = await service.prepare({
      id: 'd1',
      sanction: mute(wave(120)),
      actor: 'U0MOD',
      command: '/im-mute',
      origin: { user: 'U0MOD' },
    });
    expect(draft.state).toBe('draft');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emulator.count()).toBe(0);
    expect(await service.findInterrupted()).toEqual([]);
    expect(await service.confirm('d1', 'U0OTHER')).toBeUndefined();
    const [first, second] = await Promise.all([service.confirm('d1', 'U0MOD'), service.confirm('d1', 'U0MOD')]);
    expect([first?.state, second?.state].sort()).toEqual(['running', undefined]);
    await service.settled('d1');
    expect(await store.batch('d1')).toMatchObject({ state: 'finished', counts: { done: 120 } });
    expect(emulator.count({ endpoint: MUTE })).toBe(120);
  });

  it("an approved draft runs once with the approver on the record and on every account's intent", async () => {
    const { emulator, store, service } = await setUp(60);
    await service.prepare({ id: 'd2', sanction: mute(wave(60)), actor: 'U0MOD', command: '/im-mute', origin: { user: 'U0MOD' } });
    const started = await service.confirm('d2', 'U0MOD', { approvedBy: 'U0SECOND' });
    expect(started).toMatchObject({ state: 'running', actor: 'U0MOD', approvedBy: 'U0SECOND' });
    expect(await service.confirm('d2', 'U0MOD', { approvedBy: 'U0THIRD' })).toBeUndefined();
    await service.settled('d2');
    expect(await store.batch('d2')).toMatchObject({ state: 'finished', approvedBy: 'U0SECOND', counts: { done: 60 } });
    expect(emulator.count({ endpoint: MUTE })).toBe(60);
    const [entry] = (await store.history({ accid: 'spam59', limit: 5 })).items;
    expect(entry).toMatchObject({ kind: 'update', intent: { actor: 'U0MOD', approvedBy: 'U0SECOND', batch: 'd2' } });
  });

  it('stops at about half, then continues with the rest: every account muted exactly once across both runs', async () => {
    const { emulator, store, service } = await setUp(400);
    emulator.injectFault(MUTE, { kind: 'latency', ms: 5 });
    await start(service, wave(400));
    while (emulator.count({ endpoint: MUTE }) < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(service.stop('wave')).toBe(true);
    await service.settled('wave');
    const stopped = await store.batch('wave');
    expect(stopped?.state).toBe('stopped');
    expect(stopped!.counts.done).toBeGreaterThanOrEqual(200);
    expect(stopped!.counts.done).toBeLessThan(400);
    expect(await service.continue('wave', 'U0MOD')).toMatchObject({ state: 'running', runs: 2 });
    await service.settled('wave');
    expect(await store.batch('wave')).toMatchObject({ state: 'finished', counts: { done: 400 } });
    const per = mutesPer(emulator);
    expect(per.size).toBe(400);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
  });

  it('two Continues of one stopped batch at once start one run: every account muted once, the record finished with 0 failed', async () => {
    const { emulator, store, service } = await setUp(400);
    emulator.injectFault(MUTE, { kind: 'latency', ms: 5 });
    await start(service, wave(400));
    while (emulator.count({ endpoint: MUTE }) < 100) await new Promise((resolve) => setTimeout(resolve, 5));
    service.stop('wave');
    await service.settled('wave');
    const continues = await Promise.all([service.continue('wave', 'U0MOD'), service.continue('wave', 'U0MOD')]);
    expect(continues.filter((batch) => batch !== undefined)).toHaveLength(1);
    await service.settled('wave');
    expect(await store.batch('wave')).toMatchObject({ state: 'finished', runs: 2, counts: { done: 400, failed: 0 } });
    expect(await store.ready()).toBe(true);
    const per = mutesPer(emulator);
    expect(per.size).toBe(400);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
  });

  it('after a kill -9 mid-batch, reports it at the next start without continuing, then Continue acts on each account once', async () => {
    const emulator = await startEmulator({
      apps: [APP],
      rateLimit: 100_000,
      seed: { users: wave(600).map((accid) => ({ accid })), qchatServers: [] },
    });
    const dir = await mkdtemp(join(tmpdir(), 'im-admin-batch-kill-'));
    const path = join(dir, 'audit.db');
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, path, emulator.url, '600'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve()));
    while (emulator.count({ endpoint: MUTE }) < 250) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const sentBeforeDeath = emulator.count({ endpoint: MUTE });
    expect(sentBeforeDeath).toBeLessThan(600);

    const { store, service, interrupted } = await setUp(0, { path, emulator });
    // The dead process's lease (1.5 s) has to run out first; nothing continues by itself meanwhile.
    let found: BatchRecord[] = [];
    for (let tries = 0; found.length === 0 && tries < 100; tries += 1) {
      found = await service.findInterrupted();
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(found.map((batch) => [batch.id, batch.state])).toEqual([['wave', 'interrupted']]);
    expect(interrupted.map((batch) => batch.id)).toEqual(['wave']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(emulator.count({ endpoint: MUTE })).toBe(sentBeforeDeath);
    expect(await service.findInterrupted()).toEqual([]);

    await service.continue('wave', 'U0MOD');
    await service.settled('wave');
    const batch = await store.batch('wave');
    expect(batch?.state).toBe('finished');
    expect(batch!.counts.done + batch!.counts.already).toBe(600);
    const per = mutesPer(emulator);
    expect(per.size).toBe(600);
    expect([...per.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  });
});
