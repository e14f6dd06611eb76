import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';
import { CardReads, type CardSource } from '../../src/nim/card-reads.js';
import { NimClient } from '../../src/nim/client.js';
import { rapidRetryPolicy } from '../../src/nim/retry.js';

/** Lookups people ask for share NetEase calls and a short card cache; the app's own writes end both at once. */

const APP = { appKey: 'cache-key', appSecret: 'cache-secret' };
const GET = 'user/getUinfos.action';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(cardCacheMs: number, accounts = 200): Promise<{ emulator: Emulator; nim: NimClient; reads: CardSource[][] }> {
  const accids = Array.from({ length: accounts }, (_, i) => `wave${i}`);
  const emulator = await startEmulator({ apps: [APP], seed: { users: accids.map((accid) => ({ accid })), qchatServers: [] } });
  const reads: CardSource[][] = [];
  const nim = new NimClient({
    ...APP,
    baseUrl: emulator.url,
    retryPolicy: rapidRetryPolicy,
    cardCacheMs,
    onCardRead: (counts) => reads.push((Object.keys(counts) as CardSource[]).filter((source) => counts[source] > 0)),
  });
  cleanups.push(
    () => emulator.close(),
    () => nim.close(),
  );
  return { emulator, nim, reads };
}

const wave = (n: number) => Array.from({ length: n }, (_, i) => `wave${i}`);

describe('shared card reads', () => {
  it('five lookups of the same 200 accounts at once cost one getUinfos call', async () => {
    const { emulator, nim } = await setUp(3000);
    emulator.injectFault(GET, { kind: 'latency', ms: 50 });
    const lookups = await Promise.all(Array.from({ length: 5 }, () => nim.getUinfos(wave(200), { muteStatus: true, allowCached: true })));
    expect(emulator.count({ endpoint: GET })).toBe(1);
    for (const lookup of lookups) expect(lookup.found).toHaveLength(200);
  });

  it('with the cache off (0), lookups in flight are still shared but a later one asks NetEase again', async () => {
    const { emulator, nim } = await setUp(0);
    emulator.injectFault(GET, { kind: 'latency', ms: 50 });
    await Promise.all([nim.getUinfos(wave(10), { allowCached: true }), nim.getUinfos(wave(10), { allowCached: true })]);
    expect(emulator.count({ endpoint: GET })).toBe(1);
    await nim.getUinfos(wave(10), { allowCached: true });
    expect(emulator.count({ endpoint: GET })).toBe(2);
  });

  it('a repeat within the cache time is answered from the cache, and only the new accounts are asked', async () => {
    const { emulator, nim, reads } = await setUp(3000);
    await nim.getUinfos(wave(5), { muteStatus: true, allowCached: true });
    const again = await nim.getUinfos([...wave(5), 'nobody', 'wave7'], { muteStatus: true, allowCached: true });
    expect(again.found.map((card) => card.accid)).toEqual([...wave(5), 'wave7']);
    expect(again.notFound).toEqual(['nobody']);
    expect(emulator.count({ endpoint: GET })).toBe(2);
    expect(reads.at(-1)).toEqual(['cache', 'netease']);
  });

  it("the app's own mute shows at once in the next lookup", async () => {
    const { nim } = await setUp(60_000);
    expect((await nim.getUinfos(['wave1'], { muteStatus: true, allowCached: true })).found[0]?.mute).toBeFalsy();
    await nim.setGlobalMute('wave1', true);
    expect((await nim.getUinfos(['wave1'], { muteStatus: true, allowCached: true })).found[0]?.mute).toBe(true);
  });

  it('a lookup that began before a mute neither fills the cache nor is joined after it', async () => {
    const { emulator, nim } = await setUp(60_000);
    emulator.injectFault(GET, { kind: 'latency', ms: 150, afterApply: true }, 1);
    const early = nim.getUinfos(['wave2'], { muteStatus: true, allowCached: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await nim.setGlobalMute('wave2', true);
    const after = await nim.getUinfos(['wave2'], { muteStatus: true, allowCached: true });
    expect(after.found[0]?.mute).toBe(true);
    await early;
    expect((await nim.getUinfos(['wave2'], { muteStatus: true, allowCached: true })).found[0]?.mute).toBe(true);
  });

  it('reads that do not allow the cache always ask NetEase', async () => {
    const { emulator, nim } = await setUp(60_000);
    await nim.getUinfos(['wave3'], { allowCached: true });
    await nim.getUinfos(['wave3']);
    await nim.getUinfos(['wave3'], { muteStatus: true });
    expect(emulator.count({ endpoint: GET })).toBe(3);
  });

  it('a card with mute flags is kept apart from one without', async () => {
    const { emulator, nim } = await setUp(60_000);
    await nim.getUinfos(['wave4'], { allowCached: true });
    await nim.getUinfos(['wave4'], { muteStatus: true, allowCached: true });
    expect(emulator.count({ endpoint: GET })).toBe(2);
  });

  it('a failed shared call fails every lookup that joined it, and is not cached', async () => {
    const { emulator, nim } = await setUp(60_000);
    emulator.injectFault(GET, { kind: 'latency', ms: 50 }, 1);
    emulator.injectFault(GET, { kind: 'code', code: 403, desc: 'forbidden' }, 1);
    const both = await Promise.allSettled([
      nim.getUinfos(['wave5'], { allowCached: true }),
      nim.getUinfos(['wave5'], { allowCached: true }),
    ]);
    expect(both.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect((await nim.getUinfos(['wave5'], { allowCached: true })).found).toHaveLength(1);
    expect(emulator.count({ endpoint: GET })).toBe(2);
  });
});

describe('the card cache', () => {
  it('lets go of cards past the cache time as soon as another card is kept (not only beyond its 20,000 cards)', async () => {
    let now = 0;
    const reads = new CardReads({ ttlMs: 3000, now: () => now });
    const fetch = (accids: string[]) => Promise.resolve(accids.map((accid) => ({ accid })));
    await reads.read(wave(1000), 'card', fetch);
    expect(reads.size).toBe(1000);
    now = 2000;
    await reads.read(['later'], 'card', fetch);
    expect(reads.size).toBe(1001);
    now = 3001;
    await reads.read(['last'], 'card', fetch);
    expect(reads.size).toBe(2);
  });
});
