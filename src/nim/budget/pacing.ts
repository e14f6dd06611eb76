/**
 * The pacing settings both rate budgets share (in-process and Redis), with their defaults in one place.
 */

/** Runs `callback` after `delayMs`; returns a function that cancels it. Injected so tests drive a fake clock. */
export type Scheduler = (callback: () => void, delayMs: number) => () => void;

export const realScheduler: Scheduler = (callback, delayMs) => {
  const handle = setTimeout(callback, delayMs);
  return () => clearTimeout(handle);
};

export type PacingOptions = {
  /** Calls allowed in any rolling window, spread evenly (one every windowMs / ratePerSecond ms). */
  ratePerSecond: number;
  /** The rolling window NetEase counts in, in ms. @default 1000 */
  windowMs?: number;
  /** How long nothing is sent after a 416, in ms; NetEase blocks for 10 s. @default 11000 */
  coolDownMs?: number;
  /** Random extra cool-down, 0..coolDownJitterMs ms, so replicas do not resume in step. @default 1000 */
  coolDownJitterMs?: number;
  /** A caller that would wait longer than this (ms) gets NimRateLimitedError instead. @default 15000 */
  maxWaitMs?: number;
  /**
   * After a stall (slow timer, busy event loop, slow round trip), how many ms of missed slots waiting callers may
   * still use, released back to back. Bounds a catch-up burst to about 1 + catchUpMs × rate / windowMs calls.
   * @default 100
   */
  catchUpMs?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** @default setTimeout */
  schedule?: Scheduler;
  /** @default Math.random */
  random?: () => number;
};

export type Pacing = Required<PacingOptions> & {
  /** Milliseconds between two releases: windowMs / ratePerSecond. */
  intervalMs: number;
};

export function resolvePacing(options: PacingOptions): Pacing {
  if (!(options.ratePerSecond >= 1)) throw new RangeError('ratePerSecond must be at least 1');
  const ratePerSecond = Math.floor(options.ratePerSecond);
  const windowMs = options.windowMs ?? 1000;
  return {
    ratePerSecond,
    windowMs,
    intervalMs: windowMs / ratePerSecond,
    coolDownMs: options.coolDownMs ?? 11_000,
    coolDownJitterMs: options.coolDownJitterMs ?? 1000,
    maxWaitMs: options.maxWaitMs ?? 15_000,
    catchUpMs: options.catchUpMs ?? 100,
    now: options.now ?? Date.now,
    schedule: options.schedule ?? realScheduler,
    random: options.random ?? Math.random,
  };
}
