import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO_APP, startEmulator } from '../src/emulator/server.js';
import { interactivityBody, signedHeaders, slashCommandBody } from '../src/simulator/sign-request.js';
import { startSlackApi } from '../src/simulator/slack-api.js';
import { buildIfStale, residentMb, startApp, type App } from './operability.js';
import { type BenchRow, formatTable, percentile } from './table.js';

/**
 * Spam waves (#21), through the app as production runs it (compiled, `node dist/main.js` in its own process, started
 * by the operability bench's `startApp`) between the local Slack and the NetEase emulator, both in this process, at
 * NetEase's real limit (100 calls per rolling second, 10 s block) with the client's budget of 90/s:
 * - `/im-mute` of 1,000 accounts: confirm → the modal says Finished, against the budget's floor (every NetEase call
 *   in that time ÷ 90/s); no 416; the app process's resident set sampled throughout (peak); `/im-user` acked
 *   meanwhile (one every 100 ms); messages posted to the audit channel for it.
 * - Five people running `/im-mute-status` over the same 200 accounts within one second: getUinfos calls in all.
 * Runnable alone: `npx tsx bench/bulk.ts`.
 */
const RATE = 90;
const ACCOUNTS = 1000;
const ADMIN = 'U0BENCHADMIN';
const AUDIT = 'C0BENCHAUDIT';
const GET = 'user/getUinfos.action';

export async function benchBulk(): Promise<BenchRow[]> {
  buildIfStale();
  const accids = Array.from({ length: ACCOUNTS }, (_, i) => `wave${String(i).padStart(4, '0')}`);
  const emulator = await startEmulator({
    apps: [DEMO_APP],
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
  let app: App | undefined;
  try {
    app = await startApp(emulator, slack, dir, {
      AUDIT_CHANNEL: AUDIT,
      NIM_RATE_LIMIT: String(RATE),
      NIM_CARD_CACHE_MS: '3000',
    });
    const { child, eventsUrl, signingSecret } = app;
    const post = (body: string) =>
      fetch(eventsUrl, { method: 'POST', headers: signedHeaders(signingSecret, body), body }).then((r) => r.text());
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
    let peakRssMb = await residentMb(child);
    const acks: number[] = [];
    let running = true;
    const sampler = setInterval(() => {
      residentMb(child).then(
        (mb) => (peakRssMb = Math.max(peakRssMb, mb)),
        () => undefined, // the app exited: the batch's wait below fails and says so
      );
    }, 50);
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
        name: 'resident set of the app process during it (peak, node dist/main.js)',
        value: `${Math.round(peakRssMb)} MB`,
        target: '< 150 MB',
        pass: peakRssMb < 150,
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
    // Wait for the app's drain to end: it closes the audit database in dir on the way out.
    const child = app?.child;
    if (child && child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve).kill());
    await Promise.all([slack.close(), emulator.close()]);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  const rows = await benchBulk();
  console.log(formatTable(rows));
  process.exitCode = rows.every((row) => row.pass) ? 0 : 1;
}
