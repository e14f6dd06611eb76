import type { Redis } from 'ioredis';
import type { Scheduler } from './rate-budget.js';

export type RedisRateBudgetOptions = {
  /** A connected (or connecting) ioredis client. The budget does not close it. */
  redis: Redis;
  /** The NetEase app key: the keys are namespaced by it. */
  appKey: string;
  /** Calls allowed in any rolling window across every replica, spread evenly. */
  ratePerSecond: number;
  /** @default 1000 */
  windowMs?: number;
  /** How long nothing is sent by any replica after a 416, in ms. @default 11000 */
  coolDownMs?: number;
  /** Random extra cool-down, 0..coolDownJitterMs ms. @default 1000 */
  coolDownJitterMs?: number;
  /** A caller that would wait longer than this (ms) gets NimRateLimitedError instead. @default 15000 */
  maxWaitMs?: number;
  /** How long the first call waits for the initial connection, in ms. @default 2000 */
  readyTimeoutMs?: number;
  /**
   * After a stall (slow timer, busy event loop, slow round trip), how many ms of missed slots waiting callers may
   * still use, released back to back. Bounds a catch-up burst to about 1 + catchUpMs × rate / windowMs calls.
   * @default 100
   */
  catchUpMs?: number;
  /**
   * How long a call taken with acquireSlot() counts at most when its done() never reaches Redis (the replica died
   * mid-call, Redis blinked), in ms. Keep it above the per-attempt timeout. @default 10000
   */
  leaseMs?: number;
  /** @default 'im-admin' */
  keyPrefix?: string;
  /** Local milliseconds, for deadlines and stats only: the window runs on Redis's clock. @default Date.now */
  now?: () => number;
  /** @default setTimeout */
  schedule?: Scheduler;
  /** @default Math.random */
  random?: () => number;
};
