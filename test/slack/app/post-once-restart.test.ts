import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APP, startEmulator } from '../../../src/emulator/server.js';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { interactivityBody } from '../../../src/simulator/sign-request.js';
import { startSlackApi, type SlackApi } from '../../../src/simulator/slack-api.js';
import { batchActionIds } from '../../../src/slack/ids.js';
import { startAppProcess, type AppProcess } from '../../support/app-process.js';
import { clickButton, postSigned, sendSlashCommand } from '../../support/slack-requests.js';

/**
 * The window between an audit channel post and saving it, in the app's own process: the local Slack applies the
 * chat.postMessage and holds its answer (holdAnswer), the process is killed with SIGKILL there — Slack has the
 * message, the store does not know — and a new process starts on the same SQLite file. It looks in the channel's
 * history for the id the message carries and keeps that message instead of posting a second one.
 */

const ADMIN = 'U0ADMIN';
const AUDIT = 'C0AUDIT';
const MUTE = 'user/mute.action';

type Metadata = { event_type?: string; event_payload?: { id?: string } };
const metadataOf = (call: ApiCall) => call.args.metadata as Metadata | undefined;
const tagged = (kind: string) => (args: Record<string, unknown>) => (args.metadata as Metadata | undefined)?.event_type === kind;

async function until(condition: () => boolean, what: string, output: () => string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('an audit channel message whose poster died before saving it', { timeout: 90_000 }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  async function setUp() {
    // More than 50 accounts: a batch confirmed in its own modal, run in the background.
    const wave = Array.from({ length: 55 }, (_, n) => `spam${n}`);
    const emulator = await startEmulator();
    for (const accid of wave) emulator.putUser({ accid });
    const slack = await startSlackApi({ people: [{ id: ADMIN, name: 'Ada Admin', role: 'admin' }] });
    const dir = await mkdtemp(join(tmpdir(), 'im-admin-post-once-'));
    cleanups.push(
      () => rm(dir, { recursive: true, force: true }),
      () => emulator.close(),
      () => slack.close(),
    );
    const start = async () => {
      const app = await startAppProcess({
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_API_URL: slack.apiUrl,
        NIM_APP_KEY: DEMO_APP.appKey,
        NIM_APP_SECRET: DEMO_APP.appSecret,
        NIM_BASE_URL: emulator.url,
        AUDIT_DB: join(dir, 'audit.db'),
        AUDIT_CHANNEL: AUDIT,
        // A dead process's leases and claims run out in seconds (claims: twice this).
        AUDIT_LEASE_SECONDS: '3',
      });
      cleanups.push(() => app.crash());
      return app;
    };
    return { emulator, slack, wave, start };
  }

  /** An update's entry posted, its answer held, the process killed; returns the entry's id. */
  async function entryPostedThenKilled(slack: SlackApi, app: AppProcess): Promise<string> {
    const held = slack.holdAnswer('chat.postMessage', tagged('im_admin_audit_entry'));
    await sendSlashCommand(app.signer, {
      command: '/qchat-nick',
      text: '1513535 alice Posted Once',
      user_id: ADMIN,
      response_url: slack.responseUrl(),
    });
    const args = await held.arrived;
    await app.crash();
    held.release();
    return (args.metadata as Metadata).event_payload!.id!;
  }

  const postsOf = (slack: SlackApi, id: string) =>
    slack.calls('chat.postMessage').filter((call) => call.args.channel === AUDIT && metadataOf(call)?.event_payload?.id === id);

  it('an entry: the next process finds its message in the channel and does not post it again', async () => {
    const { slack, start } = await setUp();
    const id = await entryPostedThenKilled(slack, await start());
    expect(postsOf(slack, id)).toHaveLength(1);

    const second = await start();
    await until(
      () => second.output().includes('found the entry posted by a process that died'),
      'the entry adopted',
      () => second.output(),
    );
    const looked = slack.calls('conversations.history');
    expect(looked.length).toBeGreaterThan(0);
    expect(looked[0]!.args).toMatchObject({ channel: AUDIT, include_all_metadata: 'true' });
    // Settled for good: a further round (every 5 s) posts nothing more.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(postsOf(slack, id)).toHaveLength(1);
  });

  it('without channels:history: the entry is posted again (at least once), the missing scope logged once', async () => {
    const { slack, start } = await setUp();
    const id = await entryPostedThenKilled(slack, await start());
    slack.setScopes(['commands', 'chat:write', 'chat:write.public', 'users:read', 'usergroups:read', 'im:write', 'files:read']);

    const second = await start();
    await until(
      () => postsOf(slack, id).length === 2,
      'the entry posted again',
      () => second.output(),
    );
    const warnings = second
      .output()
      .split('\n')
      .filter((line) => line.includes('lacks the channels:history scope'));
    expect(warnings).toHaveLength(1);
  });

  it('a batch: the interrupted notice is a reply under its one message, and Continue updates that message', async () => {
    const { emulator, slack, wave, start } = await setUp();
    const first = await start();
    const held = slack.holdAnswer('chat.postMessage', tagged('im_admin_run'));
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
        trigger_id: 'trigger.post-once.confirm',
        view: { ...view, id: String(confirm.args.view_id), type: 'modal', hash: 'post-once', state: { values: {} } },
      }),
    );
    const posted = await held.arrived;
    await first.crash();
    held.release();
    const batchId = (posted.metadata as Metadata).event_payload!.id!;
    const topLevel = () => postsOf(slack, batchId).filter((call) => call.args.thread_ts === undefined);
    const [message] = topLevel();
    const ts = message!.answer?.ts as string;
    expect(emulator.count({ endpoint: MUTE })).toBe(0);

    const second = await start();
    const notice = await slack.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === AUDIT && String(call.args.reply_broadcast) === 'true',
      30_000,
    );
    expect(notice.args.thread_ts).toBe(ts);
    expect(JSON.stringify(notice.args.blocks)).toContain('interrupted');
    // No message of its own for the notice: the channel's only top-level messages are that batch's one.
    const inChannel = slack.calls('chat.postMessage').filter((call) => call.args.channel === AUDIT && call.args.thread_ts === undefined);
    expect(inChannel.map((call) => call.answer?.ts)).toEqual([ts]);

    await clickButton(second.signer, {
      userId: ADMIN,
      actionId: batchActionIds.continue,
      value: batchId,
      responseUrl: slack.responseUrl(),
    });
    await until(
      () => emulator.count({ endpoint: MUTE }) === wave.length,
      'the batch continued',
      () => second.output(),
    );
    await until(
      () => slack.calls('chat.update').some((call) => call.args.ts === ts && !JSON.stringify(call.args.blocks).includes('Running')),
      'the final update of its message',
      () => second.output(),
    );
    expect(topLevel()).toHaveLength(1);
  });
});
