import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APP, startEmulator } from '../../../src/emulator/server.js';
import type { Emulator } from '../../../src/emulator/types.js';
import { callbackIds, rollbackActionIds } from '../../../src/slack/ids.js';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { startSlackApi, type SlackApi } from '../../../src/simulator/slack-api.js';
import { visibleText } from '../../support/app-harness.js';
import { startAppProcess, type AppProcess } from '../../support/app-process.js';
import { clickButton, postSigned } from '../../support/slack-requests.js';
import { ACCOUNTS, accid, ROGUE, seedRogueChanges, submission, viewOf, waitFor } from './rollback-process.js';

const AUDIT_CHANNEL = 'C0AUDIT';
const LEAD = 'U0ADMIN';
const UPDATE = 'user/updateUinfo.action';

/** A rollback in a real app process, killed with SIGKILL part-way, and the app started again on the same SQLite file. */
describe('a rollback a dead process left', () => {
  let emulator: Emulator;
  let slack: SlackApi;
  let dir: string;
  const apps: AppProcess[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await Promise.all([emulator.close(), slack.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is reported at the next start with what was done, continues only when asked, and undoes each change left exactly once', async () => {
    [emulator, slack] = await Promise.all([startEmulator(), startSlackApi()]);
    dir = mkdtempSync(join(tmpdir(), 'im-admin-rollback-restart-'));
    const path = join(dir, 'audit.db');
    await seedRogueChanges(path, emulator);
    const env = {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      NIM_APP_KEY: DEMO_APP.appKey,
      NIM_APP_SECRET: DEMO_APP.appSecret,
      NIM_BASE_URL: emulator.url,
      AUDIT_DB: path,
      AUDIT_LOG: join(dir, 'audit.jsonl'),
      AUDIT_CHANNEL,
      AUDIT_LEASE_SECONDS: '3',
      // Slow enough to be killed part-way: 40 calls for the run alone.
      NIM_RATE_LIMIT: '8',
    };
    const first = await startAppProcess(env);
    apps.push(first);

    const opened = slack.calls('views.update').length;
    await clickButton(first.signer, { actionId: rollbackActionIds.open, value: ROGUE, userId: LEAD, responseUrl: slack.responseUrl() });
    const isView = (callbackId: string, after: number) => (c: ApiCall) =>
      slack.calls('views.update').indexOf(c) >= after && viewOf(c).callback_id === callbackId;
    const since = viewOf(await slack.waitForCall('views.update', isView(callbackIds.rollbackSince, opened), 20_000));
    const previewed = slack.calls('views.update').length;
    await postSigned(first.signer, submission(since, LEAD));
    const preview = viewOf(await slack.waitForCall('views.update', isView(callbackIds.rollbackConfirm, previewed), 20_000));
    expect(visibleText(preview as never)).toContain(`${ACCOUNTS} will be undone, 0 skipped.`);
    await postSigned(first.signer, submission(preview, LEAD));

    await waitFor(() => emulator.count({ endpoint: UPDATE }) >= 5, 'the first undos');
    await first.crash();
    apps.splice(apps.indexOf(first), 1);
    const sentBeforeDeath = emulator.count({ endpoint: UPDATE });
    expect(sentBeforeDeath).toBeLessThan(ACCOUNTS);

    const inChannel = () => slack.calls('chat.postMessage').filter((c) => c.args.channel === AUDIT_CHANNEL);
    const topLevel = () =>
      inChannel().filter((c) => c.args.thread_ts === undefined && visibleText(c.args as never).includes('Rollback by'));
    // Its one message was posted when it started, before the first undo.
    expect(topLevel()).toHaveLength(1);
    const ts = topLevel()[0]!.answer?.ts;
    expect(typeof ts).toBe('string');

    const second = await startAppProcess(env);
    apps.push(second);
    // Once the dead process's lease runs out: the person who ran it is told, and the channel, under its message.
    const notice = await slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === LEAD && visibleText(c.args).includes('was interrupted'),
      30_000,
    );
    const told = visibleText(notice.args);
    expect(told).toMatch(new RegExp(`stopped at \\d+ of ${ACCOUNTS} \\(Undone \\d+`));
    const undoneBefore = Number(/Undone (\d+)/.exec(told)![1]);
    expect(undoneBefore).toBeGreaterThan(0);
    expect(undoneBefore).toBeLessThanOrEqual(sentBeforeDeath);
    // Form-encoded by the Web API client: the flag arrives as the string 'true'.
    const broadcast = await slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.thread_ts === ts && String(c.args.reply_broadcast) === 'true',
      10_000,
    );
    expect(visibleText(broadcast.args as never)).toContain('was interrupted');
    const rollbackId = JSON.stringify(notice.args.blocks).match(
      new RegExp(`"action_id":"${rollbackActionIds.continue}","value":"([^"]+)"`),
    )?.[1];
    expect(rollbackId).toBeDefined();
    // Nothing continues by itself.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(emulator.count({ endpoint: UPDATE })).toBe(sentBeforeDeath);

    const responseUrl = slack.responseUrl();
    const clicks = [0, 1].map(() =>
      clickButton(second.signer, { actionId: rollbackActionIds.continue, value: rollbackId!, userId: LEAD, responseUrl }),
    );
    await Promise.all(clicks);
    await waitFor(
      () => Array.from({ length: ACCOUNTS }, (_, n) => emulator.getUser(accid(n))?.name === `Orig ${n}`).every(Boolean),
      'every card restored',
    );
    await waitFor(() => slack.responses().some((r) => JSON.stringify(r).includes('Undone')), 'the report to who continued');
    // Each change undone exactly once across both processes: one update call per account, whoever clicked twice.
    const perAccount = new Map<string, number>();
    for (const request of emulator.received.filter((r) => r.endpoint === UPDATE)) {
      perAccount.set(request.form.accid!, (perAccount.get(request.form.accid!) ?? 0) + 1);
    }
    expect(perAccount.size).toBe(ACCOUNTS);
    expect([...perAccount.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    expect(slack.responses().filter((r) => JSON.stringify(r).includes('cannot be continued'))).toHaveLength(1);

    // Still one top-level message, updated to the end with the counts over both runs.
    await waitFor(
      () =>
        slack
          .calls('chat.update')
          .some(
            (c) => c.args.ts === ts && /Undone \d+ · .* failed 0/.test(visibleText(c.args)) && !visibleText(c.args).includes('Running'),
          ),
      'the final update',
      10_000,
    );
    expect(topLevel()).toHaveLength(1);
    const final = slack
      .calls('chat.update')
      .filter((c) => c.args.ts === ts)
      .at(-1)!;
    const counts = /Undone (\d+) · skipped, changed since (\d+) · skipped (\d+) · failed (\d+)/.exec(visibleText(final.args))!;
    expect(Number(counts[1]) + Number(counts[3])).toBe(ACCOUNTS);
    expect(Number(counts[4])).toBe(0);
  }, 120_000);
});
