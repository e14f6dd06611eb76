import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/emulator/server.js';
import { runBatch, type BatchDeps } from '../../../src/moderation/batch/run-batch.js';
import type { BatchProgress } from '../../../src/moderation/batch/progress.js';
import { remainingAccounts } from '../../../src/moderation/batch/resume.js';
import { parseDuration } from '../../../src/moderation/duration.js';
import type { Sanction } from '../../../src/moderation/sanction.js';
import { NimClient } from '../../../src/nim/client.js';
import { rapidRetryPolicy } from '../../../src/nim/retry.js';
import { tempDir } from '../../audit/helpers.js';
import { auditRecords, openTestTrail } from '../../audit/trail.js';

/** A batch against the NetEase emulator over real HTTP, with the audit trail on a real store. */

const APP = { appKey: 'batch-key', appSecret: 'batch-secret' };
const MUTE = 'user/mute.action';
const GET = 'user/getUinfos.action';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const wave = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `spam${from + i}`);

async function setUp(accounts: number, options: { rateLimit?: number; already?: string[]; timeoutMs?: number } = {}) {
  const emulator = await startEmulator({
    apps: [APP],
    rateLimit: 100_000,
    seed: {
      users: wave(accounts).map((accid) => ({ accid, ...(options.already?.includes(accid) ? { mute: true } : {}) })),
      qchatServers: [],
    },
  });
  const nim = new NimClient({
    ...APP,
    baseUrl: emulator.url,
    retryPolicy: rapidRetryPolicy,
    timeoutMs: options.timeoutMs ?? 2000,
    rateLimit: options.rateLimit ?? 2000,
  });
  const { dir, remove } = await tempDir();
  let clock = Date.UTC(2026, 11, 7, 12, 0);
  const now = () => (clock += 10);
  const audit = await openTestTrail(dir, { now });
  cleanups.push(
    remove,
    () => audit.close(),
    () => nim.close(),
    () => emulator.close(),
  );
  const deps: BatchDeps = { trail: audit.trail, nim, now };
  return { emulator, deps, store: audit.store, records: () => auditRecords(dir) };
}

const mute = (accids: string[]): Sanction => ({
  kind: 'mute',
  accids,
  reason: 'spam wave',
  scope: 'everywhere',
  duration: parseDuration('24h'),
});

describe('a batch of moderation', () => {
  it('mutes 300 accounts once each, reads them 200 at a time, and keeps one audit entry per account naming the batch', async () => {
    const { emulator, deps, records, store } = await setUp(300, { already: ['spam7'] });
    const accids = [...wave(300), 'nobody'];
    const report = await runBatch({ id: 'b1', sanction: mute(accids), actor: 'U0MOD', command: '/im-mute' }, deps);
    expect(report.progress.counts).toEqual({ done: 299, already: 1, not_found: 1, failed: 0, unknown: 0, stopped: 0 });
    expect(emulator.count({ endpoint: MUTE })).toBe(299);
    expect(emulator.count({ endpoint: GET })).toBe(2);
    expect(wave(300).every((accid) => emulator.getUser(accid)?.mute === true)).toBe(true);
    // Every account of the attempt has its entry, the two left alone included (#20 item 8), all naming the batch.
    const intents = (await records()).filter((record) => record.kind === 'intent');
    expect(intents).toHaveLength(301);
    expect(new Set(intents.map((intent) => intent.batch))).toEqual(new Set(['b1']));
    expect(intents.find((intent) => intent.id === 'b1.1')).toMatchObject({
      id: 'b1.1',
      target: { accid: 'spam0' },
      sanction: { reason: 'spam wave', durationMs: 86_400_000 },
    });
    expect(report.outcomes[7]).toEqual({ accid: 'spam7', status: 'already', auditId: 'b1.8' });
    expect(report.outcomes.at(-1)).toEqual({ accid: 'nobody', status: 'not_found', auditId: 'b1.301' });
    for (const [accid, errorCode] of [
      ['spam7', 'already_so'],
      ['nobody', 'account_not_found'],
    ]) {
      const { items } = await store.history({ accid: accid! });
      expect(items).toEqual([
        expect.objectContaining({
          kind: 'update',
          intent: expect.objectContaining({ batch: 'b1', changes: {} }),
          outcome: expect.objectContaining({ status: 'not_applied', errorCode }),
        }),
      ]);
    }
  });

  it("stores each chunk's intents in one durable write before its calls, and its outcomes in one more after them", async () => {
    const { deps } = await setUp(120, { already: ['spam3'] });
    const events: string[] = [];
    const store = new Proxy(deps.trail.store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          const ids = (list: unknown) => (list as { id?: string; intent?: { id: string } }[]).map((x) => x.intent?.id ?? x.id).join(',');
          if (name === 'appendIntents') events.push(`intents ${ids(args[0])}`);
          if (name === 'appendOutcomes') events.push(`outcomes ${ids(args[0])}`);
          if (name === 'appendOutcome' || name === 'appendIntent') events.push(`${name} one`);
          return result;
        };
      },
    });
    const nim = new Proxy(deps.nim, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (name !== 'setGlobalMute' || typeof value !== 'function') return value;
        return async (accid: string, ...rest: unknown[]) => {
          events.push(`call ${accid}`);
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, [accid, ...rest]);
          events.push(`answered ${accid}`);
          return result;
        };
      },
    });
    const report = await runBatch(
      { id: 'b1', sanction: mute(wave(120)), actor: 'U0MOD', command: '/im-mute' },
      { ...deps, nim, trail: { ...deps.trail, store } },
    );
    expect(report.progress.counts).toMatchObject({ done: 119, already: 1 });
    // Two durable writes per chunk of 50 (the one left alone is one more pair), none per account.
    expect(events.filter((event) => event.endsWith(' one'))).toEqual([]);
    expect(events.filter((event) => event.startsWith('intents '))).toHaveLength(4);
    expect(events.filter((event) => event.startsWith('outcomes '))).toHaveLength(4);
    for (let n = 0; n < 120; n++) {
      if (n === 3) continue;
      const id = `b1.${n + 1}`;
      const has = (prefix: string) => events.findIndex((event) => event.startsWith(prefix) && event.split(/[ ,]/).includes(id));
      const stored = has('intents ');
      const settled = has('outcomes ');
      expect(stored).toBeGreaterThanOrEqual(0);
      // The intent is durable before its call; the outcome is stored once the call has answered.
      expect(stored).toBeLessThan(events.indexOf(`call spam${n}`));
      expect(events.indexOf(`answered spam${n}`)).toBeLessThan(settled);
    }
  });

  it('reports progress at most every 2 s of its clock, and once at the end', async () => {
    const { deps } = await setUp(120);
    const reports: BatchProgress[] = [];
    let clock = 0;
    // Each account's settling moves the clock by 100 ms: 120 accounts take 12 s, so at most 7 reports.
    const report = await runBatch(
      { id: 'b2', sanction: mute(wave(120)), actor: 'U0MOD', command: '/im-mute' },
      { ...deps, now: () => (clock += 100), onProgress: (progress) => reports.push(progress) },
    );
    expect(reports.length).toBeLessThanOrEqual(1 + Math.ceil((120 * 100) / 2000) + 1);
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports.at(-1)).toEqual({ ...report.progress, finished: true });
    expect(reports.at(-1)?.settled).toBe(120);
  });

  it('stops at about half: what is done stays done, nothing more is sent, intents not sent are settled as not applied', async () => {
    const { emulator, deps, records } = await setUp(200, { rateLimit: 400 });
    const stop = new AbortController();
    let done = 0;
    const report = await runBatch(
      { id: 'b3', sanction: mute(wave(200)), actor: 'U0MOD', command: '/im-mute' },
      {
        ...deps,
        signal: stop.signal,
        onOutcome: (outcome) => {
          if (outcome.status === 'done' && ++done === 100) stop.abort();
        },
      },
    );
    expect(report.stopped).toBe(true);
    const { counts } = report.progress;
    const muted = wave(200).filter((accid) => emulator.getUser(accid)?.mute === true).length;
    expect(emulator.count({ endpoint: MUTE })).toBe(muted);
    expect(counts.done).toBe(muted);
    expect(muted).toBeGreaterThanOrEqual(100);
    expect(muted).toBeLessThan(140);
    expect(counts.done + counts.stopped).toBe(200);
    const all = await records();
    const settled = new Set(all.filter((record) => record.kind === 'outcome').map((record) => record.id));
    expect(all.filter((record) => record.kind === 'intent').every((intent) => settled.has(intent.id))).toBe(true);
    const unsent = all.filter((record) => record.kind === 'outcome' && record.errorCode === 'stopped');
    expect(unsent.every((outcome) => outcome.status === 'not_applied')).toBe(true);

    const left = remainingAccounts(wave(200), new Map(report.outcomes.map((outcome) => [outcome.accid, outcome.status])));
    expect(left).toHaveLength(200 - muted);
    const rest = await runBatch(
      { id: 'b3', sanction: mute(left), actor: 'U0MOD', command: '/im-mute', entryId: (i) => `b3.c1.${i + 1}` },
      deps,
    );
    expect(rest.progress.counts.done).toBe(200 - muted);
    expect(emulator.count({ endpoint: MUTE })).toBe(200);
  });

  it('counts a 416 mid-batch as failed (not applied) and goes on once the budget has cooled down', async () => {
    const { emulator, deps } = await setUp(60);
    emulator.injectFault(MUTE, { kind: 'code', code: 416, desc: 'too many requests' }, 1);
    const report = await runBatch({ id: 'b4', sanction: mute(wave(60)), actor: 'U0MOD', command: '/im-mute' }, deps);
    expect(report.progress.counts.failed).toBe(1);
    expect(report.progress.counts.done).toBe(59);
    expect(report.outcomes.find((outcome) => outcome.status === 'failed')).toMatchObject({ nimCode: 416 });
  });

  it('settles a timed-out mute by reading it back: done when NetEase applied it', async () => {
    const { emulator, deps, records } = await setUp(30, { timeoutMs: 200 });
    emulator.injectFault(MUTE, { kind: 'latency', ms: 400, afterApply: true }, 2);
    // One call at a time: a call queued behind a slow one must not time out before it is even sent.
    const report = await runBatch({ id: 'b5', sanction: mute(wave(30)), actor: 'U0MOD', command: '/im-mute' }, { ...deps, concurrency: 1 });
    expect(report.progress.counts.done).toBe(30);
    const confirmed = report.outcomes.filter((outcome) => outcome.status === 'done' && outcome.confirmedByReadBack).length;
    expect(confirmed).toBe(2);
    expect((await records()).filter((record) => record.status === 'applied_confirmed_by_read_back')).toHaveLength(confirmed);
    expect(wave(30).every((accid) => emulator.getUser(accid)?.mute === true)).toBe(true);
  });

  it('sends nothing for a group it could not read, and says so for each of its accounts', async () => {
    const { emulator, deps } = await setUp(10);
    emulator.injectFault(GET, { kind: 'code', code: 403, desc: 'forbidden' }, 1);
    const report = await runBatch({ id: 'b6', sanction: mute(wave(10)), actor: 'U0MOD', command: '/im-mute' }, deps);
    expect(report.progress.counts.failed).toBe(10);
    expect(emulator.count({ endpoint: MUTE })).toBe(0);
  });
});
