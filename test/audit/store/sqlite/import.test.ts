import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { iso, intentAt, lookupAt, MINUTE, outcomeAt, refusalAt, T0 } from '../records.js';
import { sqliteStorage } from './fixtures.js';
import { TrailWriter } from './trail-writer.js';

const fixture = new URL('./store-process.fixture.ts', import.meta.url).pathname;
const at = (minute: number) => T0 + minute * MINUTE;
const LEASE = 60_000;

/** A v2 trail with what a file store left live: an unsettled intent, an unposted update, a pending lift, a once key. */
function leftoversTrail(): TrailWriter {
  const trail = new TrailWriter();
  trail.chained(intentAt('posted-1', 0)).line({ kind: 'lease', id: 'posted-1', owner: 'old:1', until: at(1) });
  trail.chained(outcomeAt('posted-1', 0)).line({ kind: 'posted', id: 'posted-1', at: iso(at(1)), channel: 'C0AUDIT', ts: '1.000100' });
  trail.line(lookupAt('l1', 1));
  trail.chained(intentAt('unposted-2', 2)).line({ kind: 'lease', id: 'unposted-2', owner: 'old:1', until: at(3) });
  trail.chained(outcomeAt('unposted-2', 2));
  const mute = intentAt('mute-3', 3, { action: 'mute', target: { accid: 'Spammer' }, sanction: { liftAt: iso(at(30)) } });
  trail
    .chained(mute)
    .line({ kind: 'lease', id: 'mute-3', owner: 'old:1', until: at(4) })
    .line({ kind: 'lift', id: 'mute-3', liftAt: at(30) });
  trail.chained(outcomeAt('mute-3', 3)).line({ kind: 'posted', id: 'mute-3', at: iso(at(4)), skipped: 'no_audit_channel' });
  trail.line({ kind: 'once', id: 'unsettled-4', key: 'view:V1:abc', at: at(5) });
  trail.chained(intentAt('unsettled-4', 5)).line({ kind: 'lease', id: 'unsettled-4', owner: 'old:1', until: at(6) });
  return trail;
}

describe('SQLite store: importing the JSON Lines trail of the file store', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function storageWithTrail(trail: TrailWriter, options: Parameters<TrailWriter['write']>[1] = {}) {
    const storage = await sqliteStorage();
    cleanups.push(storage.remove);
    const source = join(storage.dir, 'audit.jsonl');
    await trail.write(source, options);
    const openStore = async () => {
      const store = storage.newStore({ importFrom: source });
      await store.open();
      cleanups.push(() => store.close());
      return store;
    };
    return { storage, source, openStore };
  }

  it('imports a v2 trail in segments, continues its chain exactly, and leaves the file as it was', async () => {
    const trail = leftoversTrail();
    const { source, openStore } = await storageWithTrail(trail, { segmentsAt: [3, 7] });
    const before = await readFile(source, 'utf8');
    const store = await openStore();
    await store.appendRefusal(refusalAt('live-5', 10));
    await store.imported();

    const verification = await store.verify();
    expect(verification).toMatchObject({ ok: true, head: { count: 8, id: 'live-5' }, legacy: 0 });
    const texts: string[] = [];
    for await (const text of store.records()) texts.push(text);
    expect(texts.slice(0, 7)).toEqual(trail.lines.filter((line) => /^\{"kind":"(intent|outcome|refusal)"/.test(line)));
    expect(JSON.parse(texts[7]!)).toMatchObject({ id: 'live-5', prev: trail.head });
    expect(
      (await store.history({ accid: 'alice' })).items.map((item) => (item.kind === 'update' ? item.intent.id : item.refusal.id)),
    ).toEqual(['live-5', 'unsettled-4', 'unposted-2', 'posted-1']);
    expect(await store.entry('posted-1')).toMatchObject({ posted: { channel: 'C0AUDIT', ts: '1.000100' } });
    expect(await readFile(source, 'utf8')).toBe(before);
  });

  it('takes over what the old trail left: unsettled intents, unposted entries, pending lifts, at-most-once keys', async () => {
    const { openStore } = await storageWithTrail(leftoversTrail());
    const store = await openStore();
    await store.imported();
    const unsettled = await store.claimUnsettled({ owner: 'new', now: at(10), leaseMs: LEASE, limit: 10 });
    expect(unsettled.map((intent) => intent.id)).toEqual(['unsettled-4']);
    const unposted = await store.claimUnposted({ owner: 'new', now: at(10), leaseMs: LEASE, limit: 10 });
    expect(unposted.map((entry) => (entry.kind === 'update' ? entry.intent.id : entry.refusal.id))).toEqual(['unposted-2']);
    expect((await store.pendingLifts(['spammer'])).map((lift) => [lift.sanctionId, lift.liftAt])).toEqual([['mute-3', at(30)]]);
    expect((await store.claimDueLifts({ owner: 'new', now: at(31), leaseMs: LEASE, limit: 10 })).map((lift) => lift.sanctionId)).toEqual([
      'mute-3',
    ]);
    expect(await store.claimOnce('view:V1:abc', 'again', at(11))).toEqual({ first: false, id: 'unsettled-4' });
    expect((await store.standingSanctions({ limit: 10 })).map((standing) => standing.sanctionId)).toEqual(['mute-3']);
    expect(await store.unpostedCount()).toBe(1);
  });

  it('imports a v1 trail (records without prev) and chains the next record to its last one', async () => {
    const trail = new TrailWriter();
    trail
      .chained(intentAt('v1-a', 0), true)
      .chained(outcomeAt('v1-a', 0), true)
      .line({ kind: 'posted', id: 'v1-a', at: iso(at(1)) });
    trail.chained(refusalAt('v1-b', 1), true);
    const { openStore } = await storageWithTrail(trail);
    const store = await openStore();
    await store.appendRefusal(refusalAt('live', 2));
    await store.imported();
    expect(await store.verify()).toMatchObject({ ok: true, head: { count: 4, id: 'live' }, legacy: 3 });
    const unposted = await store.claimUnposted({ owner: 'new', now: at(10), leaseMs: LEASE, limit: 10 });
    expect(unposted.map((entry) => (entry.kind === 'update' ? entry.intent.id : entry.refusal.id))).toEqual(['v1-b', 'live']);
  });

  it('skips a torn last line and says so', async () => {
    const trail = new TrailWriter().chained(refusalAt('r1', 0)).chained(refusalAt('r2', 1));
    const { storage, openStore } = await storageWithTrail(trail, { tail: '{"kind":"refusal","id":"torn","at":"2026-' });
    const store = await openStore();
    await store.imported();
    expect(await store.verify()).toMatchObject({ ok: true, head: { count: 2, id: 'r2' } });
    expect(storage.logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/torn last line/),
        details: expect.objectContaining({ bytes: 41 }),
      }),
    );
  });

  it('imports nothing twice: a second start finds the import done', async () => {
    const { storage, openStore } = await storageWithTrail(leftoversTrail());
    const first = await openStore();
    await first.imported();
    await first.close();
    const second = await openStore();
    await second.imported();
    expect(await second.verify()).toMatchObject({ ok: true, head: { count: 7 } });
    const db = new Database(storage.path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM audit_lookups').get()).toEqual({ n: 1 });
    db.close();
  });

  it('takes records while the import still runs, chained after the trail, hidden leftovers offered once it is done', async () => {
    const trail = new TrailWriter();
    for (let n = 0; n < 40_000; n++) trail.chained(refusalAt(`r${n}`, n)).line(lookupAt(`l${n}`, n));
    const { storage, openStore } = await storageWithTrail(trail);
    const store = await openStore();
    await store.appendRefusal(refusalAt('live', 50_000));
    const db = new Database(storage.path, { readonly: true });
    const state = db.prepare('SELECT imported, finished_at AS finishedAt FROM audit_import').get() as {
      imported: number;
      finishedAt: string | null;
    };
    db.close();
    expect(state.finishedAt).toBeNull();
    expect(await store.head()).toMatchObject({ count: 40_001, id: 'live' });
    // The trail's unposted refusals wait for the end of the import; the live one does not.
    expect(
      (await store.claimUnposted({ owner: 'new', now: at(60_000), leaseMs: LEASE, limit: 5 })).map(
        (entry) => entry.kind === 'refusal' && entry.refusal.id,
      ),
    ).toEqual(['live']);
    await store.imported();
    expect(await store.verify()).toMatchObject({ ok: true, head: { count: 40_001, id: 'live' } });
    expect(await store.unpostedCount()).toBe(40_001);
  });

  it('resumes an import killed (kill -9) in the middle, storing nothing twice', async () => {
    const trail = new TrailWriter();
    for (let n = 0; n < 30_000; n++) {
      trail.chained(refusalAt(`r${n}`, n, { target: { accid: `acc${n % 500}` } }));
      trail.line(lookupAt(`l${n}`, n, [`acc${n % 500}`]));
    }
    const { storage, source, openStore } = await storageWithTrail(trail);
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, storage.path, 'import-and-wait', source], { stdio: 'ignore' });
    const imported = () => {
      try {
        const db = new Database(storage.path, { readonly: true, timeout: 1000 });
        try {
          return (db.prepare('SELECT imported FROM audit_import').get() as { imported: number } | undefined)?.imported ?? 0;
        } finally {
          db.close();
        }
      } catch {
        return 0;
      }
    };
    await expect.poll(imported, { timeout: 30_000, interval: 20 }).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const stoppedAt = imported();
    expect(stoppedAt).toBeLessThan(30_000);

    const store = await openStore();
    await store.imported();
    expect(await store.verify()).toMatchObject({ ok: true, head: { count: 30_000, id: 'r29999' } });
    const db = new Database(storage.path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM audit_records').get()).toEqual({ n: 30_000, ids: 30_000 });
    expect(db.prepare('SELECT count(*) AS n FROM audit_lookups').get()).toEqual({ n: 30_000 });
    db.close();
  });

  it('does not import into a database that already holds records of its own', async () => {
    const storage = await sqliteStorage();
    cleanups.push(storage.remove);
    const plain = storage.newStore();
    await plain.open();
    await plain.appendRefusal(refusalAt('own', 0));
    await plain.close();
    const source = join(storage.dir, 'audit.jsonl');
    await new TrailWriter().chained(refusalAt('old', 0)).write(source);
    const store = storage.newStore({ importFrom: source });
    await store.open();
    cleanups.push(() => store.close());
    await store.imported();
    expect(await store.head()).toMatchObject({ count: 1, id: 'own' });
    expect(storage.logger.lines).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/was not imported/) }));
  });
});
