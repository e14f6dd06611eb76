import { Redis } from 'ioredis';
import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import type { NimSettings } from '../../../../src/config.js';
import { NimRateLimitedError } from '../../../../src/nim/errors.js';
import { LocalRateBudget } from '../../../../src/nim/budget/local.js';
import { createRateBudget } from '../../../../src/nim/budget/create-budget.js';
import { RedisRateBudget } from '../../../../src/nim/budget/redis/redis-budget.js';
import type { FailoverRateBudget } from '../../../../src/nim/budget/redis/failover.js';
import { describeNeeding } from '../../../support/prerequisites.js';
import { rateBudgetConformance } from '../conformance.js';
import { redisServerMissing, startRedisServer, type RedisServer } from '../../../support/redis-server.js';

const settings = (overrides: Partial<NimSettings> = {}): NimSettings => ({
  mode: 'netease',
  appKey: 'app-one',
  appSecret: 'secret',
  baseUrl: 'http://127.0.0.1:1/nimserver',
  rateLimit: 60,
  timeoutMs: 1000,
  replicas: 3,
  ...overrides,
});
const silentLogger = () => ({ error: vi.fn(), warn: vi.fn() });

/**
 * Largest number of `times` inside any window of `windowMs` (half-open, as a rolling window counts). The strict
 * count is Redis's; these times are taken when each acquire() resolves, which a busy event loop shifts by a few ms.
 */
const JITTER = 2;
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let start = 0, end = 0; end < sorted.length; end += 1) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('without REDIS_URL', () => {
  it('uses the in-process budget and needs no Redis', async () => {
    const budget = createRateBudget(settings({ redisUrl: undefined }), { logger: silentLogger() });
    expect(budget).toBeInstanceOf(LocalRateBudget);
    await budget.acquire('user/getUinfos.action');
    await budget.close();
  });
});

const title = 'shared budget in Redis';

describeNeeding('redis-server', redisServerMissing())(title, () => {
  let server: RedisServer;
  const cleanups: (() => Promise<unknown>)[] = [];
  let prefix = 0;

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function redisBudget(options: Partial<ConstructorParameters<typeof RedisRateBudget>[0]> = {}): RedisRateBudget {
    const redis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    const budget = new RedisRateBudget({ redis, appKey: 'app-one', ratePerSecond: 50, keyPrefix: `t${prefix}`, ...options });
    cleanups.push(
      () => redis.quit(),
      () => budget.close(),
    );
    return budget;
  }
  const freshPrefix = () => `t${++prefix}`;

  describe('the RateBudget contract (test/nim/budget/conformance.ts)', () => {
    rateBudgetConformance((options) => redisBudget({ keyPrefix: freshPrefix(), ...options }));
  });

  it('two budgets on one key never grant more than the rate in any rolling second, and use most of it', async () => {
    const keyPrefix = freshPrefix();
    const budgets = [redisBudget({ keyPrefix }), redisBudget({ keyPrefix })];
    const grants: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 110 }, (_, index) => budgets[index % 2]!.acquire('user/getUinfos.action').then(() => grants.push(Date.now()))),
    );
    const elapsedMs = Date.now() - started;
    expect(maxInWindow(grants, 1000)).toBeLessThanOrEqual(50 + JITTER);
    // 110 calls at 50/s, evenly spaced: about 2.2 s.
    expect(elapsedMs).toBeGreaterThan(1900);
    expect(elapsedMs).toBeLessThan(2700);
  });

  it('follows Redis’s clock, not the hosts’: a replica whose clock is an hour off still shares the window', async () => {
    const keyPrefix = freshPrefix();
    const skewed = redisBudget({ keyPrefix, now: () => Date.now() + 3_600_000 });
    const normal = redisBudget({ keyPrefix });
    const grants: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 60 }, (_, index) => (index % 2 ? skewed : normal).acquire('e').then(() => grants.push(Date.now()))),
    );
    expect(maxInWindow(grants, 1000)).toBeLessThanOrEqual(50 + JITTER);
    expect(Date.now() - started).toBeGreaterThan(1000);
  });

  it('a replica that dies mid-call holds its slots only until the lease ends', async () => {
    const keyPrefix = freshPrefix();
    const dying = redisBudget({ keyPrefix, ratePerSecond: 2, windowMs: 300, leaseMs: 400 });
    const survivor = redisBudget({ keyPrefix, ratePerSecond: 2, windowMs: 300, leaseMs: 400 });
    const started = Date.now();
    await dying.acquireSlot('e');
    await dying.acquireSlot('e'); // never done()
    await survivor.acquire('e');
    // Lease 400 ms + window 300 ms after the calls went out.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a 416 reported by one replica stops the others for the cool-down', async () => {
    const keyPrefix = freshPrefix();
    const reporter = redisBudget({ keyPrefix, coolDownMs: 600, coolDownJitterMs: 0 });
    const other = redisBudget({ keyPrefix, coolDownMs: 600, coolDownJitterMs: 0 });
    await expect(reporter.startCoolDown(600)).resolves.toBe(true);
    const started = Date.now();
    await other.acquire('e');
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(other.stats().coolDowns).toBe(0);
    expect(reporter.stats().coolDowns).toBe(1);
  });

  it('a second 416 during a cool-down does not extend it', async () => {
    const budget = redisBudget({ keyPrefix: freshPrefix() });
    await expect(budget.startCoolDown(500)).resolves.toBe(true);
    await expect(budget.startCoolDown(5000)).resolves.toBe(false);
    const started = Date.now();
    await budget.acquire('e');
    expect(Date.now() - started).toBeLessThan(800);
  });

  it('keeps two NetEase apps on one Redis apart', async () => {
    const keyPrefix = freshPrefix();
    const one = redisBudget({ keyPrefix, appKey: 'app-one' });
    const two = redisBudget({ keyPrefix, appKey: 'app-two' });
    await one.startCoolDown(3000);
    const started = Date.now();
    await two.acquire('e');
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('falls back to rate ÷ replicas when Redis is unreachable, logs it loudly once, and returns when Redis does', async () => {
    const own = await startRedisServer();
    const logger = silentLogger();
    const budget = createRateBudget(settings({ redisUrl: own.url, rateLimit: 60, replicas: 3 }), {
      logger,
      tuning: { keyPrefix: freshPrefix(), probeIntervalMs: 200 },
    }) as FailoverRateBudget;
    cleanups.push(
      () => budget.close(),
      () => own.stop(),
    );

    await budget.acquire('e');
    expect(budget.stats().mode).toBe('shared');

    await own.stop();
    const grants: number[] = [];
    for (let index = 0; index < 12; index += 1) {
      await budget.acquire('e');
      grants.push(Date.now());
    }
    expect(budget.stats().mode).toBe('local');
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error.mock.calls[0]![1]).toMatch(/Redis unreachable: falling back to a local budget of 20\/s/);
    // 20/s locally: 12 calls span ≈ 550 ms, the limit is still kept.
    expect(grants.at(-1)! - grants[0]!).toBeGreaterThan(450);

    const back = await startRedisServer({ port: own.port });
    cleanups.push(() => back.stop());
    await vi.waitFor(() => expect(budget.stats().mode).toBe('shared'), { timeout: 5000, interval: 50 });
    expect(logger.warn).toHaveBeenCalledWith(expect.anything(), expect.stringMatching(/back to the shared budget of 60\/s/));
    await budget.acquire('e');
  });

  it('a 416 while on the local budget still cools down, and Redis learns of it when it comes back', async () => {
    const own = await startRedisServer();
    const budget = createRateBudget(settings({ redisUrl: own.url }), {
      logger: silentLogger(),
      tuning: { keyPrefix: freshPrefix(), probeIntervalMs: 200, coolDownMs: 3000, coolDownJitterMs: 0, maxWaitMs: 500 },
    }) as FailoverRateBudget;
    cleanups.push(
      () => budget.close(),
      () => own.stop(),
    );
    await budget.acquire('e');
    await own.stop();
    await budget.acquire('e'); // falls back
    budget.reportRateLimited('e');
    await expect(budget.acquire('e')).rejects.toBeInstanceOf(NimRateLimitedError);

    const back = await startRedisServer({ port: own.port });
    cleanups.push(() => back.stop());
    await vi.waitFor(() => expect(budget.stats().mode).toBe('shared'), { timeout: 5000, interval: 50 });
    const check = new Redis(back.url);
    cleanups.push(() => check.quit());
    const keys = await check.keys('*cooldown');
    expect(keys).toHaveLength(1);
    expect(await check.pttl(keys[0]!)).toBeGreaterThan(1000);
  });
});
