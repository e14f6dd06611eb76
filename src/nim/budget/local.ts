import { resolvePacing, type Pacing, type PacingOptions } from './pacing.js';
import type { RateBudget, RateBudgetStats } from './contract.js';
import { budgetClosedError, joinLine, rejectWaitersPastDeadline, type Waiter } from './waiting-line.js';

export { realScheduler, type Scheduler } from './pacing.js';

/** The in-process budget's settings: just the pacing both budgets share. */
export type LocalRateBudgetOptions = PacingOptions;

/**
 * The in-process rate budget: one per process, shared by every caller.
 *
 * Pacing: calls are released on an even grid, windowMs / rate apart, from a single timer, never a second's worth at
 * once. A burst released together leaves the process over hundreds of ms on a busy event loop and overlaps the
 * next burst in NetEase's window, tripping the limit although the client counted right. After a stall the slots
 * missed in the last catchUpMs are used at once, so stalls cost little throughput and bursts stay small.
 *
 * Counting as NetEase does, on arrival: a call released at t arrives somewhere between t and the moment its answer
 * is back. A call taken with acquireSlot() therefore counts in the window from its release until windowMs after
 * done(), and a new call is released only while fewer than `rate` calls may lie in the last window. Whatever the
 * event loop or the network does to arrival times, NetEase never sees more than `rate` in any window. (Calls taken
 * with plain acquire() count from their release only.) A 416 starts a shared cool-down during which nothing is
 * released.
 */
export class LocalRateBudget implements RateBudget {
  private readonly pacing: Pacing;

  private readonly queue: Waiter<void>[] = [];
  /** When recent calls stop counting minus windowMs (release or done() time), oldest first. */
  private readonly exits: number[] = [];
  /** Released with acquireSlot() and not done yet: they may arrive at NetEase any moment. */
  private inFlight = 0;
  private nextAt = Number.NEGATIVE_INFINITY;
  private coolDownUntil = Number.NEGATIVE_INFINITY;
  private coolDownCount = 0;
  private releasedCount = 0;
  private cancelTimer: (() => void) | undefined;
  private closed = false;

  constructor(options: LocalRateBudgetOptions) {
    this.pacing = resolvePacing(options);
  }

  get ratePerSecond(): number {
    return this.pacing.ratePerSecond;
  }

  get intervalMs(): number {
    return this.pacing.intervalMs;
  }

  acquire(endpoint: string): Promise<void> {
    return this.enqueue(endpoint, false);
  }

  /** Like acquire(); call the returned done() once the call's answer (or failure) is in. */
  async acquireSlot(endpoint: string): Promise<() => void> {
    await this.enqueue(endpoint, true);
    let settled = false;
    return () => {
      if (settled) return;
      settled = true;
      this.inFlight -= 1;
      this.exits.push(this.pacing.now());
      if (!this.cancelTimer) this.pump();
    };
  }

  reportRateLimited(_endpoint: string): void {
    const now = this.pacing.now();
    // 416s of calls already in flight when the block began belong to the same block: don't extend it.
    if (now < this.coolDownUntil) return;
    this.coolDownUntil = now + this.pacing.coolDownMs + this.pacing.random() * this.pacing.coolDownJitterMs;
    this.coolDownCount += 1;
    rejectWaitersPastDeadline(this.queue, now, this.projectSendAt);
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.pump();
  }

  stats(): RateBudgetStats & { released: number; inFlight: number } {
    return {
      queued: this.queue.length,
      coolDowns: this.coolDownCount,
      coolDownRemainingMs: Math.max(0, this.coolDownUntil - this.pacing.now()),
      released: this.releasedCount,
      inFlight: this.inFlight,
    };
  }

  close(): Promise<void> {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    for (const waiter of this.queue.splice(0)) waiter.reject(budgetClosedError());
    return Promise.resolve();
  }

  private enqueue(endpoint: string, tracked: boolean): Promise<void> {
    if (this.closed) return Promise.reject(budgetClosedError());
    const caller = { endpoint, tracked, now: this.pacing.now(), maxWaitMs: this.pacing.maxWaitMs };
    return joinLine<void>(this.queue, caller, this.projectSendAt, () => {
      if (!this.cancelTimer) this.pump();
    });
  }

  /** When the caller at `position` would be released, assuming calls in flight are answered now. */
  private readonly projectSendAt = (position: number, now: number): number => {
    const windowFree = this.windowFreeAt(now, 0);
    return Math.max(now, this.nextAt, this.coolDownUntil, windowFree) + position * this.pacing.intervalMs;
  };

  /** The earliest time fewer than `rate` calls may lie in the window (Infinity: wait for a done()). */
  private windowFreeAt(now: number, inFlight: number): number {
    while (this.exits.length > 0 && this.exits[0]! <= now - this.pacing.windowMs) this.exits.shift();
    const excess = inFlight + this.exits.length - this.pacing.ratePerSecond + 1;
    if (excess <= 0) return Number.NEGATIVE_INFINITY;
    if (excess > this.exits.length) return Number.POSITIVE_INFINITY;
    return this.exits[excess - 1]! + this.pacing.windowMs;
  }

  private onTimer = (): void => {
    this.cancelTimer = undefined;
    this.pump();
  };

  private pump(): void {
    const now = this.pacing.now();
    for (let waiter = this.queue[0]; waiter && !this.closed; waiter = this.queue[0]) {
      const at = Math.max(this.nextAt, this.coolDownUntil, this.windowFreeAt(now, this.inFlight));
      if (at === Number.POSITIVE_INFINITY) return; // a done() will pump again
      // Timers round to whole ms: accept a release up to 1 ms early rather than spin on sub-ms re-arms.
      if (at - now >= 1) {
        this.cancelTimer = this.pacing.schedule(this.onTimer, at - now);
        return;
      }
      this.queue.shift();
      this.record(now, waiter);
      waiter.resolve();
    }
  }

  private record(now: number, waiter: Waiter<void>): void {
    // A caller who found a free slot starts the grid afresh; waiting callers catch up on at most catchUpMs.
    const base = waiter.enqueuedAt >= this.nextAt ? now : Math.max(this.nextAt, now - this.pacing.catchUpMs);
    this.nextAt = base + this.pacing.intervalMs;
    if (waiter.tracked) this.inFlight += 1;
    else this.exits.push(now);
    this.releasedCount += 1;
  }
}
