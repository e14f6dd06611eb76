import { describe, expect, it } from 'vitest';
import { OpenHomes } from '../../../src/slack/home/open-homes.js';

/** A clock and a timer queue the test moves by hand. */
function harness(options: { minIntervalMs?: number; openForMs?: number; maxPeople?: number } = {}) {
  let now = 1_000_000;
  const timers: { at: number; run: () => void; cancelled: boolean }[] = [];
  const published: [string, number][] = [];
  const homes = new OpenHomes({
    ...options,
    now: () => now,
    publish: (userId, page) => {
      published.push([userId, page]);
      return Promise.resolve();
    },
    schedule: (run, ms) => {
      const timer = { at: now + ms, run, cancelled: false };
      timers.push(timer);
      return () => void (timer.cancelled = true);
    },
  });
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.filter((t) => !t.cancelled && t.at <= now)) {
      timer.cancelled = true;
      timer.run();
    }
  };
  return { homes, published, advance };
}

describe('keeping open Homes current', () => {
  it('republishes at once for someone who opened it a while ago, on the page they were on', () => {
    const { homes, published, advance } = harness();
    homes.opened('U1', 2);
    advance(10_000);
    homes.changed();
    expect(published).toEqual([['U1', 2]]);
  });

  it('publishes at most once every few seconds per person however many sanctions change, and never drops the last change', () => {
    const { homes, published, advance } = harness({ minIntervalMs: 5000 });
    homes.opened('U1');
    homes.opened('U2');
    for (let n = 0; n < 50; n++) homes.changed();
    expect(published).toEqual([]);
    advance(4999);
    expect(published).toEqual([]);
    advance(1);
    expect(published).toEqual([
      ['U1', 0],
      ['U2', 0],
    ]);
    homes.changed();
    advance(4999);
    expect(published).toHaveLength(2);
    advance(1);
    expect(published).toHaveLength(4);
  });

  it('stops republishing for a Home opened longer ago than it counts as open, and keeps only the latest openers', () => {
    const { homes, published, advance } = harness({ openForMs: 60_000, maxPeople: 2 });
    homes.opened('U1');
    homes.opened('U2');
    homes.opened('U3');
    advance(10_000);
    homes.changed();
    expect(published.map(([user]) => user)).toEqual(['U2', 'U3']);
    advance(61_000);
    homes.changed();
    expect(published).toHaveLength(2);
  });

  it('cancels what is pending on close', () => {
    const { homes, published, advance } = harness();
    homes.opened('U1');
    homes.changed();
    homes.close();
    advance(60_000);
    expect(published).toEqual([]);
  });
});
