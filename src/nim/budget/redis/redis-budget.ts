import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { resolvePacing, type Pacing } from '../pacing.js';
import type { RateBudget, RateBudgetStats } from '../contract.js';
import { budgetClosedError, joinLine, rejectWaitersPastDeadline, type Waiter } from '../waiting-line.js';
import { RedisBudgetUnavailableError, whenConnected } from './connection.js';
import type { RedisRateBudgetOptions } from './types.js';
import { budgetKeys, defineBudgetScripts, type BudgetKeys, type BudgetScripts } from './script.js';

export { RedisBudgetUnavailableError } from './connection.js';
export type { RedisRateBudgetOptions } from './types.js';

/**
 * The budget shared by every replica through Redis: one rolling window and one cool-down per NetEase app.
 *
 * Callers of this process queue in a local FIFO and only the head asks Redis, so a replica makes about one round
 * trip per grant (a few more while replicas compete for the same slot), not one per waiting caller per tick.
 * When Redis fails, every queued caller is rejected with RedisBudgetUnavailableError at once.
 */
export class RedisRateBudget implements RateBudget {
  private readonly pacing: Pacing;
  private readonly redis: Redis;
  private readonly keys: BudgetKeys;
  private readonly scripts: BudgetScripts;
  private readonly readyTimeoutMs: number;
  private readonly leaseMs: number;

  private readonly queue: Waiter<string>[] = [];
  private draining = false;
  private wake: (() => void) | undefined;
  /** Local time until which the last answer said to wait (cool-down or spacing); a hint for early rejection. */
  private blockedUntil = Number.NEGATIVE_INFINITY;
  private coolDownUntil = Number.NEGATIVE_INFINITY;
  private coolDownCount = 0;
  private grantedCount = 0;
  private closed = false;
  /** A cool-down on its way to Redis: finishing calls wait for it. */
  private coolDownWrite: Promise<void> | undefined;

  constructor(options: RedisRateBudgetOptions) {
    this.pacing = resolvePacing(options);
    this.redis = options.redis;
    this.keys = budgetKeys(options.appKey, options.keyPrefix);
    this.scripts = defineBudgetScripts(options.redis);
    this.readyTimeoutMs = options.readyTimeoutMs ?? 2000;
    this.leaseMs = options.leaseMs ?? 10_000;
  }

  get ratePerSecond(): number {
    return this.pacing.ratePerSecond;
  }

  get intervalMs(): number {
    return this.pacing.intervalMs;
  }

  async acquire(endpoint: string): Promise<void> {
    await this.enqueue(endpoint, false);
  }

  /**
   * Like acquire(); call the returned done() once the call's answer (or failure) is in. Until then the call counts
   * in the shared window (NetEase counts on arrival, anywhere between release and answer), then for windowMs more.
   */
  async acquireSlot(endpoint: string): Promise<() => void> {
    const member = await this.enqueue(endpoint, true);
    let settled = false;
    return () => {
      if (settled) return;
      settled = true;
      // After a 416 the cool-down must be in Redis before this call stops counting, or a freed slot slips out.
      // Lost (Redis down)? The lease ends the call's count instead: later, never sooner.
      const finish = () => this.scripts.finish(this.keys, member);
      (this.coolDownWrite ? this.coolDownWrite.then(finish) : finish()).catch(() => undefined);
    };
  }

  reportRateLimited(_endpoint: string): void {
    const write = this.startCoolDown(this.pacing.coolDownMs + this.pacing.random() * this.pacing.coolDownJitterMs).then(
      () => undefined,
      // The fail-over budget keeps its own cool-down from the same report; a lost write here is covered there.
      () => undefined,
    );
    this.coolDownWrite = write;
    void write.finally(() => {
      if (this.coolDownWrite === write) this.coolDownWrite = undefined;
    });
  }

  /**
   * Starts the shared cool-down for `ms` unless one is running. Resolves true when this call started it.
   * Rejects with RedisBudgetUnavailableError when Redis does not answer.
   */
  async startCoolDown(ms: number): Promise<boolean> {
    let started: boolean;
    try {
      if (this.redis.status !== 'ready') await whenConnected(this.redis, this.readyTimeoutMs, this.pacing.schedule);
      started = await this.scripts.startCoolDown(this.keys, ms);
    } catch (error) {
      throw new RedisBudgetUnavailableError({ cause: error });
    }
    if (started) {
      this.coolDownCount += 1;
      this.coolDownUntil = Math.max(this.coolDownUntil, this.pacing.now() + ms);
    }
    // The head may be sleeping on a spacing wait: let it ask again and learn of the cool-down.
    this.wake?.();
    return started;
  }

  stats(): RateBudgetStats & { granted: number } {
    return {
      queued: this.queue.length,
      coolDowns: this.coolDownCount,
      coolDownRemainingMs: Math.max(0, Math.ceil(this.coolDownUntil - this.pacing.now())),
      granted: this.grantedCount,
    };
  }

  close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    for (const waiter of this.queue.splice(0)) waiter.reject(budgetClosedError());
    return Promise.resolve();
  }

  private enqueue(endpoint: string, tracked: boolean): Promise<string> {
    if (this.closed) return Promise.reject(budgetClosedError());
    const caller = { endpoint, tracked, now: this.pacing.now(), maxWaitMs: this.pacing.maxWaitMs };
    return joinLine<string>(this.queue, caller, this.projectSendAt, () => {
      void this.drain();
    });
  }

  private readonly projectSendAt = (position: number, now: number): number => {
    return Math.max(now, this.blockedUntil) + position * this.pacing.intervalMs;
  };

  /** The head of the queue asks Redis, sleeps as told, asks again; one drain loop per process. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        let waitMs: number;
        try {
          await whenConnected(this.redis, this.readyTimeoutMs, this.pacing.schedule);
          const head = this.queue[0]!;
          const member = this.nonce();
          const reply = await this.scripts.acquire(this.keys, {
            rate: this.pacing.ratePerSecond,
            windowMs: this.pacing.windowMs,
            member,
            waitedMs: this.pacing.now() - head.enqueuedAt,
            catchUpMs: this.pacing.catchUpMs,
            leaseMs: head.tracked ? this.leaseMs : 0,
          });
          if (reply.outcome === 'granted') {
            this.grantedCount += 1;
            this.blockedUntil = Number.NEGATIVE_INFINITY;
            // close() may have emptied the queue meanwhile: the slot then goes unused, which is harmless.
            if (this.queue[0] === head) this.queue.shift();
            head.resolve(member);
            continue;
          }
          waitMs = reply.waitMs;
          const now = this.pacing.now();
          this.blockedUntil = now + waitMs;
          if (reply.outcome === 'cool-down') this.coolDownUntil = now + waitMs;
          rejectWaitersPastDeadline(this.queue, now, this.projectSendAt);
        } catch (error) {
          const failure = new RedisBudgetUnavailableError({ cause: error });
          for (const waiter of this.queue.splice(0)) waiter.reject(failure);
          return;
        }
        if (this.queue.length > 0) await this.sleep(waitMs);
      }
    } finally {
      this.draining = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.pacing.schedule(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        this.wake = undefined;
        cancel();
        resolve();
      };
    });
  }

  private nonce(): string {
    return randomBytes(9).toString('base64url');
  }
}
