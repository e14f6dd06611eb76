#!/usr/bin/env node
// Boots the compiled app with plain `node` (no TypeScript loader) in every mode and checks it answers:
//
//   node scripts/check-compiled.mjs [app directory, default .]
//
// - local mode (no settings): /healthz, /readyz, the simulator page and its web assets;
// - the NetEase emulator (`dist/emulator/main.js`), which then plays NetEase for:
// - HTTP mode: a signed /im-user answered through its response_url;
// - Socket Mode: the same command delivered over the WebSocket;
// and that each process exits with 0 soon after SIGTERM. The local Slack Web API and the request signing come from
// the same compiled dist/ (src/simulator/). CI runs this on a clean build (.ci/run, scripts/check-dockerfile.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const appDir = resolve(process.argv[2] ?? '.');
const dist = (path) => pathToFileURL(join(appDir, 'dist', path)).href;
const dataDir = mkdtempSync(join(tmpdir(), 'im-admin-compiled-'));
const { startSlackApi } = await import(dist('simulator/slack-api.js'));
const { signedHeaders, slashCommandBody } = await import(dist('simulator/sign-request.js'));
const children = new Set();

try {
  await check('local mode: /healthz, /readyz, the simulator page and its assets', async () => {
    const app = await startApp({});
    await expectOk(app.url, '/readyz');
    await expectBody(app.url, '/', 'text/html', '<html');
    await expectBody(app.url, '/sim/app.js', 'javascript', 'import');
    await expectBody(app.url, '/sim/style.css', 'text/css', '{');
    await app.stop();
  });

  const emulatorPort = await freePort();
  const emulator = await check('the NetEase emulator (dist/emulator/main.js)', async () => {
    const child = launch(['dist/emulator/main.js', '--port', String(emulatorPort)], {});
    await waitFor(`http://127.0.0.1:${emulatorPort}/nimserver`, child, () => true);
    return child;
  });
  const slack = await startSlackApi({});
  const nimEnv = {
    NIM_APP_KEY: 'demo-app-key',
    NIM_APP_SECRET: 'demo-app-secret',
    NIM_BASE_URL: `http://127.0.0.1:${emulatorPort}/nimserver`,
  };
  const slackEnv = { SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: 'check-compiled-secret', SLACK_API_URL: slack.apiUrl };

  await check('HTTP mode: a signed /im-user is answered from the emulator', async () => {
    const app = await startApp({ ...slackEnv, ...nimEnv });
    const body = slashCommandBody({
      command: '/im-user',
      text: 'alice',
      user_id: 'U0MEMBER',
      channel_id: 'C0GENERAL',
      response_url: slack.responseUrl('http'),
      trigger_id: 'check-compiled',
    });
    const ack = await fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: signedHeaders(slackEnv.SLACK_SIGNING_SECRET, body),
      body,
    });
    if (ack.status !== 200) throw new Error(`/slack/events answered ${ack.status}`);
    await expectAnswer(slack, 'http', app);
    await app.stop();
  });

  await check('Socket Mode: a command over the WebSocket is answered', async () => {
    const app = await startApp({ ...slackEnv, ...nimEnv, SLACK_APP_TOKEN: slack.appToken });
    await slack.socketMode.connected();
    await slack.socketMode.deliver('slash_commands', {
      command: '/im-user',
      text: 'alice',
      user_id: 'U0MEMBER',
      channel_id: 'C0GENERAL',
      team_id: 'T0SIMULATE',
      response_url: slack.responseUrl('socket'),
      trigger_id: 'check-compiled',
    });
    await expectAnswer(slack, 'socket', app);
    await app.stop();
  });

  emulator.kill('SIGTERM');
  await slack.close();
  process.stdout.write('compiled app: every mode answered\n');
} catch (error) {
  process.stderr.write(`compiled app check failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
// The local Slack's Socket Mode heartbeat and keep-alive sockets would hold the process open.
process.exit(process.exitCode ?? 0);

async function check(name, run) {
  const started = Date.now();
  const result = await run();
  process.stdout.write(`ok  ${name} (${Date.now() - started} ms)\n`);
  return result;
}

/** Starts `node dist/main.js` with `env` on a free port; resolves once /healthz and /readyz answer 200. */
async function startApp(env) {
  const port = await freePort();
  const child = launch(['dist/main.js'], { PORT: String(port), AUDIT_DB: join(dataDir, `audit-${port}.db`), ...env });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/healthz`, child, (answer) => answer.status === 200);
  // The port opens before Slack and NetEase are reached; requests are taken once /readyz says so.
  await waitFor(`${url}/readyz`, child, (answer) => answer.status === 200);
  return {
    url,
    output: () => child.output,
    async stop() {
      const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
      child.kill('SIGTERM');
      const { code, signal } = await withTimeout(exited, 30_000, 'the app did not exit within 30 s of SIGTERM');
      if (code !== 0) throw new Error(`the app exited with ${code ?? signal} after SIGTERM\n${child.output}`);
    },
  };
}

function launch(args, env) {
  // Only what the app needs from the environment: no SLACK_* or NIM_* of the machine running the check.
  const child = spawn(process.execPath, args, {
    cwd: appDir,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.output = '';
  const keep = (chunk) => {
    child.output = (child.output + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Polls `url` until `accept(answer)`; fails at once if the process exits, or after 20 s. */
async function waitFor(url, child, accept) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${child.spawnargs.join(' ')} exited with ${child.exitCode}\n${child.output}`);
    const answer = await fetch(url).catch(() => undefined);
    if (answer && accept(answer)) return answer;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} did not answer within 20 s\n${child.output}`);
}

async function expectOk(url, path) {
  const answer = await fetch(`${url}${path}`);
  if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`);
}

async function expectBody(url, path, contentType, snippet) {
  const answer = await fetch(`${url}${path}`);
  const text = await answer.text();
  const type = answer.headers.get('content-type') ?? '';
  if (answer.status !== 200 || !type.includes(contentType) || !text.includes(snippet)) {
    throw new Error(`${path} answered ${answer.status} (${type}), expected ${contentType} with "${snippet}"`);
  }
}

async function expectAnswer(slack, id, app) {
  const post = await slack.waitForResponse(id, undefined, 15_000);
  const shown = JSON.stringify(post.body);
  if (!shown.includes('Alice Chen')) throw new Error(`the answer does not show alice's card: ${shown}\n${app.output()}`);
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([promise, new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(message)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}
