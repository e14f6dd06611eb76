import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APP, startEmulator } from '../../src/emulator/server.js';
import { startSlackApi, type SlackApi } from '../../src/simulator/slack-api.js';
import { visibleText } from '../support/app-harness.js';
import { freePort } from '../support/free-port.js';
import { sendSlashCommand } from '../support/slack-requests.js';
import { auditRecords } from '../audit/trail.js';

/**
 * The graceful stop of the real process (src/lifecycle/): SIGTERM while an update waits on NetEase (the emulator
 * holds the call). The process is `node --import tsx src/main.ts`, what the compiled dist/main.js runs too.
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const QCHAT = 'qchat/updateServerMember.action';

type AppProcess = { child: ChildProcess; url: string; output: () => string; exited: Promise<{ code: number | null; atMs: number }> };

describe('graceful drain on SIGTERM', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function setUp(drainTimeoutMs: number, holdMs: number, extraEnv: Record<string, string> = {}) {
    const emulator = await startEmulator();
    const slack = await startSlackApi({ botToken: 'xoxb-drain' });
    const dataDir = await mkdtemp(join(tmpdir(), 'im-admin-drain-'));
    cleanup.push(
      () => slack.close(),
      () => emulator.close(),
      () => rm(dataDir, { recursive: true, force: true }),
    );
    emulator.injectFault(QCHAT, { kind: 'latency', ms: holdMs }, 1);
    // The audit store's directory: its records are read from audit.db there.
    const auditLog = dataDir;
    const app = await startApp({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: 'drain-secret',
      SLACK_API_URL: slack.apiUrl,
      NIM_APP_KEY: DEMO_APP.appKey,
      NIM_APP_SECRET: DEMO_APP.appSecret,
      NIM_BASE_URL: emulator.url,
      NIM_TIMEOUT_MS: '60000',
      AUDIT_DB: join(dataDir, 'audit.db'),
      DRAIN_TIMEOUT_MS: String(drainTimeoutMs),
      ...extraEnv,
    });
    cleanup.push(async () => void app.child.kill('SIGKILL'));
    return { emulator, slack, auditLog, app };
  }

  async function startApp(env: Record<string, string>): Promise<AppProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; atMs: number }>((resolve) =>
      child.once('exit', (code) => resolve({ code, atMs: Date.now() })),
    );
    const url = `http://127.0.0.1:${port}`;
    await until(
      async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200,
      20_000,
      () => output,
    );
    return { child, url, output: () => output, exited };
  }

  /** Starts `/qchat-nick 1513535 alice <nick>` as an admin; resolves once its intent is on disk (NetEase is being asked). */
  async function updateInFlight(app: AppProcess, slack: SlackApi, auditLog: string, nick: string) {
    const ack = await sendSlashCommand(
      { eventsUrl: `${app.url}/slack/events`, signingSecret: 'drain-secret' },
      { command: '/qchat-nick', text: `1513535 alice ${nick}`, user_id: 'U0ADMIN', response_url: slack.responseUrl('update') },
    );
    expect(ack.status).toBe(200);
    await until(async () => (await records(auditLog)).some((record) => record.kind === 'intent'), 10_000, app.output);
  }

  it('finishes an update NetEase is holding: not ready at once, new requests refused, the outcome on disk before exit 0', async () => {
    const { slack, auditLog, app } = await setUp(20_000, 1500);
    await updateInFlight(app, slack, auditLog, 'Drained');

    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    await until(async () => (await fetch(`${app.url}/readyz`)).status === 503, 5000, app.output);
    const readyz = (await (await fetch(`${app.url}/readyz`)).json()) as { probes: Record<string, { reason?: string }> };
    expect(readyz.probes.draining?.reason).toMatch(/^draining/);
    const late = await sendSlashCommand(
      { eventsUrl: `${app.url}/slack/events`, signingSecret: 'drain-secret' },
      { command: '/im-user', text: 'alice', user_id: 'U0ADMIN', response_url: slack.responseUrl('late') },
    );
    expect(late.status).toBe(503);

    const { code, atMs } = await app.exited;
    expect(code).toBe(0);
    expect(atMs - signalledAt).toBeLessThan(20_000);
    const written = await records(auditLog);
    const intent = written.find((record) => record.kind === 'intent');
    expect(written.find((record) => record.kind === 'outcome' && record.id === intent?.id)).toMatchObject({ status: 'applied' });
    expect(visibleText((await slack.waitForResponse('update')).body)).toContain('Drained');
    expect(app.output()).toContain('drained: nothing left for the next start');
  });

  it("waits for a lookup NetEase is holding (it goes on after Bolt's run): the card is answered, then the drain ends", async () => {
    const { emulator, slack, app } = await setUp(20_000, 0);
    emulator.injectFault('user/getUinfos.action', { kind: 'latency', ms: 5000 }, 1);
    const ack = await sendSlashCommand(
      { eventsUrl: `${app.url}/slack/events`, signingSecret: 'drain-secret' },
      { command: '/im-user', text: 'alice', user_id: 'U0ADMIN', response_url: slack.responseUrl('lookup') },
    );
    expect(ack.status).toBe(200);
    // The emulator logs a call once it has answered it: give the lookup time to reach the 5 s hold instead.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    expect(code).toBe(0);
    expect(slack.responses('lookup')).toHaveLength(1);
    expect(visibleText(slack.responses('lookup')[0]!.body)).toContain('alice');
    // The drain waited for it: it began before the lookup was answered and ended after.
    const output = app.output();
    const at = (text: string) => output.indexOf(text);
    expect(at('draining: not ready')).toBeGreaterThan(-1);
    expect(at('lookup answered')).toBeGreaterThan(at('draining: not ready'));
    expect(at('drained: nothing left for the next start')).toBeGreaterThan(at('lookup answered'));
  });

  it('exits within DRAIN_TIMEOUT_MS when NetEase holds the call longer, and logs what it leaves for the next start', async () => {
    const { slack, auditLog, app } = await setUp(1500, 30_000);
    await updateInFlight(app, slack, auditLog, 'Held');

    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const { code, atMs } = await app.exited;
    expect(code).toBe(0);
    expect(atMs - signalledAt).toBeLessThan(1500 + 1000);
    const written = await records(auditLog);
    expect(written.filter((record) => record.kind === 'outcome')).toEqual([]);
    const leftLine = app
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => String(line.msg).startsWith('drained within 1500 ms with work left for the next start'));
    expect(leftLine).toMatchObject({ inFlight: 1 });
  });

  it('gives the audit outbox a last try: an entry waiting out a retry delay is posted, and marked, before exit', async () => {
    const { slack, auditLog, app } = await setUp(5000, 0, { AUDIT_CHANNEL: 'C0AUDIT' });
    slack.fail('chat.postMessage', 'internal_error');
    await updateInFlight(app, slack, auditLog, 'Posted');
    await slack.waitForResponse('update');
    // Three failed posts: the next retry is 4 s away, nearly the whole drain bound.
    await until(async () => slack.calls('chat.postMessage').length >= 3, 10_000, app.output);
    slack.clearFailures();

    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const { code, atMs } = await app.exited;
    expect(code).toBe(0);
    expect(atMs - signalledAt).toBeLessThan(3000);
    const posted = (await records(auditLog)).filter((record) => record.kind === 'posted');
    expect(posted).toHaveLength(1);
    expect(app.output()).toContain('drained: nothing left for the next start');
  });
});

async function records(dir: string): Promise<Record<string, unknown>[]> {
  return auditRecords(dir);
}

/** Polls `condition` (a real server's state) every 25 ms until true; fails after `timeoutMs` with the app's output. */
async function until(condition: () => Promise<boolean>, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; app output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
