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
  const [redis, emulator] = await Promise.all([startRedisServer(), startEmulator({ rateLimit: 100, rateWindowMs: 1000, blockMs: 10_000 })]);
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
    const rows: BenchRow[] = [
      {
        name: NAME,
        value: `${perSecond.toFixed(1)} calls/s (${shares} in ${DURATION_MS / 1000} s), ${blocked} × 416`,
        target: TARGET,
        pass: perSecond >= 0.9 * RATE && blocked === 0,
      },
    ];
    const single = await burst(redis.url, emulator.url, 1, 'bench-burst-1');
    const three = await burst(redis.url, emulator.url, REPLICAS, 'bench-burst-3');
    rows.push(
      {
        name: `${BURST}-call burst, 1 process on the Redis budget`,
        value: describeBurst(single),
        target: 'reference',
        pass: single.calls === BURST,
      },
      {
        name: `${BURST}-call burst spread over ${REPLICAS} processes`,
        value: `${describeBurst(three)} (${(three.ratio / single.ratio).toFixed(2)}× one process)`,
        target: '< 1.2× floor, no 416',
        pass: three.ratio < 1.2 && three.calls === BURST && emulator.count({ code: 416 }) === 0,
      },
    );
    return rows;
  } finally {
    await Promise.all([redis.stop(), emulator.close()]);
  }
}

const BURST = 120;
type Burst = { calls: number; elapsedMs: number; ratio: number };

/** BURST calls split evenly over `replicas` processes, all as fast as the shared budget allows: start to last answer. */
async function burst(redisUrl: string, baseUrl: string, replicas: number, keyPrefix: string): Promise<Burst> {
  const { startAt, results } = await runReplicas(
    {
      redisUrl,
      baseUrl,
      appKey: DEMO_APP.appKey,
      appSecret: DEMO_APP.appSecret,
      rateLimit: RATE,
      replicas,
      durationMs: 10_000,
      concurrency: 16,
      coolDownMs: 11_000,
      keyPrefix,
      calls: BURST / replicas,
    },
    undefined,
    1100,
  );
  const elapsedMs = Math.max(...results.map((result) => result.lastAnswerAt)) - startAt;
  const calls = results.reduce((sum, result) => sum + result.ok, 0);
  return { calls, elapsedMs, ratio: elapsedMs / ((BURST / RATE) * 1000) };
}

function describeBurst({ calls, elapsedMs, ratio }: Burst): string {
  return `${Math.round(elapsedMs)} ms = ${ratio.toFixed(2)}× floor (${BURST} ÷ ${RATE}/s = ${Math.round((BURST / RATE) * 1000)} ms), ${calls} answered`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatTable(await benchRedis()));
}
