import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEMO_APP, startEmulator, type Emulator } from '../../../../src/emulator/server.js';
import { runReplicas, until, type WorkerArgs } from '../../fixtures/budget-run.js';
import { describeNeeding } from '../../../support/prerequisites.js';
import { redisServerMissing, startRedisServer, type RedisServer } from '../../../support/redis-server.js';

/**
 * Three replica processes, one budget in a real redis-server, the emulator enforcing NetEase's real limit
 * (100 calls in any rolling 1000 ms, a 416 blocks the app for 10 s).
 */
/** Each run measures 3–4 s; booting three tsx processes on a loaded 2-core CI machine can take as long again. */
const PROCESS_TEST_TIMEOUT_MS = 45_000;
const title = 'three replicas sharing one budget in Redis';

describeNeeding('redis-server', redisServerMissing())(title, () => {
  let redis: RedisServer;
  let emulator: Emulator;
  let run = 0;

  beforeEach(async () => {
    [redis, emulator] = await Promise.all([startRedisServer(), startEmulator({ rateLimit: 100, rateWindowMs: 1000 })]);
  });
  afterEach(async () => {
    await Promise.all([redis?.stop(), emulator?.close()]);
  });

  const args = (overrides: Partial<WorkerArgs> = {}): WorkerArgs => ({
    redisUrl: redis.url,
    baseUrl: emulator.url,
    appKey: DEMO_APP.appKey,
    appSecret: DEMO_APP.appSecret,
    rateLimit: 90,
    replicas: 3,
    durationMs: 3000,
    concurrency: 16,
    coolDownMs: 11_000,
    keyPrefix: `replicas-${++run}`,
    ...overrides,
  });
  const arrivalsBetween = (from: number, to: number) =>
    emulator.received.filter((request) => request.receivedAt >= from && request.receivedAt < to).length;

  it(
    'keeps three processes under NetEase’s limit together (no 416) while using at least 90% of the budget',
    async () => {
      const { startAt, endAt, results } = await runReplicas(args());

      expect(emulator.count({ code: 416 })).toBe(0);
      const perSecond = arrivalsBetween(startAt, endAt) / ((endAt - startAt) / 1000);
      expect(perSecond).toBeGreaterThanOrEqual(0.9 * 90);
      expect(perSecond).toBeLessThanOrEqual(92);
      for (const result of results) {
        expect(result).toMatchObject({ rateLimited: 0, otherErrors: 0, modeAtEnd: 'shared' });
        // Every replica gets a real share, not one hogging the slots.
        expect(result.ok).toBeGreaterThan(0.15 * 90 * 3);
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    'a 416 answered to one replica stops all three for the cool-down',
    async () => {
      const coolDownMs = 1500;
      // Well into the run, NetEase answers one call 416 (an injected answer: the emulator itself is not blocked).
      const { endAt, results } = await runReplicas(args({ durationMs: 3500, coolDownMs }), async (startAt) => {
        await until(startAt + 1000);
        emulator.injectFault('user/getUinfos.action', { kind: 'code', code: 416 }, 1);
      });

      const blocked = emulator.received.filter((request) => request.answeredCode === 416);
      expect(blocked).toHaveLength(1);
      const at = blocked[0]!.receivedAt;
      // Calls already granted when the 416 came back may still land just after it (on a loaded CI core, a few hundred
      // ms after); after that, silence until the cool-down ends.
      const during = emulator.received.filter((r) => r.receivedAt > at && r.receivedAt < at + coolDownMs - 50);
      expect(during.map((r) => r.receivedAt - at).filter((offset) => offset > 250)).toEqual([]);
      expect(arrivalsBetween(at + coolDownMs + 50, endAt)).toBeGreaterThan(0);
      expect(results.reduce((sum, result) => sum + result.rateLimited, 0)).toBeGreaterThanOrEqual(1);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    'when Redis stops mid-run, every replica falls back to its local share and says so, with no 416 storm',
    async () => {
      let stoppedAt = 0;
      const { endAt, results } = await runReplicas(args({ durationMs: 4000 }), async (startAt) => {
        await until(startAt + 1500);
        stoppedAt = Date.now();
        await redis.stop();
      });

      expect(emulator.count({ code: 416 })).toBe(0);
      for (const result of results) {
        expect(result.modeAtEnd).toBe('local');
        expect(result.logs.filter((log) => log.level === 'error').map((log) => log.message)).toEqual([
          expect.stringMatching(/Redis unreachable: falling back to a local budget of 30\/s/),
        ]);
      }
      // Service goes on at the local shares (3 × 30/s), not stopped and not unlimited.
      const perSecond = arrivalsBetween(stoppedAt + 500, endAt) / ((endAt - stoppedAt - 500) / 1000);
      expect(perSecond).toBeGreaterThan(0.8 * 90);
      expect(perSecond).toBeLessThanOrEqual(92);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
