import { afterEach, expect, it } from 'vitest';
import type { RateBudget } from '../../../src/nim/budget/contract.js';
import type { PacingOptions } from '../../../src/nim/budget/pacing.js';
import { NimRateLimitedError } from '../../../src/nim/errors.js';

/**
 * The RateBudget contract (src/nim/budget/contract.ts), asserted once and run against every budget: the in-process
 * one (local.test.ts) and the Redis one (redis/redis-budget.test.ts), as test/audit/store/conformance.ts is for the
 * audit stores. Real time, small rates: what a caller of any budget may rely on. What only one budget does (the
 * local grid's catch-up on a fake clock, Redis's shared window and failover) stays in that budget's own file.
 */

/** Makes a fresh budget (its own key, for Redis); the suite closes it. */
export type MakeBudget = (options: Partial<PacingOptions> & { ratePerSecond: number }) => RateBudget;

/** Times taken when acquire() resolves, which a busy event loop shifts by a few ms. */
const JITTER = 2;

export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let start = 0, end = 0; end < sorted.length; end += 1) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

export function rateBudgetConformance(make: MakeBudget): void {
  const opened: RateBudget[] = [];
  const budget: MakeBudget = (options) => {
    const made = make(options);
    opened.push(made);
    return made;
  };
  afterEach(async () => {
    for (const made of opened.splice(0)) await made.close();
  });

  it('never grants more than the rate in any rolling second, and uses most of it', async () => {
    const rate = budget({ ratePerSecond: 50, coolDownJitterMs: 0 });
    const grants: number[] = [];
    const started = Date.now();
    await Promise.all(Array.from({ length: 80 }, () => rate.acquire('user/getUinfos.action').then(() => grants.push(Date.now()))));
    const elapsedMs = Date.now() - started;
    expect(maxInWindow(grants, 1000)).toBeLessThanOrEqual(50 + JITTER);
    // 80 calls at 50/s, evenly spaced: about 1.6 s.
    expect(elapsedMs).toBeGreaterThan(1400);
    expect(elapsedMs).toBeLessThan(2300);
  });

  it('spreads grants evenly instead of releasing a second’s worth at once', async () => {
    const rate = budget({ ratePerSecond: 50, coolDownJitterMs: 0 });
    const grants: number[] = [];
    await Promise.all(Array.from({ length: 25 }, () => rate.acquire('e').then(() => grants.push(Date.now()))));
    // At 50/s the first 25 take ≈ 480 ms, not a burst.
    expect(grants.at(-1)! - grants[0]!).toBeGreaterThan(400);
    expect(maxInWindow(grants, 100)).toBeLessThanOrEqual(7);
  });

  it('a call in flight keeps counting until windowMs after its answer (NetEase counts on arrival)', async () => {
    const rate = budget({ ratePerSecond: 3, windowMs: 300, coolDownJitterMs: 0 });
    const dones = [await rate.acquireSlot!('e'), await rate.acquireSlot!('e'), await rate.acquireSlot!('e')];
    let grantedAt = 0;
    const fourth = rate.acquire('e').then(() => (grantedAt = Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(grantedAt).toBe(0); // the window has long passed, but the three may still be arriving
    const answeredAt = Date.now();
    dones[0]!();
    await fourth;
    expect(grantedAt - answeredAt).toBeGreaterThanOrEqual(250);
    dones.slice(1).forEach((done) => done());
  });

  it('sends nothing during the cool-down a 416 starts, and a second 416 does not extend it', async () => {
    const rate = budget({ ratePerSecond: 50, coolDownMs: 500, coolDownJitterMs: 0 });
    rate.reportRateLimited('user/getUinfos.action');
    await new Promise((resolve) => setTimeout(resolve, 50));
    rate.reportRateLimited('user/getUinfos.action');
    const started = Date.now();
    await rate.acquire('user/getUinfos.action');
    const waitedMs = Date.now() - started;
    expect(waitedMs).toBeGreaterThanOrEqual(350);
    expect(waitedMs).toBeLessThan(800);
    expect(rate.stats().coolDowns).toBe(1);
  });

  it('rejects at once, without sending, when the wait would exceed maxWaitMs, saying when to retry', async () => {
    const rate = budget({ ratePerSecond: 50, coolDownMs: 2000, coolDownJitterMs: 0, maxWaitMs: 300 });
    rate.reportRateLimited('user/getUinfos.action');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const error = await rate.acquire('user/getUinfos.action').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NimRateLimitedError);
    expect((error as NimRateLimitedError).retryAfterMs).toBeGreaterThan(1500);
    expect(Date.now() - started).toBeLessThan(200);
    expect(rate.stats()).toMatchObject({ queued: 0, coolDowns: 1 });
  });
}
