import { pathToFileURL } from 'node:url';
import { DEMO_APP, startEmulator } from '../src/emulator/server.js';
import { runReplicas } from '../test/nim/fixtures/budget-run.js';
import { redisServerMissing, startRedisServer } from '../test/support/redis-server.js';
import { type BenchRow, formatTable } from './table.js';

/**
 * Three replica processes sharing one budget in a throw-away redis-server, against the emulator at NetEase's real
 * limit (100 calls per rolling second, a 416 blocks the app for 10 s). Each process calls getUinfos as fast as the
 * shared budget lets it; the emulator counts what arrives.
 */
const RATE = 90;
const REPLICAS = 3;
const DURATION_MS = 5000;
const NAME = `${REPLICAS} processes sharing one Redis budget (${RATE}/s)`;
const TARGET = `≥ ${0.9 * RATE} calls/s, no 416`;

export async function benchRedis(): Promise<BenchRow[]> {
  if (redisServerMissing()) return [{ name: NAME, value: 'skipped: no redis-server', target: TARGET, pass: true }];
  const [redis, emulator] = await Promise.all([
    startRedisServer(),
    startEmulator({ rateLimit: 100, rateWindowMs: 1000, blockMs: 10_000 }),
  ]);
  try {
    const { startAt, endAt, results } = await runReplicas({
      redisUrl: redis.url,
      baseUrl: emulator.url,
      appKey: DEMO_APP.appKey,
      appSecret: DEMO_APP.appSecret,
      rateLimit: RATE,
      replicas: REPLICAS,
      durationMs: DURATION_MS,
      concurrency: 16,
      coolDownMs: 11_000,
      keyPrefix: 'bench',
    });
    const arrived = emulator.received.filter((request) => request.receivedAt >= startAt && request.receivedAt < endAt);
    const perSecond = arrived.length / (DURATION_MS / 1000);
    const blocked = emulator.count({ code: 416 });
    const shares = results.map((result) => result.ok).join(' + ');
    return [
      {
        name: NAME,
        value: `${perSecond.toFixed(1)} calls/s (${shares} in ${DURATION_MS / 1000} s), ${blocked} × 416`,
        target: TARGET,
        pass: perSecond >= 0.9 * RATE && blocked === 0,
      },
    ];
  } finally {
    await Promise.all([redis.stop(), emulator.close()]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatTable(await benchRedis()));
}
