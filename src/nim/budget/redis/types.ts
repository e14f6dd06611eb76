import type { Redis } from 'ioredis';
import type { PacingOptions } from '../pacing.js';

/**
 * The pacing both budgets share, plus Redis's own settings. `now` serves local deadlines and stats only: the window
 * runs on Redis's clock.
 */
export type RedisRateBudgetOptions = PacingOptions & {
  /** A connected (or connecting) ioredis client. The budget does not close it. */
  redis: Redis;
  /** The NetEase app key: the keys are namespaced by it. */
  appKey: string;
  /** How long the first call waits for the initial connection, in ms. @default 2000 */
  readyTimeoutMs?: number;
  /**
   * How long a call taken with acquireSlot() counts at most when its done() never reaches Redis (the replica died
   * mid-call, Redis blinked), in ms. Keep it above the per-attempt timeout. @default 10000
   */
  leaseMs?: number;
  /** @default 'im-admin' */
  keyPrefix?: string;
};
