import { defaultAccess } from '../src/config.js';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, HTTPReceiver } from '@slack/bolt';
import { pino } from 'pino';
import { DEMO_APP, startEmulator } from '../src/emulator/server.js';
import { NimClient } from '../src/nim/client.js';
import { signedHeaders, slashCommandBody } from '../src/simulator/sign-request.js';
import { startSlackApi } from '../src/simulator/slack-api.js';
import { composeSlackApp } from '../src/compose.js';
import { boltLogger } from '../src/logger.js';
import { benchFlood } from './flood.js';
import { type BenchRow, formatTable, percentile } from './table.js';

/**
 * The Slack side on loopback: the app between the local Slack Web API and the NetEase emulator.
 *
 * 1. Ack latency of 50 concurrent /im-user commands, against the app and against a bare Bolt app that only acks,
 *    interleaved in the same run so both see the same machine. Target: app p99 ≤ 1.5 × bare p99 — acking first
 *    means the NetEase work must not slow the ack down.
 * 2. Command → rendered answer (the response_url post received) for 1, 10 and 200 accids, one at a time.
 * 3. Acks of real commands while 200 unsigned 4 MB bodies arrive (bench/flood.ts).
 *
 * Three kinds of process, as in production where Slack and NetEase are elsewhere: this one only sends and times;
 * a "stubs" process plays Slack and NetEase; each app runs in its own. (This file, started again with `--serve`.)
 */
const CONCURRENT = 50;
const ROUNDS = 6;
const ANSWER_RUNS = 15;
const USERS = 300;
const silent = pino({ level: 'silent' });

type StubsReady = { kind: 'ready'; slackUrl: string; apiUrl: string; botToken: string; nimUrl: string };
type AppReady = { kind: 'ready'; eventsUrl: string };
type Target = { eventsUrl: string; signingSecret: string };

export async function benchSlack(): Promise<BenchRow[]> {
  const stubs = await startChild<StubsReady>(['stubs'], {});
  const answers = new AnswerWaiter(stubs.child);
  const env = { BENCH_SLACK_API: stubs.ready.apiUrl, BENCH_BOT_TOKEN: stubs.ready.botToken, BENCH_NIM_URL: stubs.ready.nimUrl };
  const real = await startApp('real', env);
  const bare = await startApp('bare', env);
  const responseUrl = (id: string) => `${stubs.ready.slackUrl}/response/${id}`;
  try {
    // Warm up both (JIT, keep-alive connections, the auth.test and users.info caches).
    for (let i = 0; i < 3; i++) {
      await answers.all((await burst(real, 10, responseUrl)).responseIds);
      await burst(bare, 10, responseUrl);
    }
    const realAcks: number[] = [];
    const bareAcks: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bareAcks.push(...(await burst(bare, CONCURRENT, responseUrl)).acks);
      const round = await burst(real, CONCURRENT, responseUrl);
      realAcks.push(...round.acks);
      await answers.all(round.responseIds);
    }
    const realP99 = percentile(realAcks, 99);
    const bareP99 = percentile(bareAcks, 99);
    const rows: BenchRow[] = [
      {
        name: `ack, ${CONCURRENT} concurrent /im-user (bare Bolt app)`,
        value: `p50 ${ms(percentile(bareAcks, 50))}, p99 ${ms(bareP99)}`,
        target: 'reference',
        pass: true,
      },
      {
        name: `ack, ${CONCURRENT} concurrent /im-user (im-admin)`,
        value: `p50 ${ms(percentile(realAcks, 50))}, p99 ${ms(realP99)} (${(realP99 / bareP99).toFixed(2)}× bare)`,
        target: `p99 ≤ 1.5× bare (${ms(1.5 * bareP99)}), < 3000 ms`,
        pass: realP99 <= 1.5 * bareP99 && realP99 < 3000,
      },
    ];
    for (const [count, targetMs] of [
      [1, 300],
      [10, 300],
      [200, 1000],
    ] as const) {
      const text = Array.from({ length: count }, (_, i) => `user${i}`).join(' ');
      const times: number[] = [];
      for (let run = 0; run < ANSWER_RUNS; run++) {
        const started = performance.now();
        const { responseId } = await send(real, text, responseUrl);
        await answers.one(responseId);
        times.push(performance.now() - started);
      }
      rows.push({
        name: `command → answer, ${count} accid${count === 1 ? '' : 's'} (emulator)`,
        value: `p50 ${ms(percentile(times, 50))}, max ${ms(Math.max(...times))}`,
        target: `p50 ≤ ${targetMs} ms`,
        pass: percentile(times, 50) <= targetMs,
      });
    }
    rows.push(
      ...(await benchFlood(
        real.eventsUrl,
        () => send(real, 'user1', responseUrl),
        (ids) => answers.all(ids),
      )),
    );
    return rows;
  } finally {
    for (const child of [real.child, bare.child, stubs.child]) child.kill();
  }
}

let serial = 0;

/** Sends `n` commands at once; resolves with each one's ack time in ms and response id. */
async function burst(target: Target, n: number, responseUrl: (id: string) => string) {
  const sent = await Promise.all(Array.from({ length: n }, () => send(target, 'user1 user2 user3', responseUrl)));
  return { acks: sent.map((one) => one.ackMs), responseIds: sent.map((one) => one.responseId) };
}

async function send(target: Target, text: string, responseUrl: (id: string) => string) {
  const responseId = `bench-${++serial}`;
  const body = slashCommandBody({
    command: '/im-user',
    text,
    user_id: 'U0BENCH',
    channel_id: 'C0BENCH',
    response_url: responseUrl(responseId),
    trigger_id: `t${serial}`,
  });
  const started = performance.now();
  const response = await fetch(target.eventsUrl, { method: 'POST', headers: signedHeaders(target.signingSecret, body), body });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`ack answered HTTP ${response.status}`);
  return { ackMs: performance.now() - started, responseId };
}

/** Asks the stubs process to report when a response_url post arrives. */
class AnswerWaiter {
  private readonly pending = new Map<string, () => void>();
  constructor(private readonly stubs: ChildProcess) {
    stubs.on('message', (message: { kind: string; id?: string }) => {
      if (message.kind === 'answered' && message.id) this.pending.get(message.id)?.();
    });
  }
  one(id: string): Promise<void> {
    return new Promise((resolve) => {
      this.pending.set(id, () => {
        this.pending.delete(id);
        resolve();
      });
      this.stubs.send({ kind: 'wait', id });
    });
  }
  all(ids: string[]): Promise<void> {
    return Promise.all(ids.map((id) => this.one(id))).then(() => undefined);
  }
}

async function startApp(kind: 'real' | 'bare', env: Record<string, string>): Promise<Target & { child: ChildProcess }> {
  const signingSecret = randomBytes(16).toString('hex');
  const { child, ready } = await startChild<AppReady>([kind], { ...env, BENCH_SIGNING_SECRET: signingSecret });
  return { child, eventsUrl: ready.eventsUrl, signingSecret };
}

function startChild<T>(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', ...args], {
    execArgv: [
      ...(process.env.BENCH_CPU_PROF && args[0] === 'real' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '--import',
      'tsx',
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (ready: T) => resolve({ child, ready }));
    child.once('exit', (code) => reject(new Error(`bench child ${args.join(' ')} exited with ${code}`)));
  });
}

/** In a child process: play Slack and NetEase, or serve one app, until killed. */
async function serve(kind: string): Promise<void> {
  const env = process.env as Record<string, string>;
  const send = (message: object) => process.send!(message);
  // Exit normally on kill, so a --cpu-prof profile is written.
  process.once('SIGTERM', () => process.exit(0));
  if (kind === 'stubs') {
    const seed = {
      users: Array.from({ length: USERS }, (_, i) => ({
        accid: `user${i}`,
        name: `User ${i}`,
        icon: `https://example.com/a/${i}.png`,
        gender: (i % 3) as 0 | 1 | 2,
        valid: true,
      })),
      qchatServers: [],
    };
    const emulator = await startEmulator({ seed });
    const slack = await startSlackApi({ people: [{ id: 'U0BENCH', name: 'Bench', role: 'member' }] });
    process.on('message', (message: { kind: string; id: string }) => {
      if (message.kind === 'wait')
        void slack.waitForResponse(message.id, undefined, 30_000).then(() => send({ kind: 'answered', id: message.id }));
    });
    send({ kind: 'ready', slackUrl: slack.url, apiUrl: slack.apiUrl, botToken: slack.botToken, nimUrl: emulator.url } satisfies StubsReady);
    return;
  }
  const slack = { botToken: env.BENCH_BOT_TOKEN!, signingSecret: env.BENCH_SIGNING_SECRET!, apiUrl: env.BENCH_SLACK_API! };
  const eventsUrl = kind === 'real' ? await serveRealApp(slack, env.BENCH_NIM_URL!) : await serveBareApp(slack);
  send({ kind: 'ready', eventsUrl } satisfies AppReady);
}

async function serveRealApp(slack: { botToken: string; signingSecret: string; apiUrl: string }, nimUrl: string): Promise<string> {
  const app = composeSlackApp({
    slack,
    access: defaultAccess,
    nim: new NimClient({ ...DEMO_APP, baseUrl: nimUrl }),
    logger: silent,
    webApiRetries: 0,
  });
  const { url } = await app.start({ port: 0, host: '127.0.0.1' });
  return `${url!}/slack/events`;
}

/** The floor: Bolt with the same receiver settings and a listener that only acks. */
async function serveBareApp(slack: { botToken: string; signingSecret: string; apiUrl: string }): Promise<string> {
  const logger = boltLogger(silent);
  const receiver = new HTTPReceiver({ signingSecret: slack.signingSecret, processBeforeResponse: false, logger });
  const app = new App({
    token: slack.botToken,
    receiver,
    logger,
    clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
  });
  app.command('/im-user', async ({ ack }) => {
    await ack();
  });
  const server = await receiver.start({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}

const ms = (value: number) => `${Math.round(value)} ms`;

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
const serveIndex = process.argv.indexOf('--serve');
if (isEntry && serveIndex > 0) {
  await serve(process.argv[serveIndex + 1] ?? 'real');
} else if (isEntry) {
  const rows = await benchSlack();
  console.log(formatTable(rows));
  process.exitCode = rows.every((row) => row.pass) ? 0 : 1;
}
