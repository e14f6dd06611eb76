import { createRequire } from 'node:module';
import type { NimSettings } from '../../config.js';
import { LocalRateBudget } from './local.js';
import type { RateBudget } from './contract.js';
import { RedisRateBudget } from './redis/redis-budget.js';
import { FailoverRateBudget, type BudgetLogger } from './redis/failover.js';

export type RateBudgetDeps = {
  logger: BudgetLogger;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Tuning for tests and the benchmark; production uses the defaults. */
  tuning?: {
    /** @default 11000 */
    coolDownMs?: number;
    /** @default 1000 */
    coolDownJitterMs?: number;
    /** @default 15000 */
    maxWaitMs?: number;
    /** How often to retry Redis while on the local budget, in ms. @default 2000 */
    probeIntervalMs?: number;
    /** Catch-up after a stall, ms (see RedisRateBudgetOptions.catchUpMs). */
    catchUpMs?: number;
    /** Redis key prefix. @default 'im-admin' */
    keyPrefix?: string;
  };
};

/**
 * The NetEase budget for this process: shared through Redis when `redisUrl` is set (falling back to a local share
 * of rateLimit ÷ replicas while Redis is unreachable), otherwise in-process with no Redis needed.
 */
export function createRateBudget(settings: NimSettings, deps: RateBudgetDeps): RateBudget {
  const tuning = deps.tuning ?? {};
  const common = {
    ...(deps.now ? { now: deps.now } : {}),
    ...(tuning.coolDownMs === undefined ? {} : { coolDownMs: tuning.coolDownMs }),
    ...(tuning.coolDownJitterMs === undefined ? {} : { coolDownJitterMs: tuning.coolDownJitterMs }),
    ...(tuning.maxWaitMs === undefined ? {} : { maxWaitMs: tuning.maxWaitMs }),
  };
  if (!settings.redisUrl) return new LocalRateBudget({ ratePerSecond: settings.rateLimit, ...common });

  // ioredis is loaded only when Redis is configured: it costs ~200 ms of start-up otherwise spent for nothing.
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const redis = new Redis(settings.redisUrl, {
    // Fail fast so the budget falls back within a second instead of queueing calls behind a dead connection.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 1000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // ioredis reports every failed reconnect as an 'error' event; the budget logs the outage once, loudly.
  redis.on('error', () => undefined);

  return new FailoverRateBudget({
    shared: new RedisRateBudget({
      redis,
      appKey: settings.appKey ?? 'local-emulator',
      ratePerSecond: settings.rateLimit,
      // A call cannot be in flight longer than its attempt timeout; a second more covers the answer's way back.
      leaseMs: settings.timeoutMs + 1000,
      ...(tuning.keyPrefix ? { keyPrefix: tuning.keyPrefix } : {}),
      ...(tuning.catchUpMs === undefined ? {} : { catchUpMs: tuning.catchUpMs }),
      ...common,
    }),
    local: new LocalRateBudget({ ratePerSecond: Math.max(1, Math.floor(settings.rateLimit / settings.replicas)), ...common }),
    probe: () => redis.ping(),
    disconnect: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
    logger: deps.logger,
    ...(tuning.probeIntervalMs === undefined ? {} : { probeIntervalMs: tuning.probeIntervalMs }),
  });
}
