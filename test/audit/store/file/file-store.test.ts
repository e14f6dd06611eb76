import { appendFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditStore } from '../../../../src/audit/store/contract.js';
import { intentAt, lookupAt, MINUTE, outcomeAt, refusalAt, T0 } from '../records.js';
import { nodeFs, type StoreFs } from '../../../../src/audit/store/file/fs.js';
import { fileStorage } from './file-harness.js';

const at = (minute: number) => T0 + minute * MINUTE;
const ids = (items: { kind: string; intent?: { id: string }; refusal?: { id: string } }[]) =>
  items.map((item) => (item.kind === 'update' ? item.intent!.id : item.refusal!.id));

describe('FileAuditStore', () => {
  let storage: Awaited<ReturnType<typeof fileStorage>>;
  const opened: AuditStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await storage.remove();
  });
  async function open(options: Parameters<typeof storage.newStore>[0] = {}) {
    const store = storage.newStore(options);
    await store.open();
    opened.push(store);
    return store;
  }
  async function restart(store: AuditStore, options: Parameters<typeof storage.newStore>[0] = {}) {
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    return open(options);
  }

  it('lookups arriving together share one flush, and all are in the file', async () => {
    storage = await fileStorage();
    let flushes = 0;
    const countingFs = {
      ...nodeFs,
      open: (async (...args: Parameters<StoreFs['open']>) => {
        const handle = await nodeFs.open(...args);
        const datasync = handle.datasync.bind(handle);
        handle.datasync = () => {
          flushes += 1;
          return datasync();
        };
        return handle;
      }) as StoreFs['open'],
    };
    const store = await open({ fs: countingFs });
    const before = flushes;
    await Promise.all(Array.from({ length: 50 }, (_, n) => store.appendLookup(lookupAt(`g${n}`, n))));
    expect(flushes - before).toBeLessThanOrEqual(2);
    const text = await readFile(storage.path, 'utf8');
    for (let n = 0; n < 50; n++) expect(text).toContain(`"id":"g${n}"`);
  });

  it('identical history queries in flight share one scan of the log, and each gets the whole answer', async () => {
    storage = await fileStorage();
    let opens = 0;
    const countingFs = {
      ...nodeFs,
      open: (async (...args: Parameters<StoreFs['open']>) => {
        opens += 1;
        return nodeFs.open(...args);
      }) as StoreFs['open'],
    };
    const store = await open({ fs: countingFs });
    for (let n = 0; n < 5; n++) {
      await store.appendIntent(intentAt(`h${n}`, n), { owner: 'p1', leaseUntil: at(n + 1) });
      await store.appendOutcome(outcomeAt(`h${n}`, n));
    }
    const query = { accid: intentAt('h0', 0).target.accid, limit: 3 };
    const alone = await store.history(query);
    const scanOpens = opens;
    await store.history(query);
    const perScan = opens - scanOpens;
    expect(perScan).toBeGreaterThan(0);
    const before = opens;
    const pages = await Promise.all(Array.from({ length: 20 }, () => store.history(query)));
    expect(opens - before).toBe(perScan);
    for (const page of pages) expect(ids(page.items)).toEqual(ids(alone.items));
    expect(ids(alone.items)).toEqual(['h4', 'h3', 'h2']);
  });

  it('rotates into numbered segments beside the file, and history, entries and the chain span them', async () => {
    storage = await fileStorage({ rotateBytes: 2000 });
    const store = await open();
    for (let n = 0; n < 30; n++) {
      await store.appendIntent(intentAt(`i${n}`, n), { owner: 'p1', leaseUntil: at(n + 1) });
      await store.appendOutcome(outcomeAt(`i${n}`, n));
      await store.appendLookup(lookupAt(`l${n}`, n));
    }
    const names = (await readdir(storage.dir)).filter((name) => /^audit\.jsonl\.\d{6}$/.test(name)).sort();
    expect(names.length).toBeGreaterThan(5);
    expect(names[0]).toBe('audit.jsonl.000001');

    const again = await restart(store);
    const all: string[] = [];
    let before: string | undefined;
    do {
      const page = await again.history({ accid: 'alice', limit: 7, ...(before ? { before } : {}) });
      all.push(...ids(page.items));
      expect(page.items.every((item) => item.kind === 'update' && item.outcome?.status === 'applied')).toBe(true);
      before = page.next;
    } while (before);
    expect(all).toEqual(Array.from({ length: 30 }, (_, n) => `i${29 - n}`));
    expect(await again.entry('i0')).toEqual({ kind: 'update', intent: intentAt('i0', 0), outcome: outcomeAt('i0', 0) });
    expect(await again.verify()).toMatchObject({ ok: true, head: { count: 60, id: 'i29' } });
    expect(await again.pruneLookups(at(15))).toBe(15);
    expect(await again.verify()).toMatchObject({ ok: true, head: { count: 60 } });
  });

  it('recreates the file when it is deleted while in use, logs an error, and verify names the gap', async () => {
    storage = await fileStorage();
    const store = await open();
    await store.appendRefusal(refusalAt('r1', 0));
    await store.appendRefusal(refusalAt('r2', 1));
    await rm(storage.path);

    await store.appendIntent(intentAt('i3', 2), { owner: 'p1', leaseUntil: at(3) });
    expect(storage.logger.lines.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      expect.stringContaining('deleted or moved away'),
    ]);
    expect((await readFile(storage.path, 'utf8')).split('\n')[0]).toMatch(/^\{"kind":"intent","id":"i3"/);
    const verification = await store.verify();
    expect(verification).toMatchObject({ ok: false, firstBad: { position: 1, id: 'i3' } });
    // The refusals it lost are still live in memory: they are posted all the same.
    expect((await store.claimUnposted({ owner: 'p1', now: at(5), leaseMs: 1000, limit: 10 })).length).toBe(2);
  });

  it('reads a v1 log as it is: unposted entries and unfinished intents come back, and the chain goes on from it', async () => {
    storage = await fileStorage();
    const v1 = [
      intentAt('old1', 0),
      outcomeAt('old1', 0),
      { kind: 'posted', id: 'old1', at: '2026-11-29T12:00:30.000Z' },
      lookupAt('look1', 1),
      refusalAt('old2', 2),
      intentAt('old3', 3),
      '{"kind":"intent","id":"torn',
    ];
    await writeFile(storage.path, `${v1.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`);
    const store = await open();
    expect((await store.claimUnposted({ owner: 'p1', now: at(10), leaseMs: 1000, limit: 10 })).map((e) => e.kind)).toEqual(['refusal']);
    expect((await store.claimUnsettled({ owner: 'p1', now: at(10), leaseMs: 1000, limit: 10 })).map((i) => i.id)).toEqual(['old3']);
    expect(storage.logger.lines.some((line) => line.message.includes('skipped lines'))).toBe(true);

    await store.appendRefusal(refusalAt('new1', 11));
    expect(await store.verify()).toMatchObject({ ok: true, legacy: 4, head: { count: 5, id: 'new1' } });
    expect(ids((await store.history({ accid: 'alice' })).items)).toEqual(['new1', 'old3', 'old2', 'old1']);
  });

  it('opens a large log without checkpoint at once, chained to its newest record, and finds what is live in the background', async () => {
    storage = await fileStorage({ backgroundReadBytes: 1 });
    const v1 = [intentAt('old1', 0), outcomeAt('old1', 0), refusalAt('old2', 2), intentAt('old3', 3), lookupAt('look4', 4)];
    await writeFile(storage.path, `${v1.map((line) => JSON.stringify(line)).join('\n')}\n`);
    const store = storage.newStore();
    await store.open();
    opened.push(store);
    // Stored at once, chained to old3 (the newest chained record), even before the rest is read.
    await store.appendRefusal(refusalAt('new1', 10));
    await store.loaded();
    expect(
      (await store.claimUnposted({ owner: 'p1', now: at(20), leaseMs: 1000, limit: 10 })).map((e) =>
        e.kind === 'update' ? e.intent.id : e.refusal.id,
      ),
    ).toEqual(['old1', 'old2', 'new1']);
    expect((await store.claimUnsettled({ owner: 'p1', now: at(20), leaseMs: 1000, limit: 10 })).map((i) => i.id)).toEqual(['old3']);
    expect(await store.head()).toMatchObject({ count: 5, id: 'new1' });
    expect(await store.verify()).toMatchObject({ ok: true, legacy: 4, head: { count: 5, id: 'new1' } });
    const again = await restart(store);
    expect(await again.head()).toMatchObject({ count: 5, id: 'new1' });
  });

  it('cuts off a torn last line left by a crash, so the chain does not break at it', async () => {
    storage = await fileStorage();
    const store = await open();
    await store.appendRefusal(refusalAt('r1', 0));
    await store.close();
    opened.splice(0);
    await appendFile(storage.path, '{"kind":"refusal","id":"r2","at":"2026-');
    const again = await open();
    await again.appendRefusal(refusalAt('r3', 2));
    expect(await again.verify()).toMatchObject({ ok: true, head: { count: 2, id: 'r3' } });
    expect(storage.logger.lines.some((line) => line.message.includes('torn last line'))).toBe(true);
  });

  it('starts from its checkpoint, reading only what was written after it, and from the whole log without one', async () => {
    storage = await fileStorage({ checkpointEvery: 1_000_000 });
    const store = await open();
    for (let n = 0; n < 50; n++) await store.appendLookup(lookupAt(`l${n}`, n));
    await store.appendRefusal(refusalAt('r1', 60));
    await store.close(); // writes the checkpoint
    opened.splice(0);
    const added = `${JSON.stringify(refusalAt('r2', 61))}\n`;
    await appendFile(storage.path, added);

    const openings: Record<string, unknown>[] = [];
    const logger = { ...storage.logger, info: (details: Record<string, unknown>) => openings.push(details) };
    const again = await open({ logger });
    expect(openings[0]).toMatchObject({ fromCheckpoint: true, readBytes: Buffer.byteLength(added), unposted: 2 });
    expect((await again.claimUnposted({ owner: 'p', now: at(70), leaseMs: 1000, limit: 10 })).length).toBe(2);
    await again.close();
    opened.splice(0);

    await rm(`${storage.path}.checkpoint`);
    const rebuilt = await open({ logger });
    const { size } = await stat(storage.path);
    expect(openings[1]).toMatchObject({ fromCheckpoint: false, readBytes: size, unposted: 2 });
    expect((await rebuilt.claimUnposted({ owner: 'p', now: at(70), leaseMs: 1000, limit: 10 })).length).toBe(2);
  });
});
