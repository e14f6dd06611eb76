import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { composeSlackApp } from '../src/compose.js';
import { defaultAccess } from '../src/config.js';
import { startEmulator } from '../src/emulator/server.js';
import { NimClient } from '../src/nim/client.js';
import { interactivityBody, signedHeaders, slashCommandBody } from '../src/simulator/sign-request.js';
import { startSlackApi } from '../src/simulator/slack-api.js';
import { type BenchRow, formatTable, percentile } from './table.js';

/**
 * Spam waves (#21), through the real app between the local Slack and the NetEase emulator at NetEase's real limit
 * (100 calls per rolling second, 10 s block) with the client's budget of 90/s:
 * - `/im-mute` of 1,000 accounts: confirm → the modal says Finished, against the budget's floor (every NetEase call
 *   in that time ÷ 90/s); no 416; the process's resident set sampled throughout; `/im-user` acked meanwhile (one every
 *   100 ms); messages posted to the audit channel for it.
 * - Five people running `/im-mute-status` over the same 200 accounts within one second: getUinfos calls in all.
 * Runnable alone: `npx tsx bench/bulk.ts`.
 */
const RATE = 90;
const ACCOUNTS = 1000;
const ADMIN = 'U0BENCHADMIN';
const AUDIT = 'C0BENCHAUDIT';
const GET = 'user/getUinfos.action';
const silent = pino({ level: 'silent' });

export async function benchBulk(): Promise<BenchRow[]> {
  const app = { appKey: 'bench-bulk-key', appSecret: 'bench-bulk-secret' };
  const accids = Array.from({ length: ACCOUNTS }, (_, i) => `wave${String(i).padStart(4, '0')}`);
  const emulator = await startEmulator({
    apps: [app],
    seed: { users: [...accids, 'bystander'].map((accid) => ({ accid })), qchatServers: [] },
    rateLimit: 100,
    rateWindowMs: 1000,
    blockMs: 10_000,
  });
  const people = [ADMIN, 'U0BENCH1', 'U0BENCH2', 'U0BENCH3', 'U0BENCH4'].map((id, n) => ({
    id,
    name: `Bench ${n}`,
    role: 'admin' as const,
  }));
  const slack = await startSlackApi({ people });
  const dir = await mkdtemp(join(tmpdir(), 'im-admin-bench-bulk-'));
  const nim = new NimClient({ ...app, baseUrl: emulator.url, rateLimit: RATE, cardCacheMs: 3000 });
  const signingSecret = randomBytes(16).toString('hex');
  const slackApp = composeSlackApp({
    slack: { botToken: slack.botToken, signingSecret, apiUrl: slack.apiUrl },
    access: defaultAccess,
    nim,
    logger: silent,
    webApiRetries: 0,
    audit: { dbPath: join(dir, 'audit.db'), channel: AUDIT },
  });
  try {
    const { url } = await slackApp.start({ port: 0, host: '127.0.0.1' });
    const events = `${url!}/slack/events`;
    const post = (body: string) =>
      fetch(events, { method: 'POST', headers: signedHeaders(signingSecret, body), body }).then((r) => r.text());
    let n = 0;
    const command = (name: string, text: string, user = ADMIN) =>
      post(
        slashCommandBody({
          command: name,
          text,
          user_id: user,
          channel_id: 'C0BENCH',
          response_url: slack.responseUrl(`bench-${++n}`),
          trigger_id: `trigger.bench.${n}`,
        }),
      );

    // ── Five people, the same 200 accounts, within one second ──
    const wave200 = accids.slice(0, 200).join(' ');
    emulator.resetCounters();
    await Promise.all(
      people.map((person, i) =>
        new Promise((resolve) => setTimeout(resolve, i * 150)).then(() => command('/im-mute-status', wave200, person.id)),
      ),
    );
    await Promise.all(people.map((_, i) => slack.waitForResponse(`bench-${i + 1}`, undefined, 30_000)));
    const sharedReads = emulator.count({ endpoint: GET });

    // ── Mute 1,000 ──
    await new Promise((resolve) => setTimeout(resolve, 3100)); // the cards of the first row expire
    await command('/im-mute', `${accids.join(' ')} 24h bench spam wave`);
    const confirm = await slack.waitForCall(
      'views.update',
      (call) => (call.args.view as { callback_id?: string }).callback_id === 'moderation_batch_confirm',
      20_000,
    );
    const viewId = String(confirm.args.view_id);
    const view = confirm.args.view as Record<string, unknown>;
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
    const auditBefore = slack.calls('chat.postMessage').filter((call) => call.args.channel === AUDIT).length;
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const acks: number[] = [];
    let running = true;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const otherCommands = (async () => {
      while (running) {
        const sent = performance.now();
        await command('/im-user', 'bystander', 'U0BENCH1');
        acks.push(performance.now() - sent);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const started = performance.now();
    await post(interactivityBody(submission));
    await slack.waitForCall(
      'views.update',
      (call) => call.args.view_id === viewId && /Finished/.test(JSON.stringify(call.args.view)),
      120_000,
    );
    const elapsedMs = performance.now() - started;
    running = false;
    await otherCommands;
    clearInterval(sampler);
    const calls = emulator.count();
    const limited = emulator.count({ code: 416 });
    const muted = accids.filter((accid) => emulator.getUser(accid)?.mute === true).length;
    // Wait for the last replies and the final update to leave.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const auditPosts = slack.calls('chat.postMessage').filter((call) => call.args.channel === AUDIT).length - auditBefore;
    const floorMs = (calls / RATE) * 1000;
    const ackP99 = percentile(acks, 99);
    return [
      {
        name: `/im-mute of ${ACCOUNTS} accounts, confirm → last done (${calls} NetEase calls)`,
        value: `${Math.round(elapsedMs)} ms (floor ${Math.round(floorMs)} ms, ${(elapsedMs / floorMs).toFixed(3)}×)`,
        target: `≤ 1.05 × floor, all ${ACCOUNTS} muted`,
        pass: elapsedMs <= 1.05 * floorMs && muted === ACCOUNTS,
      },
      { name: `416 answers during the ${ACCOUNTS}-account mute`, value: String(limited), target: '0', pass: limited === 0 },
      {
        name: 'resident set during it (peak)',
        value: `${Math.round(peakRss / 2 ** 20)} MB`,
        target: '< 150 MB',
        pass: peakRss < 150 * 2 ** 20,
      },
      {
        name: `acks of /im-user meanwhile (${acks.length}), p99`,
        value: `${Math.round(ackP99)} ms`,
        target: '< 1000 ms',
        pass: acks.length > 0 && ackP99 < 1000,
      },
      {
        name: 'messages posted to the audit channel for it',
        value: String(auditPosts),
        target: '≤ 12',
        pass: auditPosts >= 1 && auditPosts <= 12,
      },
      {
        name: 'five /im-mute-status over the same 200 accounts within 1 s: getUinfos calls',
        value: String(sharedReads),
        target: '≤ 2',
        pass: sharedReads >= 1 && sharedReads <= 2,
      },
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
  const rows = await benchBulk();
  console.log(formatTable(rows));
  process.exitCode = rows.every((row) => row.pass) ? 0 : 1;
}
