import { describe, expect, it } from 'vitest';
import { NimRateLimitedError } from '../../../src/nim/errors.js';
import { LocalRateBudget, type Scheduler } from '../../../src/nim/budget/local.js';
import { rateBudgetConformance } from './conformance.js';

/** A fake clock with a scheduler; `advance` fires due timers in order, optionally each one `lateMs` late. */
function fakeClock(start = 1_000_000) {
  let now = start;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 0;
  const schedule: Scheduler = (callback, delayMs) => {
    const id = nextId++;
    timers.push({ at: now + delayMs, callback, id });
    return () => {
      timers = timers.filter((t) => t.id !== id);
    };
  };
  return {
    now: () => now,
    schedule,
    pending: () => timers.length,
    async advance(ms: number, lateMs = 0) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at + lateMs > end) break;
        timers.shift();
        now = Math.max(now, due.at + lateMs);
        due.callback();
        await flush(); // let released callers record their time
      }
      now = end;
      await flush();
    },
  };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function budget(clock: ReturnType<typeof fakeClock>, options: Partial<ConstructorParameters<typeof LocalRateBudget>[0]> = {}) {
  return new LocalRateBudget({
    ratePerSecond: 90,
    coolDownJitterMs: 0,
    now: clock.now,
    schedule: clock.schedule,
    random: () => 0,
    ...options,
  });
}

/** Starts `count` acquires and records when each resolves. */
function acquireMany(rate: LocalRateBudget, clock: ReturnType<typeof fakeClock>, count: number) {
  const releasedAt: number[] = [];
  const errors: unknown[] = [];
  for (let i = 0; i < count; i += 1) {
    rate.acquire('user/getUinfos.action').then(
      () => releasedAt.push(clock.now()),
      (error: unknown) => errors.push(error),
    );
  }
  return { releasedAt, errors };
}

function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while (times[i]! - times[j]! >= windowMs) j += 1;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('LocalRateBudget: the RateBudget contract (conformance.ts), on the real clock', () => {
  rateBudgetConformance((options) => new LocalRateBudget(options));
});

describe('LocalRateBudget pacing', () => {
  it('spreads a burst evenly, about 1000/rate ms apart, instead of releasing a second at once', async () => {
    const clock = fakeClock();
    const rate = budget(clock);
    const { releasedAt } = acquireMany(rate, clock, 180);
    await clock.advance(0);
    expect(releasedAt).toHaveLength(1);
    await clock.advance(100);
    expect(releasedAt.length).toBeGreaterThanOrEqual(9);
    expect(releasedAt.length).toBeLessThanOrEqual(10);
    await clock.advance(2000);
    expect(releasedAt).toHaveLength(180);
    const gaps = releasedAt.slice(1).map((t, i) => t - releasedAt[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / 90 - 1);
    expect(maxInWindow(releasedAt, 1000)).toBeLessThanOrEqual(90);
    // 180 calls at 90/s: the last leaves ~2 s after the first, not 1 s (burst) and not much later.
    expect(releasedAt.at(-1)! - releasedAt[0]!).toBeGreaterThan(1970);
    expect(releasedAt.at(-1)! - releasedAt[0]!).toBeLessThan(2000);
  });

  it('catches up after late timers without bunching or exceeding the window', async () => {
    const clock = fakeClock();
    const rate = budget(clock);
    const { releasedAt } = acquireMany(rate, clock, 300);
    await clock.advance(0);
    await clock.advance(4000, 3); // every timer fires 3 ms late, like a busy event loop
    expect(releasedAt).toHaveLength(300);
    const gaps = releasedAt.slice(1).map((t, i) => t - releasedAt[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / 90 / 2 - 1);
    expect(maxInWindow(releasedAt, 1000)).toBeLessThanOrEqual(90);
    // Late timers do not cost throughput: 300 calls still take about 300/90 s.
    expect(releasedAt.at(-1)! - releasedAt[0]!).toBeLessThan((299 * 1000) / 90 + 20);
  });

  it('after a long stall releases only the last 100 ms of missed slots at once, then returns to the grid', async () => {
    const clock = fakeClock();
    const rate = budget(clock);
    const { releasedAt } = acquireMany(rate, clock, 200);
    await clock.advance(0);
    await clock.advance(520, 500); // the event loop is blocked for half a second
    const burst = releasedAt.filter((t) => t === releasedAt[1]).length;
    expect(burst).toBeGreaterThanOrEqual(9);
    expect(burst).toBeLessThanOrEqual(10); // 1 + 100 ms × 90/s, never the 45 slots missed
    await clock.advance(3000);
    expect(releasedAt).toHaveLength(200);
    expect(maxInWindow(releasedAt, 1000)).toBeLessThanOrEqual(90);
  });

  it('releases at once when idle', async () => {
    const clock = fakeClock();
    const rate = budget(clock);
    await clock.advance(5000);
    const { releasedAt } = acquireMany(rate, clock, 1);
    await clock.advance(0);
    expect(releasedAt).toEqual([clock.now()]);
  });
});

describe('LocalRateBudget counting on arrival (acquireSlot)', () => {
  it('counts a call until its answer is in: a slow answer holds its place in the window', async () => {
    const clock = fakeClock();
    const rate = budget(clock, { ratePerSecond: 3 });
    const done: (() => void)[] = [];
    const releasedAt: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      void rate.acquireSlot('e').then((finish) => {
        releasedAt.push(clock.now());
        done.push(finish);
      });
    }
    await clock.advance(0);
    await clock.advance(5000);
    // Three calls went out on the grid; none has been answered, so any of them may be arriving now.
    expect(releasedAt).toEqual([1_000_000, 1_000_333.3333333334, 1_000_666.6666666667].map((t): unknown => expect.closeTo(t, 0)));
    done[0]!(); // answered at +5000: it may have arrived at +4999, so it counts until +6000
    await clock.advance(999);
    expect(releasedAt).toHaveLength(3);
    await clock.advance(2);
    expect(releasedAt).toHaveLength(4);
    expect(releasedAt[3]).toBeCloseTo(1_006_000, 0);
    done[0]!(); // done() twice changes nothing
    expect(rate.stats().inFlight).toBe(3);
  });

  it('loses only the round trip when answers are quick', async () => {
    const clock = fakeClock();
    const rate = budget(clock, { ratePerSecond: 90 });
    const releasedAt: number[] = [];
    for (let i = 0; i < 270; i += 1) {
      void rate.acquireSlot('e').then((finish) => {
        releasedAt.push(clock.now());
        void clock.advance(0).then(finish); // answered within the same tick
      });
    }
    await clock.advance(0);
    await clock.advance(4000);
    expect(releasedAt).toHaveLength(270);
    expect(maxInWindow(releasedAt, 1000)).toBeLessThanOrEqual(90);
    expect(releasedAt.at(-1)! - releasedAt[0]!).toBeLessThan((269 * 1000) / 90 + 50);
  });
});

describe('LocalRateBudget cool-down', () => {
  it('sends nothing during the cool-down after a 416, then resumes', async () => {
    const clock = fakeClock();
    const rate = budget(clock, { coolDownMs: 11_000 });
    rate.reportRateLimited('user/getUinfos.action');
    expect(rate.stats()).toMatchObject({ coolDowns: 1, coolDownRemainingMs: 11_000 });
    const { releasedAt } = acquireMany(rate, clock, 3);
    await clock.advance(10_999);
    expect(releasedAt).toEqual([]);
    expect(rate.stats().queued).toBe(3);
    await clock.advance(100);
    expect(releasedAt).toHaveLength(3);
    expect(releasedAt[0]).toBeGreaterThanOrEqual(1_000_000 + 11_000);
  });

  it('adds jitter to the cool-down and does not extend it for 416s of calls already in flight', async () => {
    const clock = fakeClock();
    const rate = budget(clock, { coolDownMs: 11_000, coolDownJitterMs: 1000, random: () => 0.5 });
    rate.reportRateLimited('e');
    await clock.advance(2000);
    rate.reportRateLimited('e');
    expect(rate.stats()).toMatchObject({ coolDowns: 1, coolDownRemainingMs: 9_500 });
  });

  it('refuses a caller that would wait longer than the bound, saying when to retry', async () => {
    const clock = fakeClock();
    const rate = budget(clock, { coolDownMs: 20_000, maxWaitMs: 15_000 });
    rate.reportRateLimited('user/updateUinfo.action');
    const error = await rate.acquire('user/updateUinfo.action').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NimRateLimitedError);
    expect((error as NimRateLimitedError).retryAfterMs).toBe(20_000);
    expect((error as NimRateLimitedError).message).toBe('NetEase rate limit: retry user/updateUinfo.action in 20 s');
  });

  it('rejects queued callers whose wait a new cool-down pushes past the bound, keeps the others', async () => {
    const clock = fakeClock();
    const rate = budget(clock, { ratePerSecond: 10, coolDownMs: 11_000, maxWaitMs: 15_000 });
    const { releasedAt, errors } = acquireMany(rate, clock, 60);
    await clock.advance(0);
    expect(releasedAt).toHaveLength(1);
    rate.reportRateLimited('e');
    await clock.advance(0);
    // 59 queued, one every 100 ms after an 11 s cool-down: those past 15 s are refused now, not left hanging.
    expect(errors.length).toBeGreaterThan(10);
    expect(errors.every((e) => e instanceof NimRateLimitedError)).toBe(true);
    await clock.advance(20_000);
    expect(releasedAt.length + errors.length).toBe(60);
  });

  it('bounds the wait of a long queue too', async () => {
    const clock = fakeClock();
    const rate = budget(clock, { ratePerSecond: 10, maxWaitMs: 1000 });
    const { errors } = acquireMany(rate, clock, 15);
    await clock.advance(0);
    expect(errors).toHaveLength(4); // positions 11..14 would wait > 1 s
    await rate.close();
  });

  it('close() rejects waiters and stops the timer', async () => {
    const clock = fakeClock();
    const rate = budget(clock);
    const { errors } = acquireMany(rate, clock, 5);
    await clock.advance(0);
    await rate.close();
    await clock.advance(0);
    expect(errors).toHaveLength(4);
    expect(clock.pending()).toBe(0);
  });
});
