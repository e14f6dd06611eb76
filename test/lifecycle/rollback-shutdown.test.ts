import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_APP, startEmulator } from '../../src/emulator/server.js';
import type { Emulator } from '../../src/emulator/types.js';
import { callbackIds, rollbackActionIds } from '../../src/slack/ids.js';
import type { ApiCall } from '../../src/simulator/recorder.js';
import { startSlackApi, type SlackApi } from '../../src/simulator/slack-api.js';
import { auditRecords } from '../audit/trail.js';
import { messageComesToRead, messageNow } from '../slack/app/posted-message.js';
import { ACCOUNTS, accid, ROGUE, seedRogueChanges, submission, viewOf, waitFor } from '../slack/app/rollback-process.js';
import { visibleText } from '../support/app-harness.js';
import { startAppProcess, type AppProcess } from '../support/app-process.js';
import { clickButton, postSigned } from '../support/slack-requests.js';

/**
 * SIGTERM while a rollback runs, in the app's own process: the drain stops it at its next safe point — the undos in
 * flight answered and recorded, no more started — and gives up its lease, so the next start reports it at once (not
 * after AUDIT_LEASE_SECONDS) as interrupted, with Continue, which undoes the rest, each change once.
 */

const AUDIT_CHANNEL = 'C0AUDIT';
const LEAD = 'U0ADMIN';
const UPDATE = 'user/updateUinfo.action';

describe('a rollback when its process is asked to stop (SIGTERM)', () => {
  let emulator: Emulator;
  let slack: SlackApi;
  let dir: string;
  const apps: AppProcess[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.crash().catch(() => undefined);
    await Promise.all([emulator.close(), slack.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('pauses at a safe point within the grace period; the next start reports it at once; Continue undoes the rest once', async () => {
    [emulator, slack] = await Promise.all([startEmulator(), startSlackApi()]);
    dir = mkdtempSync(join(tmpdir(), 'im-admin-rollback-sigterm-'));
    const path = join(dir, 'audit.db');
    await seedRogueChanges(path, emulator);
    const env = {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      NIM_APP_KEY: DEMO_APP.appKey,
      NIM_APP_SECRET: DEMO_APP.appSecret,
      NIM_BASE_URL: emulator.url,
      AUDIT_DB: path,
      AUDIT_CHANNEL,
      // A lease far longer than the wait for the notice below: only a lease given up at the pause explains it.
      AUDIT_LEASE_SECONDS: '60',
      // Slow enough to be stopped part-way: 40 calls for the run alone.
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
    await postSigned(first.signer, submission(preview, LEAD));
    await waitFor(() => emulator.count({ endpoint: UPDATE }) >= 5, 'the first undos');

    const asked = Date.now();
    first.child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => first.child.once('exit', (exitCode) => resolve(exitCode)));
    apps.splice(apps.indexOf(first), 1);
    // Well within DRAIN_TIMEOUT_MS (25 s): it did not wait for the other undos at 8 NetEase calls a second.
    expect(Date.now() - asked).toBeLessThan(3000);
    expect(code).toBe(0);
    const sent = emulator.count({ endpoint: UPDATE });
    expect(sent).toBeLessThan(ACCOUNTS);
    // Every undo sent has its outcome: none left for a read-back.
    const records = await auditRecords(dir);
    const outcomes = new Set(records.filter((r) => r.kind === 'outcome').map((r) => r.id));
    const undos = records.filter((r) => r.kind === 'intent' && (r as { undoes?: string }).undoes !== undefined);
    expect(undos.length).toBe(sent);
    expect(undos.filter((r) => !outcomes.has(r.id))).toEqual([]);
    // Its one audit channel message, as it stands after the exit: paused by the shutdown, no longer "Running".
    const top = slack
      .calls('chat.postMessage')
      .find((c) => c.args.channel === AUDIT_CHANNEL && c.args.thread_ts === undefined && visibleText(c.args).includes('Rollback by'))!;
    const paused = visibleText(messageNow(slack, top));
    expect(paused).toMatch(new RegExp(`Paused by a shutdown of im-admin at ${sent} of ${ACCOUNTS}`));
    expect(paused).not.toMatch(/Running:/);

    const restarted = Date.now();
    const second = await startAppProcess(env);
    apps.push(second);
    const notice = await slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === LEAD && visibleText(c.args).includes('was interrupted'),
      15_000,
    );
    expect(Date.now() - restarted, 'reported at the next start, not once a 60 s lease ran out').toBeLessThan(15_000);
    expect(visibleText(notice.args)).toContain(`stopped at ${sent} of ${ACCOUNTS} (Undone ${sent}`);
    await messageComesToRead(slack, top, /Interrupted at/);
    const rollbackId = new RegExp(`"action_id":"${rollbackActionIds.continue}","value":"([^"]+)"`).exec(
      JSON.stringify(notice.args.blocks),
    )?.[1];
    expect(emulator.count({ endpoint: UPDATE })).toBe(sent);

    await clickButton(second.signer, {
      actionId: rollbackActionIds.continue,
      value: rollbackId!,
      userId: LEAD,
      responseUrl: slack.responseUrl(),
    });
    await waitFor(
      () => Array.from({ length: ACCOUNTS }, (_, n) => emulator.getUser(accid(n))?.name === `Orig ${n}`).every(Boolean),
      'every card restored',
    );
    const perAccount = new Map<string, number>();
    for (const request of emulator.received.filter((r) => r.endpoint === UPDATE))
      perAccount.set(request.form.accid!, (perAccount.get(request.form.accid!) ?? 0) + 1);
    expect(perAccount.size).toBe(ACCOUNTS);
    expect([...perAccount.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    await messageComesToRead(slack, top, new RegExp(`Undone ${ACCOUNTS} · skipped, changed since 0 · skipped 0 · failed 0`));
  }, 120_000);
});
