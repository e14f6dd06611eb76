import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { defaultAccess } from '../src/config.js';
import { startEmulator } from '../src/emulator/server.js';
import { NimClient } from '../src/nim/client.js';
import { interactivityBody, signedHeaders, slashCommandBody } from '../src/simulator/sign-request.js';
import { startSlackApi } from '../src/simulator/slack-api.js';
import { composeSlackApp } from '../src/compose.js';
import { type BenchRow, formatTable } from './table.js';

/**
 * Moderation: `/im-mute` of 50 accounts, confirmed, through the real app between the local Slack and the NetEase
 * emulator at NetEase's real limit (100 calls per rolling second per endpoint, 10 s block), with the client's default
 * budget of 90/s. Timed from the confirmation's submission to the report in the modal.
 *
 * Floor: one read of the 50 accounts first, 50 mutes, one read back = 52 calls; the budget releases one call every
 * 1000/90 ms, so they cannot take less than 52 ÷ 90 s. Target: within 2 × the floor, and no 416 at all.
 */
const RATE = 90;
const ACCOUNTS = 50;
const ADMIN = 'U0BENCHADMIN';
const silent = pino({ level: 'silent' });

export async function benchModeration(): Promise<BenchRow[]> {
  const app = { appKey: 'bench-mod-key', appSecret: 'bench-mod-secret' };
  const accids = Array.from({ length: ACCOUNTS }, (_, i) => `spam${String(i).padStart(3, '0')}`);
  const emulator = await startEmulator({
    apps: [app],
    seed: { users: accids.map((accid) => ({ accid })), qchatServers: [] },
    rateLimit: 100,
    rateWindowMs: 1000,
    blockMs: 10_000,
  });
  const slack = await startSlackApi({ people: [{ id: ADMIN, name: 'Bench Admin', role: 'admin' }] });
  const dir = await mkdtemp(join(tmpdir(), 'im-admin-bench-mod-'));
  const nim = new NimClient({ ...app, baseUrl: emulator.url, rateLimit: RATE });
  const signingSecret = randomBytes(16).toString('hex');
  const slackApp = composeSlackApp({
    slack: { botToken: slack.botToken, signingSecret, apiUrl: slack.apiUrl },
    access: defaultAccess,
    nim,
    logger: silent,
    webApiRetries: 0,
    audit: { dbPath: join(dir, 'audit.db') },
  });
  try {
    const { url } = await slackApp.start({ port: 0, host: '127.0.0.1' });
    const events = `${url!}/slack/events`;
    const post = (body: string) =>
      fetch(events, { method: 'POST', headers: signedHeaders(signingSecret, body), body }).then((r) => r.text());
    await post(
      slashCommandBody({
        command: '/im-mute',
        text: `${accids.join(' ')} 24h bench spam wave`,
        user_id: ADMIN,
        channel_id: 'C0BENCH',
        response_url: `${slack.url}/response/bench`,
        trigger_id: 'trigger.bench',
      }),
    );
    const confirm = await slack.waitForCall(
      'views.update',
      (call) => (call.args.view as { callback_id?: string }).callback_id === 'moderation_confirm',
      15_000,
    );
    const viewId = String(confirm.args.view_id);
    const view = confirm.args.view as { private_metadata: string; callback_id: string };
    const submission = {
      type: 'view_submission',
      team: { id: 'T0SIMULATE', domain: 'simulator' },
      user: { id: ADMIN, username: ADMIN, name: ADMIN, team_id: 'T0SIMULATE' },
      api_app_id: 'A0SIMULATE',
      token: 'simulator-verification-token',
      trigger_id: 'trigger.bench.confirm',
      view: { ...view, id: viewId, type: 'modal', hash: 'bench', state: { values: {} } },
    };
    emulator.resetCounters();
    const started = performance.now();
    await post(interactivityBody(submission));
    await slack.waitForCall(
      'views.update',
      (call) => call.args.view_id === viewId && /Done/.test(JSON.stringify((call.args.view as { title?: unknown }).title)),
      60_000,
    );
    const elapsedMs = performance.now() - started;
    const calls = emulator.count();
    const limited = emulator.count({ code: 416 });
    const muted = accids.filter((accid) => emulator.getUser(accid)?.mute === true).length;
    const floorMs = (calls / RATE) * 1000;
    return [
      {
        name: `/im-mute of ${ACCOUNTS} accounts, confirm → report (${calls} NetEase calls)`,
        value: `${Math.round(elapsedMs)} ms (floor ${Math.round(floorMs)} ms)`,
        target: `≤ 2 × floor, all ${ACCOUNTS} muted`,
        pass: elapsedMs <= 2 * floorMs && muted === ACCOUNTS && calls === ACCOUNTS + 2,
      },
      { name: `416 answers during the ${ACCOUNTS}-account mute`, value: String(limited), target: '0', pass: limited === 0 },
    ];
  } finally {
    await slackApp.stop();
    await nim.close();
    await Promise.all([slack.close(), emulator.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  const rows = await benchModeration();
  console.log(formatTable(rows));
  process.exitCode = rows.every((row) => row.pass) ? 0 : 1;
}
