import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APP, startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';
import { interactivityBody } from '../../src/simulator/sign-request.js';
import { startSlackApi, type SlackApi } from '../../src/simulator/slack-api.js';
import { batchActionIds } from '../../src/slack/ids.js';
import { auditRecords } from '../audit/trail.js';
import { messageComesToRead, messageNow } from '../slack/app/posted-message.js';
import { visibleText } from '../support/app-harness.js';
import { startAppProcess, type AppProcess } from '../support/app-process.js';
import { clickButton, postSigned, sendSlashCommand } from '../support/slack-requests.js';

/**
 * SIGTERM while a batch runs, in the app's own process (`node --import tsx src/main.ts`): the drain stops the batch at
 * its next safe point — the calls in flight answered and recorded, nothing more sent — and the next start reports it
 * as interrupted, with what was done and Continue, which does the rest, each account once.
 */

const ADMIN = 'U0ADMIN';
const AUDIT = 'C0AUDIT';
const MUTE = 'user/mute.action';
const COUNT = 600;
const wave = Array.from({ length: COUNT }, (_, i) => `spam${i}`);

describe('a batch when its process is asked to stop (SIGTERM)', { timeout: 90_000 }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  async function startApp(emulator: Emulator, slack: SlackApi, dir: string): Promise<AppProcess> {
    const app = await startAppProcess({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      NIM_APP_KEY: DEMO_APP.appKey,
      NIM_APP_SECRET: DEMO_APP.appSecret,
      NIM_BASE_URL: emulator.url,
      NIM_RATE_LIMIT: '150',
      AUDIT_DB: join(dir, 'audit.db'),
      AUDIT_CHANNEL: AUDIT,
    });
    cleanups.push(() => app.crash());
    return app;
  }

  it('stops at a safe point within the grace period; the next start reports it with Continue; every account once', async () => {
    const emulator = await startEmulator({ seed: { users: wave.map((accid) => ({ accid })), qchatServers: [] }, rateLimit: 100_000 });
    const slack = await startSlackApi({ people: [{ id: ADMIN, name: 'Ada Admin', role: 'admin' }] });
    const dir = await mkdtemp(join(tmpdir(), 'im-admin-batch-sigterm-'));
    cleanups.push(
      () => rm(dir, { recursive: true, force: true }),
      () => emulator.close(),
      () => slack.close(),
    );
    const first = await startApp(emulator, slack, dir);
    await sendSlashCommand(first.signer, {
      command: '/im-mute',
      text: `${wave.join(' ')} 24h spam wave`,
      user_id: ADMIN,
      response_url: slack.responseUrl(),
    });
    const confirm = await slack.waitForCall(
      'views.update',
      (call) => (call.args.view as { callback_id?: string }).callback_id === 'moderation_batch_confirm',
      20_000,
    );
    const view = confirm.args.view as Record<string, unknown>;
    await postSigned(
      first.signer,
      interactivityBody({
        type: 'view_submission',
        team: { id: 'T0SIMULATE', domain: 'simulator' },
        user: { id: ADMIN, username: ADMIN, name: ADMIN, team_id: 'T0SIMULATE' },
        api_app_id: 'A0SIMULATE',
        token: 'simulator-verification-token',
        trigger_id: 'trigger.sigterm.confirm',
        view: { ...view, id: String(confirm.args.view_id), type: 'modal', hash: 'sigterm', state: { values: {} } },
      }),
    );
    while (emulator.count({ endpoint: MUTE }) < 150) await new Promise((resolve) => setTimeout(resolve, 5));

    const asked = Date.now();
    first.child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => first.child.once('exit', (exitCode) => resolve(exitCode)));
    // Well within DRAIN_TIMEOUT_MS (25 s): it did not wait for the other ~450 accounts at 150 a second.
    expect(Date.now() - asked).toBeLessThan(2500);
    expect(code).toBe(0);
    const sent = emulator.count({ endpoint: MUTE });
    expect(sent).toBeLessThan(COUNT);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(emulator.count({ endpoint: MUTE })).toBe(sent);

    // Every intent stored got its outcome: what was sent is applied (none left unknown), what was not is not applied.
    const records = await auditRecords(dir);
    const intents = records.filter((record) => record.kind === 'intent');
    const outcomes = new Map(records.filter((record) => record.kind === 'outcome').map((record) => [record.id as string, record]));
    expect(intents.every((intent) => outcomes.has(intent.id as string))).toBe(true);
    const muted = new Set(emulator.received.filter((call) => call.endpoint === MUTE).map((call) => call.form.accid));
    for (const intent of intents) {
      const accid = (intent.target as { accid: string }).accid;
      const status = (outcomes.get(intent.id as string) as { status: string }).status;
      expect([accid, status]).toEqual([accid, muted.has(accid) ? 'applied' : 'not_applied']);
    }
    expect(records.filter((record) => (record as { status?: string }).status === 'unknown')).toEqual([]);
    // The batch's one audit channel message, as it stands once the process has exited: paused, not "Running".
    const top = slack.calls('chat.postMessage').find((call) => call.args.channel === AUDIT && call.args.thread_ts === undefined)!;
    const paused = visibleText(messageNow(slack, top));
    expect(paused).toMatch(
      new RegExp(`Paused by a shutdown of im-admin.*The next start offers to continue the rest. · ${COUNT} of ${COUNT} — ${sent} done`),
    );
    expect(paused).not.toMatch(/Running/);

    const second = await startApp(emulator, slack, dir);
    const notice = await slack.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === ADMIN && JSON.stringify(call.args.blocks ?? []).includes(batchActionIds.continue),
      20_000,
    );
    expect(JSON.stringify(notice.args.blocks)).toMatch(new RegExp(`interrupted.*${sent} done`));
    const batchId = /"value":"([^"]+)"/.exec(JSON.stringify(notice.args.blocks))![1]!;
    await messageComesToRead(slack, top, /Interrupted ·/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(emulator.count({ endpoint: MUTE })).toBe(sent);

    await clickButton(second.signer, {
      userId: ADMIN,
      actionId: batchActionIds.continue,
      value: batchId,
      responseUrl: slack.responseUrl(),
    });
    const until = Date.now() + 30_000;
    while (emulator.count({ endpoint: MUTE }) < COUNT && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    const per = new Map<string, number>();
    for (const call of emulator.received) if (call.endpoint === MUTE) per.set(call.form.accid!, (per.get(call.form.accid!) ?? 0) + 1);
    expect(per.size).toBe(COUNT);
    expect([...per.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(wave.every((accid) => emulator.getUser(accid)?.mute === true)).toBe(true);
    // The person is told once when the continued run ends; the message ends on its final counts.
    const ends = () => slack.calls().filter((call) => /Finished: mute of 600 accounts/.test(String(call.args.text)));
    await expect.poll(() => ends().length, { timeout: 15_000 }).toBe(1);
    await messageComesToRead(slack, top, new RegExp(`Finished · ${COUNT} of ${COUNT} — ${COUNT} done`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ends()).toHaveLength(1);
  });
});
