import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { batchActionIds } from '../../../src/slack/ids.js';
import { defaultPeople } from '../../support/app-harness.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';

/**
 * A batch of more than 50 accounts runs in the background; the person may have closed its modal. Through the real app
 * over HTTP: when a run ends (stopped, finished) the person is told once, where they started (ephemeral in that
 * channel), in their language, with the counts and a link to the audit channel's message — once per run end, a
 * Continue's run included.
 */

const ADMIN = 'U0ADMIN';
const ZH_ADMIN = 'U0ZHADMIN';
const MUTE = 'user/mute.action';
const wave = (n: number) => Array.from({ length: n }, (_, i) => `wave${i}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('the report of a bulk action when it ends', { timeout: 60_000 }, () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  /** What the app told `user` about a batch's end: ephemeral in a channel or by DM. */
  const endReports = (user: string) =>
    [...h.slack.calls('chat.postEphemeral'), ...h.slack.calls('chat.postMessage').filter((call) => call.args.channel === user)].filter(
      (call: ApiCall) => call.args.user === user || call.args.channel === user,
    );
  const reportsReading = (user: string, pattern: RegExp) => endReports(user).filter((call) => pattern.test(JSON.stringify(call.args)));

  /** Runs the command and submits the confirmation, the modal closed meanwhile (every views.update refused). */
  async function muteWithModalClosed(user: string, accounts: number): Promise<{ batchId: string; permalink: string }> {
    await h.command('/im-mute', `${wave(accounts).join(' ')} 24h spam wave`, user);
    const confirm = await h.filledView('moderation_batch_confirm');
    h.slack.fail('views.update', 'not_found');
    await h.submit(confirm, user);
    const top = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel && !call.args.thread_ts);
    const batchId = /(?:batch|批次) `([^`]+)`/.exec(JSON.stringify(top.args.blocks))?.[1] ?? '';
    expect(batchId, 'the audit message names its batch').not.toBe('');
    const link = await h.slack.waitForCall('chat.getPermalink');
    return { batchId, permalink: String(link.answer?.permalink) };
  }

  it('a 60-account mute, its modal closed: stopped, then continued to the end — one report per run end, with the counts', async () => {
    // 20 NetEase calls a second: the 60 mutes take about 3 s, so Stop lands part-way.
    h = await startUpdateHarness({ emulator: { rateLimit: 100_000 }, nimOptions: { rateLimit: 20 } });
    for (const accid of wave(60)) h.emulator.putUser({ accid });
    const { batchId, permalink } = await muteWithModalClosed(ADMIN, 60);
    await waitUntil(() => h.emulator.count({ endpoint: MUTE }) >= 10, 'the first mutes');
    await h.click(batchActionIds.stop, batchId, ADMIN);

    await waitUntil(() => reportsReading(ADMIN, /Stopped/).length > 0, 'the report of the stopped run');
    const stopped = reportsReading(ADMIN, /Stopped/)[0]!;
    const sent = h.emulator.count({ endpoint: MUTE });
    expect(sent).toBeLessThan(60);
    expect(stopped.method, 'told where the person started: ephemeral in that channel').toBe('chat.postEphemeral');
    expect(stopped.args.channel).toBe('C0GENERAL');
    const said = JSON.stringify(stopped.args);
    expect(said).toContain(`Stopped: mute of 60 accounts (60 of 60 — ${sent} done — ${60 - sent} not sent (stopped))`);
    expect(said, 'a link to the audit channel message').toContain(`<${permalink}|the action’s message>`);

    await h.click(batchActionIds.continue, batchId, ADMIN);
    await waitUntil(() => reportsReading(ADMIN, /Finished/).length > 0, 'the report of the continued run');
    const finished = reportsReading(ADMIN, /Finished/)[0]!;
    expect(JSON.stringify(finished.args)).toContain('Finished: mute of 60 accounts (60 of 60 — 60 done)');
    expect(finished.args.channel).toBe('C0GENERAL');
    await sleep(500);
    expect(
      reportsReading(ADMIN, /Stopped: mute|Finished: mute/).map((call) =>
        /Stopped/.test(JSON.stringify(call.args)) ? 'stopped' : 'finished',
      ),
    ).toEqual(['stopped', 'finished']);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(60);
  });

  it('tells a zh-CN moderator in Chinese when the batch finishes', async () => {
    h = await startUpdateHarness({
      emulator: { rateLimit: 100_000 },
      nimOptions: { rateLimit: 2000 },
      people: [...defaultPeople, { id: ZH_ADMIN, name: 'Wang Fang', role: 'admin', locale: 'zh-CN' }],
    });
    for (const accid of wave(60)) h.emulator.putUser({ accid });
    h.emulator.putUser({ accid: 'wave7', mute: true });
    const { permalink } = await muteWithModalClosed(ZH_ADMIN, 60);
    await waitUntil(() => reportsReading(ZH_ADMIN, /已完成/).length > 0, 'the report');
    await sleep(300);
    const reports = reportsReading(ZH_ADMIN, /已完成|Finished/);
    expect(reports).toHaveLength(1);
    const said = JSON.stringify(reports[0]!.args);
    expect(said).toContain('已完成：对 60 个账号的禁言（60 / 60 — 59 个完成 — 1 个本已如此）');
    expect(said).toContain(`<${permalink}|此操作的消息>`);
  });
});
