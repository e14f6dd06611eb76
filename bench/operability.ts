import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEMO_APP, startEmulator, type Emulator } from '../src/emulator/server.js';
import { signedHeaders, slashCommandBody } from '../src/simulator/sign-request.js';
import { startSlackApi, type SlackApi } from '../src/simulator/slack-api.js';
import { type BenchRow, formatTable, percentile } from './table.js';

/**
 * The app as production runs it, compiled, in its own process (`node --max-semi-space-size=4 dist/main.js`, as
 * `npm start` and the Dockerfile's CMD; built first if src/ changed),
 * between a local Slack Web API and the NetEase emulator at NetEase's real limit (100/s, 416 + 10 s block):
 *
 * - start-up time to a healthy /healthz and to a ready /readyz (Slack and NetEase reached; target < 1 s);
 * - ten seconds of mixed /im-user and /im-mute-status commands offered at twice the budget: NetEase calls/s
 *   achieved (≥ 0.95 × budget), 416s (0), and the p99 queue wait (command sent → its call arriving at NetEase);
 * - resident set after start and after a round of work (target < 150 MB), and its growth over a second round.
 *
 * A round: 50 concurrent /im-user, answers for 1, 10 and 200 accids, one 10,000-accid /im-user, and the mixed load.
 *
 * BENCH_HEAP=1 adds the live heap after a full GC at each of the three points (bench/heap-probe.mjs, --expose-gc): a
 * leak grows it round after round, V8 headroom does not. The forced GCs change the later resident-set readings.
 */
const BUDGET = 90;
const LOAD_SECONDS = 10;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const heapProbe = process.env.BENCH_HEAP === '1';

export type App = { child: ChildProcess; eventsUrl: string; healthyMs: number; readyMs: number; signingSecret: string; heapFile: string };
type LoadResult = { callsPerSecond: number; rateLimited: number; p99WaitMs: number; unanswered: number };

export async function benchOperability(): Promise<BenchRow[]> {
  buildIfStale();
  const emulator = await startEmulator({ rateLimit: 100 });
  const slack = await startSlackApi({ people: [{ id: 'U0BENCH', name: 'Bench', role: 'member' }] });
  const dataDir = await mkdtemp(join(tmpdir(), 'im-admin-bench-'));
  let app: App | undefined;
  try {
    app = await startApp(emulator, slack, dataDir);
    const rssAtStart = await residentMb(app.child);
    const liveAtStart = await liveHeapMb(app);
    const first = await round(app, emulator, slack);
    const rssAfterRound = await residentMb(app.child);
    const liveAfterRound = await liveHeapMb(app);
    await round(app, emulator, slack);
    const rssAfterSecond = await residentMb(app.child);
    const liveAfterSecond = await liveHeapMb(app);
    const growth = rssAfterSecond - rssAfterRound;
    const heapRows: BenchRow[] =
      liveAtStart === undefined || liveAfterRound === undefined || liveAfterSecond === undefined
        ? []
        : [
            {
              name: '  live heap after a full GC: start, round 1, round 2',
              value: `${liveAtStart.toFixed(1)}, ${liveAfterRound.toFixed(1)}, ${liveAfterSecond.toFixed(1)} MB`,
              target: 'round 2 − round 1 < 10 MB',
              pass: liveAfterSecond - liveAfterRound < 10,
            },
          ];
    return [
      {
        name: 'start-up to healthy /healthz (node dist/main.js)',
        value: `${Math.round(app.healthyMs)} ms`,
        target: '< 1000 ms',
        pass: app.healthyMs < 1000,
      },
      {
        name: 'start-up to ready /readyz (Slack and NetEase reached)',
        value: `${Math.round(app.readyMs)} ms`,
        target: '< 1000 ms',
        pass: app.readyMs < 1000,
      },
      {
        name: `${LOAD_SECONDS} s of mixed commands at 2× budget: NetEase calls/s`,
        value: `${first.callsPerSecond.toFixed(1)}/s (${(first.callsPerSecond / BUDGET).toFixed(3)} × ${BUDGET})`,
        target: '≥ 0.95 × budget',
        pass: first.callsPerSecond >= 0.95 * BUDGET,
      },
      { name: '  same load: 416s from NetEase', value: String(first.rateLimited), target: '0', pass: first.rateLimited === 0 },
      {
        name: '  same load: p99 queue wait, unanswered commands',
        value: `${Math.round(first.p99WaitMs)} ms, ${first.unanswered} unanswered`,
        target: 'every command answered',
        pass: first.unanswered === 0,
      },
      { name: 'resident set after start', value: `${rssAtStart.toFixed(0)} MB`, target: '< 150 MB', pass: rssAtStart < 150 },
      {
        name: 'resident set after a round of work',
        value: `${rssAfterRound.toFixed(0)} MB`,
        target: '< 150 MB',
        pass: rssAfterRound < 150,
      },
      {
        name: 'resident set growth over a second round',
        value: `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB (${rssAfterSecond.toFixed(0)} MB)`,
        target: '< 10 MB',
        pass: growth < 10,
      },
      ...heapRows,
    ];
  } finally {
    // Wait for the app's drain to end: it closes the audit database in dataDir on the way out.
    const child = app?.child;
    if (child && child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve).kill());
    await Promise.all([emulator.close(), slack.close()]);
    await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function round(app: App, emulator: Emulator, slack: SlackApi): Promise<LoadResult> {
  await Promise.all(Array.from({ length: 50 }, (_, i) => command(app, slack, '/im-user', `zhangwei lina r${i}`)));
  for (const size of [1, 10, 200, 10_000]) {
    await command(app, slack, '/im-user', Array.from({ length: size }, (_, i) => `s${i}`).join(' '));
  }
  return mixedLoad(app, emulator, slack);
}

/** Offers 2 × budget commands a second, each making exactly one NetEase call for a unique accid. */
async function mixedLoad(app: App, emulator: Emulator, slack: SlackApi): Promise<LoadResult> {
  const tag = randomBytes(3).toString('hex');
  const sentAt = new Map<string, number>();
  const answers: Promise<unknown>[] = [];
  emulator.resetCounters();
  const started = Date.now();
  const total = 2 * BUDGET * LOAD_SECONDS;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / (2 * BUDGET);
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const accid = `m${tag}${i}`;
    sentAt.set(accid, Date.now());
    const kind = i % 3;
    answers.push(
      kind === 0
        ? command(app, slack, '/im-user', accid)
        : kind === 1
          ? command(app, slack, '/im-mute-status', `${accid} lina`)
          : command(app, slack, '/im-user', `${accid} zhangwei alice`),
    );
  }
  const ended = started + LOAD_SECONDS * 1000;
  const outcomes = await Promise.allSettled(answers);
  const waits: number[] = [];
  let inWindow = 0;
  for (const request of emulator.received) {
    if (request.endpoint !== 'user/getUinfos.action') continue;
    if (request.receivedAt >= started && request.receivedAt < ended) inWindow += 1;
    const accid = (JSON.parse(request.form.accids ?? '[]') as string[]).find((one) => one.startsWith(`m${tag}`));
    const sent = accid === undefined ? undefined : sentAt.get(accid);
    if (sent !== undefined) waits.push(request.receivedAt - sent);
  }
  return {
    callsPerSecond: inWindow / LOAD_SECONDS,
    rateLimited: emulator.count({ code: 416 }),
    p99WaitMs: percentile(waits, 99),
    unanswered: outcomes.filter((outcome) => outcome.status === 'rejected').length,
  };
}

let serial = 0;

/** Sends a signed slash command and resolves when its answer reaches the response_url, with how long the ack took. */
export async function command(app: App, slack: SlackApi, name: string, text: string): Promise<{ ackMs: number }> {
  const id = `bench-op-${++serial}`;
  const body = slashCommandBody({
    command: name,
    text,
    user_id: 'U0BENCH',
    channel_id: 'C0BENCH',
    response_url: `${slack.url}/response/${id}`,
    trigger_id: `t${serial}`,
  });
  const answered = slack.waitForResponse(id, undefined, 60_000);
  const sent = performance.now();
  const response = await fetch(app.eventsUrl, { method: 'POST', headers: signedHeaders(app.signingSecret, body), body });
  await response.arrayBuffer();
  const ackMs = performance.now() - sent;
  if (response.status !== 200) throw new Error(`${name} was not acknowledged: HTTP ${response.status}`);
  await answered;
  return { ackMs };
}

/** Builds dist/ (`npm run build`) when src/ changed since the last build, so the bench measures the code as it is. */
export function buildIfStale(): void {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

/** Starts `node dist/main.js` with its audit store in `dataDir` (AUDIT_DB, or what `env` says) and waits for /readyz. */
export async function startApp(emulator: Emulator, slack: SlackApi, dataDir: string, env: Record<string, string> = {}): Promise<App> {
  const port = await freePort();
  const signingSecret = randomBytes(16).toString('hex');
  const started = performance.now();
  const heapFile = join(dataDir, 'live-heap');
  const probeFlags = heapProbe ? ['--expose-gc', '--import', './bench/heap-probe.mjs'] : [];
  // The node flags of `npm start` and the Dockerfile's CMD (src/heap-tuning.ts).
  const child = spawn(process.execPath, [...probeFlags, '--max-semi-space-size=4', 'dist/main.js'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      NIM_APP_KEY: DEMO_APP.appKey,
      NIM_APP_SECRET: DEMO_APP.appSecret,
      NIM_BASE_URL: emulator.url,
      NIM_RATE_LIMIT: String(BUDGET),
      AUDIT_DB: join(dataDir, 'audit.db'),
      AUDIT_LOG: join(dataDir, 'audit.jsonl'),
      ...(heapProbe ? { BENCH_HEAP_FILE: heapFile } : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const until = async (path: string) => {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode} during start-up`);
      const ok = await fetch(`${base}${path}`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
      if (performance.now() - started > 30_000) throw new Error(`${path} did not answer 200 within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const healthyMs = await until('/healthz');
  const readyMs = await until('/readyz');
  return { child, eventsUrl: `${base}/slack/events`, healthyMs, readyMs, signingSecret, heapFile };
}

export async function residentMb(child: ChildProcess): Promise<number> {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1]);
  return kb / 1024;
}

/** BENCH_HEAP=1 only: the app's heap in use right after a full GC (bench/heap-probe.ts), in MB. */
async function liveHeapMb(app: App): Promise<number | undefined> {
  if (!heapProbe) return undefined;
  await rm(app.heapFile, { force: true });
  app.child.kill('SIGUSR2');
  for (let attempt = 0; attempt < 100; attempt++) {
    const bytes = await readFile(app.heapFile, 'utf8').catch(() => '');
    if (bytes !== '') return Number(bytes) / 1024 / 1024;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the app did not report its live heap within 5 s');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchOperability();
  console.log(formatTable(rows));
  process.exitCode = rows.every((row) => row.pass) ? 0 : 1;
}
