import { NimRateLimitedError } from './errors.js';
import type { RateBudget, RateBudgetStats } from './rate-budget.types.js';

/** Runs `callback` after `delayMs`; returns a function that cancels it. Injected so tests drive a fake clock. */
export type Scheduler = (callback: () => void, delayMs: number) => () => void;

export const realScheduler: Scheduler = (callback, delayMs) => {
  const handle = setTimeout(callback, delayMs);
  return () => clearTimeout(handle);
};

export type LocalRateBudgetOptions = {
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
   * After the event loop stalled, how many ms of missed slots waiting callers may still use (released together).
   * Bounds a catch-up burst to about 1 + maxCatchUpMs × rate / windowMs calls. @default 100
   */
  maxCatchUpMs?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** @default setTimeout */
  schedule?: Scheduler;
  /** @default Math.random */
  random?: () => number;
};

type Waiter = { endpoint: string; enqueuedAt: number; deadline: number; resolve: () => void; reject: (error: Error) => void };

/**
 * The in-process rate budget: one per process, shared by every caller.
 *
 * Calls are released on an even grid, about windowMs / rate apart, from a single timer: never a second's worth at
 * once. A burst released together would leave the process over hundreds of ms on a busy event loop and overlap the
 * next burst in NetEase's window (counted on arrival), tripping the limit although the client counted right.
 * After a stall (late timer, busy loop) the slots missed in the last maxCatchUpMs are used at once, so stalls cost
 * little throughput and bursts stay small; a hard rolling-window check caps releases at `rate` in any window.
 * A 416 starts a shared cool-down during which nothing is released.
 */
export class LocalRateBudget implements RateBudget {
  readonly ratePerSecond: number;
  readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly coolDownMs: number;
  private readonly coolDownJitterMs: number;
  private readonly maxWaitMs: number;
  private readonly maxCatchUpMs: number;
  private readonly now: () => number;
  private readonly schedule: Scheduler;
  private readonly random: () => number;

  private readonly queue: Waiter[] = [];
  /** Release times of the last `rate` calls, a ring buffer for the rolling-window check. */
  private readonly recent: number[] = [];
  private recentIndex = 0;
  private nextAt = Number.NEGATIVE_INFINITY;
  private coolDownUntil = Number.NEGATIVE_INFINITY;
  private coolDownCount = 0;
  private releasedCount = 0;
  private cancelTimer: (() => void) | undefined;
  private closed = false;

  constructor(options: LocalRateBudgetOptions) {
    if (!(options.ratePerSecond >= 1)) throw new RangeError('ratePerSecond must be at least 1');
    this.ratePerSecond = Math.floor(options.ratePerSecond);
    this.windowMs = options.windowMs ?? 1000;
    this.intervalMs = this.windowMs / this.ratePerSecond;
    this.coolDownMs = options.coolDownMs ?? 11_000;
    this.coolDownJitterMs = options.coolDownJitterMs ?? 1000;
    this.maxWaitMs = options.maxWaitMs ?? 15_000;
    this.maxCatchUpMs = options.maxCatchUpMs ?? 100;
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? realScheduler;
    this.random = options.random ?? Math.random;
  }

  acquire(endpoint: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the NetEase rate budget is closed'));
    const now = this.now();
    const sendAt = this.projectedSendAt(this.queue.length, now);
    if (sendAt - now > this.maxWaitMs) {
      return Promise.reject(new NimRateLimitedError(endpoint, sendAt - now));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ endpoint, enqueuedAt: now, deadline: now + this.maxWaitMs, resolve, reject });
      if (!this.cancelTimer) this.pump();
    });
  }

  reportRateLimited(_endpoint: string): void {
    const now = this.now();
    // 416s of calls already in flight when the block began belong to the same block: don't extend it.
    if (now < this.coolDownUntil) return;
    this.coolDownUntil = now + this.coolDownMs + this.random() * this.coolDownJitterMs;
    this.coolDownCount += 1;
    this.rejectWaitersPastDeadline(now);
    this.rearm();
  }

  stats(): RateBudgetStats & { released: number } {
    return {
      queued: this.queue.length,
      coolDowns: this.coolDownCount,
      coolDownRemainingMs: Math.max(0, this.coolDownUntil - this.now()),
      released: this.releasedCount,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    for (const waiter of this.queue.splice(0)) waiter.reject(new Error('the NetEase rate budget is closed'));
  }

  /** When the caller at `position` in the queue would be released, if nothing else changes. */
  private projectedSendAt(position: number, now: number): number {
    return Math.max(now, this.nextReleaseAt()) + position * this.intervalMs;
  }

  private nextReleaseAt(): number {
    const oldest = this.recent.length < this.ratePerSecond ? Number.NEGATIVE_INFINITY : this.recent[this.recentIndex]!;
    return Math.max(this.nextAt, this.coolDownUntil, oldest + this.windowMs);
  }

  private onTimer = (): void => {
    this.cancelTimer = undefined;
    this.pump();
  };

  private pump(): void {
    const now = this.now();
    for (let waiter = this.queue[0]; waiter; waiter = this.queue[0]) {
      const at = this.nextReleaseAt();
      // Timers round to whole ms: accept a release up to 1 ms early rather than spin on sub-ms re-arms.
      if (at - now >= 1) {
        this.arm(at - now);
        return;
      }
      this.queue.shift();
      this.record(now, waiter.enqueuedAt >= this.nextAt);
      waiter.resolve();
    }
  }

  private record(now: number, arrivedToFreeSlot: boolean): void {
    // A caller who found a free slot starts the schedule afresh. When the event loop stalled, waiting callers catch up
    // on the slots missed, but only on the last maxCatchUpMs of them: a bounded burst, never a second's worth.
    const base = arrivedToFreeSlot ? now : Math.max(this.nextAt, now - this.maxCatchUpMs);
    this.nextAt = base + this.intervalMs;
    if (this.recent.length < this.ratePerSecond) this.recent.push(now);
    else this.recent[this.recentIndex] = now;
    this.recentIndex = (this.recentIndex + 1) % this.ratePerSecond;
    this.releasedCount += 1;
  }

  private arm(delayMs: number): void {
    if (this.cancelTimer || this.closed) return;
    this.cancelTimer = this.schedule(this.onTimer, delayMs);
  }

  private rearm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.queue.length > 0) this.arm(Math.max(1, this.nextReleaseAt() - this.now()));
  }

  private rejectWaitersPastDeadline(now: number): void {
    let position = 0;
    for (const waiter of [...this.queue]) {
      const sendAt = this.projectedSendAt(position, now);
      if (sendAt > waiter.deadline) {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        waiter.reject(new NimRateLimitedError(waiter.endpoint, sendAt - now));
      } else {
        position += 1;
      }
    }
  }
}
