import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChainWalk, chainHash, GENESIS_HASH } from '../../../src/audit/store/chain.js';
import { personTarget, type IntentRecord, type OutcomeRecord } from '../../../src/audit/records.js';
import { AuditStoreError, type AuditStore } from '../../../src/audit/store/contract.js';
import type { BatchRecord } from '../../../src/audit/batch-record.js';
import { liftConformance } from './conformance-lifts.js';
import { rollbackConformance } from './conformance-rollbacks.js';
import { intentAt, iso, lookupAt, MINUTE, outcomeAt, refusalAt, T0 } from './records.js';

/**
 * The behaviours every AuditStore keeps (src/audit/store/contract.ts). Each store's test file calls
 * `auditStoreConformance` with a subject; a behaviour that needs two instances open at once on one storage runs where
 * the store allows it (`sharedByProcesses`); where it does not (SQLite: one process per database, by design), the same
 * case checks instead that the second instance is refused, naming the process that holds the storage.
 */
export type ConformanceSubject = {
  /** Shown in the test names: `sqlite`, `postgres`. */
  name: string;
  /** Two instances may be open on one storage at once (PostgreSQL: replicas). SQLite: false (one process). */
  sharedByProcesses: boolean;
  /** Fresh, empty storage (a temp dir, a new database or schema). */
  setUp(): Promise<StorageUnderTest>;
};

export type StorageUnderTest = {
  /** A new store instance on this storage, not yet opened: another process, or the same one after a restart. */
  newStore(): AuditStore;
  /**
   * An opened store on this storage whose durable writes fail from now on (SQLite: the database locked by another
   * connection; PostgreSQL: the database gone). The suite closes it before opening another instance.
   */
  brokenStore(): Promise<AuditStore>;
  /** Alters the stored text of the chained record `id` (its `command`), leaving every `prev` as it was. */
  tamper(id: string): Promise<void>;
  /** The stored texts of the chained records, in chain order (to check the chain rule itself). */
  chainTexts(): Promise<string[]>;
  /** Sets a scheduled lift's time behind the store's back (as `UPDATE audit_lifts` by hand would), where possible. */
  moveLift?(sanctionId: string, liftAt: number): Promise<void>;
  /** Makes every later write to the lift schedule fail (a trigger), where possible: lifts must be written with intents. */
  failLiftWrites?(): Promise<void>;
  tearDown(): Promise<void>;
};

const LEASE = 60_000;
const at = (minute: number) => T0 + minute * MINUTE;

export function auditStoreConformance(subject: ConformanceSubject): void {
  describe(`AuditStore conformance: ${subject.name}`, () => {
    let storage: StorageUnderTest;
    const opened: AuditStore[] = [];

    beforeEach(async () => {
      storage = await subject.setUp();
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close().catch(() => undefined);
      await storage.tearDown();
    });

    async function open(): Promise<AuditStore> {
      const store = storage.newStore();
      await store.open();
      opened.push(store);
      return store;
    }
    /** Closes `store` and opens the same storage again: a restart. */
    async function restart(store: AuditStore): Promise<AuditStore> {
      await store.close();
      opened.splice(opened.indexOf(store), 1);
      return open();
    }
    // Where the store refuses a second instance, the case checks that refusal instead: it must never run two.
    const twoProcesses = (name: string, body: () => Promise<void>) =>
      subject.sharedByProcesses
        ? it(name, body)
        : it(`${name}: refused, one process per storage`, async () => {
            await open();
            const second = storage.newStore();
            const refusal = await second.open().catch((error: unknown) => error);
            expect(refusal).toBeInstanceOf(AuditStoreError);
            expect((refusal as AuditStoreError).message).toContain(`process ${process.pid}`);
          });

    // ── Records ──────────────────────────────────────────────────────────────────────────────────────────────────

    it('keeps an intent once appendIntent resolves: a restarted store still holds it, unsettled', async () => {
      const store = await open();
      await store.appendIntent(intentAt('i1', 0), { owner: 'p1', leaseUntil: at(0) + LEASE });
      const again = await restart(store);
      const claimed = await again.claimUnsettled({ owner: 'p2', now: at(2), leaseMs: LEASE, limit: 10 });
      expect(claimed.map((intent) => intent.id)).toEqual(['i1']);
      expect(claimed[0]).toEqual(intentAt('i1', 0));
    });

    it('refuses an intent it cannot store durably with AuditStoreError, says it is not ready, and keeps no trace', async () => {
      const broken = await storage.brokenStore();
      const failure = await broken.appendIntent(intentAt('lost', 0), { owner: 'p1', leaseUntil: at(1) }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AuditStoreError);
      expect((failure as AuditStoreError).message).toContain(broken.location);
      expect(await broken.ready()).toBe(false);
      await broken.close().catch(() => undefined);

      const store = await open();
      expect(await store.ready()).toBe(true);
      expect(await store.entry('lost')).toBeUndefined();
      expect(await store.claimUnsettled({ owner: 'p2', now: at(10), leaseMs: LEASE, limit: 10 })).toEqual([]);
      expect((await store.history({ accid: 'alice' })).items).toEqual([]);
      expect((await store.verify()).ok).toBe(true);
    });

    it('settles an intent exactly once: a second outcome is refused and stores nothing', async () => {
      const store = await open();
      await store.appendIntent(intentAt('i1', 0), { owner: 'p1', leaseUntil: at(1) });
      expect(await store.appendOutcome(outcomeAt('i1', 1, 'applied'))).toBe(true);
      expect(await store.appendOutcome(outcomeAt('i1', 2, 'unknown'))).toBe(false);
      const again = await restart(store);
      expect(await again.appendOutcome(outcomeAt('i1', 3, 'failed'))).toBe(false);
      expect(await again.entry('i1')).toEqual({ kind: 'update', intent: intentAt('i1', 0), outcome: outcomeAt('i1', 1) });
      expect((await again.head()).count).toBe(2);
    });

    twoProcesses('settles an intent once when two processes race to settle it', async () => {
      const [a, b] = [await open(), await open()];
      await a.appendIntent(intentAt('i1', 0), { owner: 'pa', leaseUntil: at(1) });
      const results = await Promise.all([a.appendOutcome(outcomeAt('i1', 1)), b.appendOutcome(outcomeAt('i1', 1, 'unknown'))]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('keeps the intents of a chunk all at once, chained in order, with their leases and lifts, across a restart', async () => {
      const store = await open();
      const chunk = ['b.1', 'b.2', 'b.3'].map((id, n) =>
        intentAt(id, n, { target: { accid: `Spam${n}` }, batch: 'b', ...(n === 1 ? { sanction: { liftAt: iso(at(90)) } } : {}) }),
      );
      await store.appendIntents(
        chunk.map((intent, n) => (n === 1 ? { intent, lift: { liftAt: at(90) } } : { intent })),
        { owner: 'p1', leaseUntil: at(1) },
      );
      const again = await restart(store);
      expect((await again.head()).count).toBe(3);
      expect((await again.verify()).ok).toBe(true);
      expect(await again.pendingLifts(['spam1'])).toEqual([{ sanctionId: 'b.2', intent: chunk[1], liftAt: at(90) }]);
      expect(await again.claimUnsettled({ owner: 'p2', now: at(0), leaseMs: LEASE, limit: 10 })).toEqual([]);
      const claimed = await again.claimUnsettled({ owner: 'p2', now: at(2), leaseMs: LEASE, limit: 10 });
      expect(claimed).toEqual(chunk);
      expect(await again.appendOutcome(outcomeAt('b.3', 3))).toBe(true);
    });

    it("settles a chunk's intents in one write, in order, across a restart; one settled already stores nothing", async () => {
      const store = await open();
      const chunk = ['b.1', 'b.2', 'b.3'].map((id, n) => intentAt(id, n, { target: { accid: `Spam${n}` }, batch: 'b' }));
      await store.appendIntents(
        chunk.map((intent) => ({ intent })),
        { owner: 'p1', leaseUntil: at(1) },
      );
      expect(await store.appendOutcome(outcomeAt('b.2', 3, 'failed'))).toBe(true);
      const outcomes = [outcomeAt('b.1', 4), outcomeAt('b.2', 4, 'unknown'), outcomeAt('b.3', 4), outcomeAt('b.1', 5, 'failed')];
      expect(await store.appendOutcomes(outcomes)).toEqual([true, false, true, false]);
      expect(await store.appendOutcomes([])).toEqual([]);
      const again = await restart(store);
      expect((await again.head()).count).toBe(6);
      expect((await again.verify()).ok).toBe(true);
      expect(await again.entry('b.1')).toMatchObject({ outcome: outcomeAt('b.1', 4) });
      expect(await again.entry('b.2')).toMatchObject({ outcome: outcomeAt('b.2', 3, 'failed') });
      expect(await again.entry('b.3')).toMatchObject({ outcome: outcomeAt('b.3', 4) });
      expect(await again.claimUnsettled({ owner: 'p2', now: at(10), leaseMs: LEASE, limit: 10 })).toEqual([]);
    });

    it("stores none of a chunk's outcomes when one names an intent it does not hold", async () => {
      const store = await open();
      await store.appendIntents([{ intent: intentAt('b.1', 0, { batch: 'b' }) }], { owner: 'p1', leaseUntil: at(1) });
      await expect(store.appendOutcomes([outcomeAt('b.1', 1), outcomeAt('nobody', 1)])).rejects.toThrow(/nobody/);
      expect((await store.head()).count).toBe(1);
      expect(await store.appendOutcomes([outcomeAt('b.1', 2)])).toEqual([true]);
    });

    twoProcesses("settles an intent once when a chunk's write races another process's outcome", async () => {
      const [a, b] = [await open(), await open()];
      await a.appendIntents(
        ['b.1', 'b.2'].map((id) => ({ intent: intentAt(id, 0, { batch: 'b' }) })),
        { owner: 'pa', leaseUntil: at(1) },
      );
      const [chunk, single] = await Promise.all([
        a.appendOutcomes([outcomeAt('b.1', 1), outcomeAt('b.2', 1)]),
        b.appendOutcome(outcomeAt('b.2', 1, 'unknown')),
      ]);
      expect(chunk[0]).toBe(true);
      expect([chunk[1], single].filter(Boolean)).toHaveLength(1);
      expect((await a.head()).count).toBe(4);
    });

    it('stores none of a chunk it cannot store durably, and says so with AuditStoreError', async () => {
      const broken = await storage.brokenStore();
      const chunk = [intentAt('b.1', 0), intentAt('b.2', 0)].map((intent) => ({ intent, lift: { liftAt: at(9) } }));
      await expect(broken.appendIntents(chunk, { owner: 'p1', leaseUntil: at(1) })).rejects.toBeInstanceOf(AuditStoreError);
      await broken.close().catch(() => undefined);
      const store = await open();
      expect(await store.entry('b.1')).toBeUndefined();
      expect(await store.claimUnsettled({ owner: 'p2', now: at(10), leaseMs: LEASE, limit: 10 })).toEqual([]);
      expect(await store.pendingLifts(['alice'])).toEqual([]);
      expect((await store.head()).count).toBe(0);
    });

    // ── Batches ──────────────────────────────────────────────────────────────────────────────────────────────────

    const batchAt = (id: string, minute: number, overrides: Partial<BatchRecord> = {}): BatchRecord => ({
      id,
      actor: 'U0MOD',
      action: 'mute',
      command: '/im-mute',
      sanction: { kind: 'mute', reason: 'spam wave', scope: 'everywhere' },
      accids: ['Spam1', 'spam2', 'spam3'],
      state: 'running',
      owner: 'p1',
      leaseUntil: at(minute) + LEASE,
      createdAt: at(minute),
      updatedAt: at(minute),
      counts: { done: 1, already: 0, not_found: 0, failed: 0, unknown: 0, stopped: 0 },
      settled: { spam1: 'done' },
      origin: { user: 'U0MOD', channel: 'C0MOD' },
      replies: 0,
      runs: 1,
      ...overrides,
    });

    it('keeps a batch record across a restart, the latest save winning', async () => {
      const store = await open();
      await store.saveBatch(batchAt('b1', 0));
      const progressed = batchAt('b1', 1, { settled: { spam1: 'done', spam2: 'failed' }, posted: { channel: 'C0AUDIT', ts: '1.2' } });
      await store.saveBatch(progressed);
      const again = await restart(store);
      expect(await again.batch('b1')).toEqual(progressed);
      expect(await again.batch('nope')).toBeUndefined();
    });

    it('hands a batch left running by a dead process to one caller once, marked interrupted, and not one still leased', async () => {
      const store = await open();
      await store.saveBatch(batchAt('dead', 0));
      await store.saveBatch(batchAt('alive', 10));
      await store.saveBatch(batchAt('over', 0, { state: 'finished' }));
      const again = await restart(store);
      const claimed = await again.claimInterruptedBatches({ owner: 'p2', now: at(5), limit: 10 });
      expect(claimed.map((batch) => [batch.id, batch.state])).toEqual([['dead', 'interrupted']]);
      expect(await again.claimInterruptedBatches({ owner: 'p3', now: at(5), limit: 10 })).toEqual([]);
      expect((await again.batch('dead'))?.state).toBe('interrupted');
    });

    twoProcesses('hands an interrupted batch to one of two processes', async () => {
      const [a, b] = [await open(), await open()];
      await a.saveBatch(batchAt('dead', 0));
      const claims = await Promise.all([a, b].map((store, n) => store.claimInterruptedBatches({ owner: `p${n}`, now: at(5), limit: 10 })));
      expect(claims.flat().map((batch) => batch.id)).toEqual(['dead']);
    });

    it('never offers the accounts of a batch for posting one by one, but still offers other entries', async () => {
      const store = await open();
      await store.appendIntents([{ intent: intentAt('b1.1', 0, { batch: 'b1' }) }], { owner: 'p1', leaseUntil: at(1) });
      await store.appendIntent(intentAt('single', 1), { owner: 'p1', leaseUntil: at(2) });
      expect(await store.appendOutcome(outcomeAt('b1.1', 2))).toBe(true);
      expect(await store.appendOutcome(outcomeAt('single', 3))).toBe(true);
      const again = await restart(store);
      const offered = await again.claimUnposted({ owner: 'p1', now: at(4), leaseMs: LEASE, limit: 10 });
      expect(offered.map((entry) => (entry.kind === 'update' ? entry.intent.id : entry.refusal.id))).toEqual(['single']);
      expect(await again.unpostedCount()).toBe(1);
      expect(await again.entry('b1.1')).toMatchObject({ intent: { batch: 'b1' }, outcome: { status: 'applied' } });
    });

    it('offers a refused bulk action once, by the refusal naming its accounts; each account finds its own record', async () => {
      const store = await open();
      await store.appendRefusal(refusalAt('r.1', 0, { target: { accid: 'alice' }, accounts: ['alice', 'bob'] }));
      await store.appendRefusal(refusalAt('r.2', 0, { target: { accid: 'bob' }, partOf: 'r.1' }));
      const again = await restart(store);
      const offered = await again.claimUnposted({ owner: 'p1', now: at(1), leaseMs: LEASE, limit: 10 });
      expect(offered.map((entry) => (entry.kind === 'update' ? entry.intent.id : entry.refusal.id))).toEqual(['r.1']);
      expect(await again.unpostedCount()).toBe(1);
      expect((await again.history({ accid: 'bob' })).items).toEqual([
        { kind: 'refusal', refusal: refusalAt('r.2', 0, { target: { accid: 'bob' }, partOf: 'r.1' }) },
      ]);
    });

    rollbackConformance(open, restart, batchAt);

    it('refuses a batch record it cannot store durably with AuditStoreError', async () => {
      const broken = await storage.brokenStore();
      await expect(broken.saveBatch(batchAt('b1', 0))).rejects.toBeInstanceOf(AuditStoreError);
      await broken.close().catch(() => undefined);
    });

    it('rejects appends after close', async () => {
      const store = await open();
      await store.close();
      await expect(store.appendIntent(intentAt('i1', 0), { owner: 'p1', leaseUntil: at(1) })).rejects.toBeInstanceOf(AuditStoreError);
    });

    // ── At most once ─────────────────────────────────────────────────────────────────────────────────────────────

    it('claims a key once: later callers, also after a restart, get the first caller id', async () => {
      const store = await open();
      expect(await store.claimOnce('view:V1:abc', 'e1', at(0))).toEqual({ first: true });
      expect(await store.claimOnce('view:V1:abc', 'e2', at(1))).toEqual({ first: false, id: 'e1' });
      expect(await store.claimOnce('trigger:T2', 'e3', at(1))).toEqual({ first: true });
      const again = await restart(store);
      expect(await again.claimOnce('view:V1:abc', 'e4', at(60))).toEqual({ first: false, id: 'e1' });
    });

    twoProcesses('claims a key once across two processes racing for it', async () => {
      const [a, b] = [await open(), await open()];
      const results = await Promise.all([a.claimOnce('trigger:T9', 'ea', at(0)), b.claimOnce('trigger:T9', 'eb', at(0))]);
      expect(results.filter((result) => result.first)).toHaveLength(1);
      const winner = results[0].first ? 'ea' : 'eb';
      expect(results.find((result) => !result.first)).toEqual({ first: false, id: winner });
    });

    it('answers entry(id) with the update, its outcome and where it was posted; undefined for lookups and unknown ids', async () => {
      const store = await open();
      await store.appendIntent(intentAt('i1', 0), { owner: 'p1', leaseUntil: at(1) });
      expect(await store.entry('i1')).toEqual({ kind: 'update', intent: intentAt('i1', 0) });
      await store.appendOutcome(outcomeAt('i1', 1));
      await store.claimUnposted({ owner: 'p1', now: at(2), leaseMs: LEASE, limit: 10 });
      await store.markPosted('i1', { owner: 'p1', at: at(2), message: { channel: 'C0AUDIT', ts: '1.000100' } });
      await store.appendRefusal(refusalAt('r1', 3));
      await store.appendLookup(lookupAt('l1', 4));
      expect(await store.entry('i1')).toEqual({
        kind: 'update',
        intent: intentAt('i1', 0),
        outcome: outcomeAt('i1', 1),
        posted: { channel: 'C0AUDIT', ts: '1.000100' },
      });
      expect(await store.entry('r1')).toEqual({ kind: 'refusal', refusal: refusalAt('r1', 3) });
      expect(await store.entry('l1')).toBeUndefined();
      expect(await store.entry('nobody')).toBeUndefined();
    });

    // ── Settlement of intents whose process died ─────────────────────────────────────────────────────────────────

    it('offers an unsettled intent only once its lease expired, to one owner at a time, never once settled', async () => {
      const store = await open();
      await store.appendIntent(intentAt('i1', 0), { owner: 'p1', leaseUntil: at(0) + LEASE });
      await store.appendIntent(intentAt('i2', 0), { owner: 'p1', leaseUntil: at(0) + LEASE });
      await store.appendOutcome(outcomeAt('i2', 0));
      const claim = (owner: string, now: number) => store.claimUnsettled({ owner, now, leaseMs: LEASE, limit: 10 });

      expect(await claim('p2', at(0) + LEASE - 1)).toEqual([]);
      expect((await claim('p2', at(0) + LEASE + 1)).map((intent) => intent.id)).toEqual(['i1']);
      // p2 holds it now: nobody else settles it meanwhile…
      expect(await claim('p3', at(0) + LEASE + 2)).toEqual([]);
      // …until p2's own claim expires (p2 died too).
      expect((await claim('p3', at(0) + 2 * LEASE + 2)).map((intent) => intent.id)).toEqual(['i1']);
      await store.appendOutcome({ ...outcomeAt('i1', 5, 'unknown'), recovered: true, readBack: 'in_place' });
      expect(await claim('p4', at(100))).toEqual([]);
    });

    it('never offers an intent while its owner keeps renewing the lease', async () => {
      const store = await open();
      await store.appendIntent(intentAt('i1', 0), { owner: 'p1', leaseUntil: at(0) + LEASE });
      await store.renewLeases('p1', ['i1'], at(0) + 3 * LEASE);
      expect(await store.claimUnsettled({ owner: 'p2', now: at(0) + 2 * LEASE, leaseMs: LEASE, limit: 10 })).toEqual([]);
      const late = await store.claimUnsettled({ owner: 'p2', now: at(0) + 3 * LEASE + 1, leaseMs: LEASE, limit: 10 });
      expect(late.map((intent) => intent.id)).toEqual(['i1']);
    });

    it('keeps the oldest first and honours the limit when claiming unsettled intents', async () => {
      const store = await open();
      for (const id of ['i1', 'i2', 'i3']) await store.appendIntent(intentAt(id, 0), { owner: 'p1', leaseUntil: at(1) });
      const first = await store.claimUnsettled({ owner: 'p2', now: at(2), leaseMs: LEASE, limit: 2 });
      const rest = await store.claimUnsettled({ owner: 'p2', now: at(2), leaseMs: LEASE, limit: 2 });
      expect([first.map((i) => i.id), rest.map((i) => i.id)]).toEqual([['i1', 'i2'], ['i3']]);
    });

    twoProcesses('lets exactly one of two processes claim an intent whose owner died', async () => {
      const [a, b, c] = [await open(), await open(), await open()];
      await a.appendIntent(intentAt('i1', 0), { owner: 'pa', leaseUntil: at(1) });
      expect(await b.claimUnsettled({ owner: 'pb', now: at(0), leaseMs: LEASE, limit: 10 })).toEqual([]);
      const claims = await Promise.all(
        [b, c].map((store, n) => store.claimUnsettled({ owner: `p${n}`, now: at(2), leaseMs: LEASE, limit: 10 })),
      );
      expect(claims.flat().map((intent) => intent.id)).toEqual(['i1']);
    });

    // ── Outbox ───────────────────────────────────────────────────────────────────────────────────────────────────

    it('offers finished entries oldest first, not intents in flight nor lookups, and counts them', async () => {
      const store = await open();
      await store.appendIntent(intentAt('i1', 0), { owner: 'p1', leaseUntil: at(1) });
      await store.appendRefusal(refusalAt('r1', 1));
      await store.appendIntent(intentAt('i2', 2), { owner: 'p1', leaseUntil: at(3) });
      await store.appendLookup(lookupAt('l1', 3));
      await store.appendOutcome(outcomeAt('i1', 4));
      expect(await store.unpostedCount()).toBe(2);
      const claimed = await store.claimUnposted({ owner: 'p1', now: at(5), leaseMs: LEASE, limit: 10 });
      expect(claimed).toEqual([
        { kind: 'update', intent: intentAt('i1', 0), outcome: outcomeAt('i1', 4) },
        { kind: 'refusal', refusal: refusalAt('r1', 1) },
      ]);
    });

    it('lets a claim on an unposted entry expire when its poster dies, and never offers a posted one again', async () => {
      const store = await open();
      await store.appendRefusal(refusalAt('r1', 0));
      const claim = (owner: string, now: number) => store.claimUnposted({ owner, now, leaseMs: LEASE, limit: 10 });
      expect(await claim('p1', at(1))).toHaveLength(1);
      expect(await claim('p2', at(1) + 1000)).toEqual([]);
      expect(await claim('p2', at(1) + LEASE + 1)).toHaveLength(1);
      await store.markPosted('r1', { owner: 'p2', at: at(2), message: { channel: 'C0AUDIT', ts: '2.000200' } });
      expect(await claim('p3', at(100))).toEqual([]);
      expect(await store.unpostedCount()).toBe(0);
    });

    it('says since when an entry was being posted when it is claimed again (its poster died, or its post failed)', async () => {
      const store = await open();
      await store.appendRefusal(refusalAt('r1', 0));
      await store.appendRefusal(refusalAt('r2', 0));
      const claim = (owner: string, now: number) => store.claimUnposted({ owner, now, leaseMs: LEASE, limit: 10 });
      const first = await claim('p1', at(1));
      expect(first.map((entry) => entry.postingSince)).toEqual([undefined, undefined]);
      await store.postFailed('r2', { owner: 'p1', retryAt: at(1) });
      // p1 died holding r1: whoever takes it over learns since when it may have been posted.
      const again = await restart(store);
      const taken = await again.claimUnposted({ owner: 'p2', now: at(1) + LEASE + 1, leaseMs: LEASE, limit: 10 });
      expect(taken.map((entry) => [idOf(entry), entry.postingSince])).toEqual([
        ['r1', at(1)],
        ['r2', at(1)],
      ]);
      // The first claim's time stays: a third claimant looks from there too.
      const third = await again.claimUnposted({ owner: 'p3', now: at(1) + 3 * LEASE, leaseMs: LEASE, limit: 10 });
      expect(third.map((entry) => entry.postingSince)).toEqual([at(1), at(1)]);
    });

    it('holds a failed post back until its retry time, then offers it again', async () => {
      const store = await open();
      await store.appendRefusal(refusalAt('r1', 0));
      await store.appendRefusal(refusalAt('r2', 0));
      const claim = (owner: string, now: number) =>
        store.claimUnposted({ owner, now, leaseMs: LEASE, limit: 10 }).then((entries) => entries.map(idOf));
      expect(await claim('p1', at(1))).toEqual(['r1', 'r2']);
      await store.postFailed('r1', { owner: 'p1', retryAt: at(1) + 30_000 });
      await store.markPosted('r2', { owner: 'p1', at: at(1) });
      expect(await claim('p1', at(1) + 29_000)).toEqual([]);
      expect(await claim('p1', at(1) + 30_000)).toEqual(['r1']);
      expect(await store.unpostedCount()).toBe(1);
    });

    it("lets the poster move a retry earlier, as the drain's last try does", async () => {
      const store = await open();
      await store.appendRefusal(refusalAt('r1', 0));
      await store.claimUnposted({ owner: 'p1', now: at(1), leaseMs: LEASE, limit: 10 });
      await store.postFailed('r1', { owner: 'p1', retryAt: at(1) + 60_000 });
      await store.postFailed('r1', { owner: 'p1', retryAt: at(1) + 1 });
      expect((await store.claimUnposted({ owner: 'p1', now: at(1) + 2, leaseMs: LEASE, limit: 10 })).map(idOf)).toEqual(['r1']);
    });

    it('treats an entry handled without a channel as posted, with no message', async () => {
      const store = await open();
      await store.appendRefusal(refusalAt('r1', 0));
      await store.claimUnposted({ owner: 'p1', now: at(1), leaseMs: LEASE, limit: 10 });
      await store.markPosted('r1', { owner: 'p1', at: at(1) });
      const again = await restart(store);
      expect(await again.claimUnposted({ owner: 'p2', now: at(10), leaseMs: LEASE, limit: 10 })).toEqual([]);
      expect(await again.entry('r1')).toEqual({ kind: 'refusal', refusal: refusalAt('r1', 0) });
    });

    it('offers an unposted entry again after a restart', async () => {
      const store = await open();
      await store.appendIntent(intentAt('i1', 0), { owner: 'p1', leaseUntil: at(1) });
      await store.appendOutcome(outcomeAt('i1', 1));
      const again = await restart(store);
      const claimed = await again.claimUnposted({ owner: 'p2', now: at(2), leaseMs: LEASE, limit: 10 });
      expect(claimed.map(idOf)).toEqual(['i1']);
    });

    twoProcesses('posts each entry once across two processes claiming at the same time', async () => {
      const [a, b] = [await open(), await open()];
      for (let n = 0; n < 20; n++) await a.appendRefusal(refusalAt(`r${n}`, n));
      const claims = await Promise.all(
        [a, b].map((store, n) => store.claimUnposted({ owner: `p${n}`, now: at(30), leaseMs: LEASE, limit: 15 })),
      );
      const ids = claims.flat().map(idOf);
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
    });

    // ── History ──────────────────────────────────────────────────────────────────────────────────────────────────

    it('pages one account history newest first, with outcomes, refusals and updates in flight, case-insensitively', async () => {
      const store = await open();
      await store.appendIntent(intentAt('i1', 0, { target: { accid: 'Alice' } }), { owner: 'p1', leaseUntil: at(1) });
      await store.appendOutcome(outcomeAt('i1', 0));
      await store.appendIntent(intentAt('other', 1, { target: { accid: 'bob' } }), { owner: 'p1', leaseUntil: at(2) });
      await store.appendOutcome(outcomeAt('other', 1));
      await store.appendRefusal(refusalAt('r2', 2));
      await store.appendLookup(lookupAt('l3', 3));
      await store.appendIntent(intentAt('i4', 4), { owner: 'p1', leaseUntil: at(5) });
      await store.appendIntent(intentAt('i5', 5), { owner: 'p1', leaseUntil: at(6) });
      await store.appendOutcome(outcomeAt('i5', 5, 'failed'));

      const first = await store.history({ accid: 'alice', limit: 2 });
      expect(first.items).toEqual([
        { kind: 'update', intent: intentAt('i5', 5), outcome: outcomeAt('i5', 5, 'failed') },
        { kind: 'update', intent: intentAt('i4', 4) },
      ]);
      expect(first.next).toBeDefined();
      const second = await store.history({ accid: 'ALICE', limit: 2, before: first.next! });
      expect(second.items.map(historyId)).toEqual(['r2', 'i1']);
      const rest = second.next === undefined ? { items: [] } : await store.history({ accid: 'alice', limit: 2, before: second.next });
      expect(rest.items).toEqual([]);
      expect((await store.history({ accid: 'bob' })).items.map(historyId)).toEqual(['other']);
      expect((await store.history({ accid: 'carol' })).items).toEqual([]);
    });

    it('pages what one Slack person did, newest first, across restarts', async () => {
      const store = await open();
      for (let n = 0; n < 12; n++) {
        const actor = n % 3 === 0 ? 'U0OTHER' : 'U0ADMIN1';
        await store.appendIntent(intentAt(`i${n}`, n, { actor }), { owner: 'p1', leaseUntil: at(n + 1) });
        await store.appendOutcome(outcomeAt(`i${n}`, n));
      }
      await store.appendRefusal(refusalAt('r99', 99, { actor: 'U0ADMIN1' }));
      const again = await restart(store);
      const seen: string[] = [];
      let before: string | undefined;
      do {
        const page = await again.history({ actor: 'U0ADMIN1', limit: 3, ...(before ? { before } : {}) });
        seen.push(...page.items.map(historyId));
        before = page.next;
      } while (before);
      expect(seen).toEqual(['r99', 'i11', 'i10', 'i8', 'i7', 'i5', 'i4', 'i2', 'i1']);
      expect((await again.history({ actor: 'U0OTHER' })).items.map(historyId)).toEqual(['i9', 'i6', 'i3', 'i0']);
    });

    it("pages a person's history with the entries about them (a rollback of their changes), each once", async () => {
      const store = await open();
      const rollbackOf = (actor: string) => ({
        action: 'rollback' as const,
        actor: 'U0LEAD',
        target: personTarget(actor),
        changes: {},
        rollback: { of: actor, since: iso(T0), changes: 3, accounts: 2 },
      });
      await store.appendIntent(intentAt('mine1', 1), { owner: 'p1', leaseUntil: at(2) });
      await store.appendIntent(intentAt('about2', 2, rollbackOf('U0ADMIN1')), { owner: 'p1', leaseUntil: at(3) });
      await store.appendOutcome(outcomeAt('about2', 2, 'not_applied'));
      await store.appendIntent(intentAt('other3', 3, rollbackOf('U0OTHER')), { owner: 'p1', leaseUntil: at(4) });
      await store.appendIntent(intentAt('mine4', 4), { owner: 'p1', leaseUntil: at(5) });
      // Their own request to roll their own changes back: theirs and about them, shown once.
      await store.appendIntent(intentAt('self5', 5, { ...rollbackOf('U0ADMIN1'), actor: 'U0ADMIN1' }), { owner: 'p1', leaseUntil: at(6) });
      const again = await restart(store);
      const first = await again.history({ actor: 'U0ADMIN1', limit: 2 });
      expect(first.items.map(historyId)).toEqual(['self5', 'mine4']);
      const second = await again.history({ actor: 'U0ADMIN1', limit: 2, before: first.next! });
      expect(second.items.map(historyId)).toEqual(['about2', 'mine1']);
      expect(second.items[0]).toEqual({
        kind: 'update',
        intent: intentAt('about2', 2, rollbackOf('U0ADMIN1')),
        outcome: outcomeAt('about2', 2, 'not_applied'),
      });
      expect(second.next).toBeUndefined();
      expect((await again.history({ actor: 'U0LEAD' })).items.map(historyId)).toEqual(['other3', 'about2']);
      // No account is called that: the person's entries are not an account's.
      expect((await again.history({ accid: 'U0ADMIN1' })).items).toEqual([]);
    });

    it('shows in history where an entry was posted', async () => {
      const store = await open();
      await store.appendRefusal(refusalAt('r1', 0));
      await store.markPosted('r1', { owner: 'p1', at: at(1), message: { channel: 'C0AUDIT', ts: '3.000300' } });
      expect((await store.history({ accid: 'alice' })).items).toEqual([
        { kind: 'refusal', refusal: refusalAt('r1', 0), posted: { channel: 'C0AUDIT', ts: '3.000300' } },
      ]);
    });

    twoProcesses('shows one history from either process', async () => {
      const [a, b] = [await open(), await open()];
      await a.appendRefusal(refusalAt('r1', 0));
      await b.appendRefusal(refusalAt('r2', 1));
      for (const store of [a, b]) expect((await store.history({ accid: 'alice' })).items.map(historyId)).toEqual(['r2', 'r1']);
    });

    // ── Timed sanctions ──────────────────────────────────────────────────────────────────────────────────────────

    it('schedules a lift with its intent: pending, due at its time, claimed by one owner, then finished', async () => {
      const store = await open();
      const mute = intentAt('m1', 0, { target: { accid: 'Spammer' } });
      await store.appendIntent(mute, { owner: 'p1', leaseUntil: at(1), lift: { liftAt: at(60) } });
      const claim = (owner: string, now: number) => store.claimDueLifts({ owner, now, leaseMs: LEASE, limit: 10 });

      expect(await store.pendingLifts(['spammer'])).toEqual([{ sanctionId: 'm1', intent: mute, liftAt: at(60) }]);
      expect(await store.pendingLifts(['alice'])).toEqual([]);
      expect(await claim('p1', at(60) - 1)).toEqual([]);
      expect(await claim('p1', at(60))).toEqual([{ sanctionId: 'm1', intent: mute, liftAt: at(60) }]);
      expect(await claim('p2', at(60) + 1000)).toEqual([]);
      // p1 died holding the claim: offered again once it expires.
      expect((await claim('p2', at(60) + LEASE + 1)).map((lift) => lift.sanctionId)).toEqual(['m1']);
      await store.finishLift('m1', { status: 'lifted', at: at(62), liftedBy: 'lift-1' });
      expect(await claim('p3', at(200))).toEqual([]);
      expect(await store.pendingLifts(['spammer'])).toEqual([]);
    });

    it('keeps the schedule across a restart and offers an overdue lift at once, oldest first', async () => {
      const store = await open();
      await store.appendIntent(intentAt('m1', 0), { owner: 'p1', leaseUntil: at(1), lift: { liftAt: at(30) } });
      await store.appendIntent(intentAt('m2', 1), { owner: 'p1', leaseUntil: at(2), lift: { liftAt: at(20) } });
      await store.appendIntent(intentAt('m3', 2), { owner: 'p1', leaseUntil: at(3), lift: { liftAt: at(40) } });
      await store.finishLift('m3', { status: 'cancelled', at: at(5), why: 'unmuted', by: 'i9' });
      const again = await restart(store);
      const due = await again.claimDueLifts({ owner: 'p2', now: at(500), leaseMs: LEASE, limit: 10 });
      expect(due.map((lift) => [lift.sanctionId, lift.liftAt])).toEqual([
        ['m2', at(20)],
        ['m1', at(30)],
      ]);
    });

    twoProcesses('lets one of two processes claim a due lift', async () => {
      const [a, b] = [await open(), await open()];
      await a.appendIntent(intentAt('m1', 0), { owner: 'pa', leaseUntil: at(1), lift: { liftAt: at(10) } });
      const claims = await Promise.all(
        [a, b].map((store, n) => store.claimDueLifts({ owner: `p${n}`, now: at(11), leaseMs: LEASE, limit: 10 })),
      );
      expect(claims.flat().map((lift) => lift.sanctionId)).toEqual(['m1']);
    });

    it('lists the sanctions that stand: timed by lift time, then untimed newest first; not lifted, failed or replaced', async () => {
      const store = await open();
      const sanction = (id: string, minute: number, action: 'mute' | 'unmute' | 'block' | 'unblock', accid: string, liftAt?: number) =>
        intentAt(id, minute, {
          action,
          target: { accid },
          changes: {},
          sanction: { reason: 'spam', ...(liftAt ? { liftAt: new Date(liftAt).toISOString(), durationMs: 60_000 } : {}) },
        });
      const settle = async (intent: IntentRecord, status: OutcomeRecord['status'] = 'applied', liftAt?: number) => {
        await store.appendIntent(intent, { owner: 'p1', leaseUntil: at(100), ...(liftAt ? { lift: { liftAt } } : {}) });
        await store.appendOutcome(outcomeAt(intent.id, 0, status));
      };
      const [alice, bob] = [sanction('m1', 1, 'mute', 'Alice', at(60)), sanction('m2', 2, 'mute', 'bob', at(30))];
      await settle(alice, 'applied', at(60));
      await settle(bob, 'applied_confirmed_by_read_back', at(30));
      await settle(sanction('m3', 3, 'mute', 'hank', at(40)), 'applied', at(40));
      await store.finishLift('m3', { status: 'cancelled', at: at(4), why: 'already_lifted' });
      await settle(sanction('f1', 5, 'mute', 'carol'));
      await settle(sanction('b1', 6, 'block', 'Dave'));
      await settle(sanction('b2', 7, 'block', 'erin'));
      await settle(sanction('u2', 8, 'unblock', 'ERIN'));
      await settle(sanction('f2', 9, 'mute', 'frank'), 'failed');
      await settle(sanction('f3', 10, 'mute', 'gina'));
      const gina = sanction('f4', 11, 'mute', 'gina');
      await settle(gina);
      // A block and a mute of one account are two sanctions.
      await settle(sanction('b3', 12, 'block', 'carol'));
      await store.appendIntent(sanction('f5', 13, 'mute', 'ivan'), { owner: 'p1', leaseUntil: at(100) });

      const expected = ['m2', 'm1', 'b3', 'f4', 'b1', 'f1'];
      const standing = await store.standingSanctions({ limit: 10 });
      expect(standing.map((item) => item.sanctionId)).toEqual(expected);
      expect(standing[0]).toEqual({ sanctionId: 'm2', intent: bob, liftAt: at(30) });
      expect(standing.find((item) => item.sanctionId === 'f4')).toEqual({ sanctionId: 'f4', intent: gina });
      expect((await store.standingSanctions({ limit: 1 })).map((item) => item.sanctionId)).toEqual(['m2', 'b3']);
      const again = await restart(store);
      expect((await again.standingSanctions({ limit: 10 })).map((item) => item.sanctionId)).toEqual(expected);
      // Unmuting a muted account ends its sanction.
      await again.appendIntent(sanction('u1', 14, 'unmute', 'CAROL'), { owner: 'p1', leaseUntil: at(100) });
      await again.appendOutcome(outcomeAt('u1', 14));
      expect((await again.standingSanctions({ limit: 10 })).map((item) => item.sanctionId)).toEqual(['m2', 'm1', 'b3', 'f4', 'b1']);
    });

    it('schedules nothing when the intent carrying the lift could not be stored', async () => {
      const broken = await storage.brokenStore();
      await expect(
        broken.appendIntent(intentAt('m1', 0), { owner: 'p1', leaseUntil: at(1), lift: { liftAt: at(5) } }),
      ).rejects.toBeInstanceOf(AuditStoreError);
      await broken.close().catch(() => undefined);
      const store = await open();
      expect(await store.pendingLifts(['alice'])).toEqual([]);
      expect(await store.claimDueLifts({ owner: 'p2', now: at(10), leaseMs: LEASE, limit: 10 })).toEqual([]);
    });

    liftConformance(
      open,
      () => storage.moveLift?.bind(storage),
      () => storage.failLiftWrites?.bind(storage),
    );

    // ── Chain and retention ──────────────────────────────────────────────────────────────────────────────────────

    it('chains intents, outcomes and refusals by the rule of the contract, lookups outside it', async () => {
      const store = await open();
      expect(await store.head()).toEqual({ count: 0, hash: GENESIS_HASH });
      await store.appendIntent(intentAt('i1', 0), { owner: 'p1', leaseUntil: at(1) });
      await store.appendLookup(lookupAt('l1', 0));
      await store.appendOutcome(outcomeAt('i1', 1));
      await store.appendRefusal(refusalAt('r1', 2));

      const texts = await storage.chainTexts();
      expect(texts.map((text) => (JSON.parse(text) as { id: string }).id)).toEqual(['i1', 'i1', 'r1']);
      expect(texts.map((text) => (JSON.parse(text) as { prev: string }).prev)).toEqual([
        GENESIS_HASH,
        chainHash(texts[0]!),
        chainHash(texts[1]!),
      ]);
      const head = { count: 3, hash: chainHash(texts[2]!), id: 'r1' };
      expect(await store.head()).toEqual(head);
      expect(await store.verify()).toEqual({ ok: true, head, legacy: 0 });
      const again = await restart(store);
      expect(await again.head()).toEqual(head);
      await again.appendRefusal(refusalAt('r2', 3));
      const walk = new ChainWalk();
      (await storage.chainTexts()).forEach((text, n) => walk.push(text, `#${n + 1}`));
      expect(walk.result()).toEqual(await again.verify());
      expect(walk.head().count).toBe(4);
      const exported: string[] = [];
      for await (const text of again.records()) exported.push(text);
      expect(exported).toEqual(await storage.chainTexts());
      const since: string[] = [];
      for await (const text of again.records({ since: at(2) })) since.push(text);
      expect(since.map((text) => (JSON.parse(text) as { id: string }).id)).toEqual(['r1', 'r2']);
    });

    it('names the first tampered record when verifying', async () => {
      const store = await open();
      await store.appendRefusal(refusalAt('r1', 0));
      await store.appendRefusal(refusalAt('r2', 1));
      await store.appendRefusal(refusalAt('r3', 2));
      await store.appendRefusal(refusalAt('r4', 3));
      await storage.tamper('r2');
      const verification = await store.verify();
      expect(verification.ok).toBe(false);
      if (verification.ok) return;
      expect(verification.firstBad).toMatchObject({ position: 2, id: 'r2' });
      expect(verification.firstBad.reason).toMatch(/altered/);
    });

    it('prunes lookups older than the cutoff only, and the chain still verifies with the same head', async () => {
      const store = await open();
      await store.appendLookup(lookupAt('l1', 0));
      await store.appendRefusal(refusalAt('r1', 1));
      await store.appendLookup(lookupAt('l2', 2));
      await store.appendIntent(intentAt('i1', 3), { owner: 'p1', leaseUntil: at(4) });
      await store.appendOutcome(outcomeAt('i1', 3));
      await store.appendLookup(lookupAt('l3', 5));
      const head = await store.head();

      expect(await store.pruneLookups(at(2) + 1)).toBe(2);
      expect(await store.pruneLookups(at(2) + 1)).toBe(0);
      expect(await store.verify()).toEqual({ ok: true, head, legacy: 0 });
      expect((await store.history({ accid: 'alice' })).items.map(historyId)).toEqual(['i1', 'r1']);
      const again = await restart(store);
      expect(await again.pruneLookups(at(10))).toBe(1);
      expect(await again.verify()).toEqual({ ok: true, head, legacy: 0 });
    });
  });
}

function idOf(entry: { kind: 'update'; intent: { id: string } } | { kind: 'refusal'; refusal: { id: string } }): string {
  return entry.kind === 'update' ? entry.intent.id : entry.refusal.id;
}

function historyId(item: Parameters<typeof idOf>[0]): string {
  return idOf(item);
}
