import { pathToFileURL } from 'node:url';
import { startEmulator } from '../src/emulator/server.js';
import type { EmulatorSeed } from '../src/emulator/types.js';
import { NimClient } from '../src/nim/client.js';
import { GET_UINFOS } from '../src/nim/users.js';
import { type BenchRow, formatTable, percentile } from './table.js';

/**
 * The NetEase client against the emulator at NetEase's real limit (100 calls per rolling second, 10 s block),
 * with the client's default budget of 90/s.
 *
 * Floor: the budget releases one call every 1000/rate ms, so N calls cannot take less than N ÷ rate seconds
 * (strictly (N − 1) ÷ rate plus one round trip; N ÷ rate is the round figure used here).
 */
const RATE = 90;
const USERS = 10_000;

export async function benchNim(): Promise<BenchRow[]> {
  const seed: EmulatorSeed = {
    users: Array.from({ length: USERS }, (_, i) => ({ accid: `user${i}`, name: `User ${i}`, gender: (i % 3) as 0 | 1 | 2 })),
    qchatServers: [],
  };
  const app = { appKey: 'bench-app-key', appSecret: 'bench-app-secret' };
  // A second app (NetEase counts per app) measures what the lookup costs this machine without any pacing.
  const unpacedApp = { appKey: 'bench-unpaced-key', appSecret: 'bench-unpaced-secret' };
  const emulator = await startEmulator({ apps: [app, unpacedApp], seed, rateLimit: 100, rateWindowMs: 1000, blockMs: 10_000 });
  const client = new NimClient({ ...app, baseUrl: emulator.url, rateLimit: RATE });
  const unpaced = new NimClient({ ...unpacedApp, baseUrl: emulator.url, rateLimit: 100_000 });
  try {
    // Warm up (JIT, connections: the first lookup in a process is ~2× slower), then let those calls leave
    // NetEase's rolling window.
    await client.getUinfos(allAccids());
    const unpacedRow = await unpacedLookup(unpaced);
    await sleep(1100);
    return [...(await bigLookup(client, emulator)), unpacedRow, ...(await manyCallers(client, emulator))];
  } finally {
    await Promise.all([client.close(), unpaced.close()]);
    await emulator.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const allAccids = () => Array.from({ length: USERS }, (_, i) => `user${i}`);

/** Context for row 1: the same lookup with the budget out of the way (emulator + client CPU, loopback). */
async function unpacedLookup(client: NimClient): Promise<BenchRow> {
  const started = performance.now();
  await client.getUinfos(allAccids());
  const elapsedMs = performance.now() - started;
  return {
    name: '10,000-accid lookup without pacing (this machine’s own cost)',
    value: `${Math.round(elapsedMs)} ms`,
    target: 'context for the row above',
    pass: true,
  };
}

type Emu = Awaited<ReturnType<typeof startEmulator>>;

/** (1) One lookup of 10,000 accids: 50 calls of 200, run concurrently under the budget. */
async function bigLookup(client: NimClient, emulator: Emu): Promise<BenchRow[]> {
  emulator.resetCounters();
  const started = performance.now();
  const lookup = await client.getUinfos(allAccids());
  const elapsedMs = performance.now() - started;
  const calls = emulator.count({ endpoint: GET_UINFOS });
  const floorMs = (calls / RATE) * 1000;
  const ratio = elapsedMs / floorMs;
  const blocked = emulator.count({ code: 416 });
  return [
    {
      name: `10,000-accid lookup (${calls} calls, ${lookup.found.length} found)`,
      value: `${Math.round(elapsedMs)} ms = ${ratio.toFixed(2)}× floor (${calls} ÷ ${RATE}/s = ${Math.round(floorMs)} ms)`,
      target: '≤ 1.15× floor',
      pass: ratio <= 1.15 && lookup.found.length === USERS && calls === USERS / 200,
    },
    { name: '10,000-accid lookup: 416s answered', value: String(blocked), target: '0', pass: blocked === 0 },
  ];
}

/** (2) 1,000 single-accid lookups from 50 concurrent callers (each caller one lookup at a time). */
async function manyCallers(client: NimClient, emulator: Emu): Promise<BenchRow[]> {
  const total = 1000;
  const callers = 50;
  // Let the previous row's calls leave NetEase's rolling window so this row measures itself alone.
  await sleep(1100);
  emulator.resetCounters();
  const waits: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < total) {
        const accid = `user${next++}`;
        const asked = performance.now();
        await client.getUinfos([accid]);
        waits.push(performance.now() - asked);
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const calls = emulator.count({ endpoint: GET_UINFOS });
  // Calls per second between the first release and the last: N calls span (N − 1) intervals.
  const achieved = (calls - 1) / elapsedS;
  const share = achieved / RATE;
  const blocked = emulator.count({ code: 416 });
  const p50 = percentile(waits, 50);
  const p99 = percentile(waits, 99);
  const expectedWaitMs = (callers / RATE) * 1000;
  return [
    {
      name: `1,000 single lookups, ${callers} callers: throughput`,
      value: `${achieved.toFixed(1)} calls/s = ${share.toFixed(3)} of ${RATE}/s`,
      target: '≥ 0.95 of the budget',
      pass: share >= 0.95 && calls === total,
    },
    { name: '1,000 single lookups: 416s answered', value: String(blocked), target: '0', pass: blocked === 0 },
    {
      name: '1,000 single lookups: wait per lookup',
      value: `p50 ${Math.round(p50)} ms, p99 ${Math.round(p99)} ms`,
      // 50 callers share 90 calls/s, so each waits about callers ÷ rate; reported, not a pass/fail figure.
      target: `reported (≈ ${callers} ÷ ${RATE}/s = ${Math.round(expectedWaitMs)} ms expected)`,
      pass: true,
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchNim();
  console.log(formatTable(rows));
  process.exitCode = rows.every((row) => row.pass) ? 0 : 1;
}
