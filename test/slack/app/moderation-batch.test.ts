import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteAuditStore } from '../../../src/audit/store/sqlite/store.js';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { batchActionIds } from '../../../src/slack/ids.js';
import { blockTexts, updatedView } from './moderation-harness.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';
import { messageComesToRead } from './posted-message.js';

/** An action on hundreds of accounts from Slack, through the real app over HTTP: a batch in the background. */

const ADMIN = 'U0ADMIN';
const MUTE = 'user/mute.action';
async function waitUntil(condition: () => boolean, timeoutMs = 50_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const wave = (n: number) => Array.from({ length: n }, (_, i) => `wave${i}`);

// Hundreds of accounts, each with its intent and outcome committed to disk (fsync) before and after its call: on a
// loaded machine that took over the default 20 s, though nothing was wrong.
describe('bulk moderation from Slack', { timeout: 60_000 }, () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  async function seeded(accounts: number, options: Parameters<typeof startUpdateHarness>[0] = {}) {
    h = await startUpdateHarness({ emulator: { rateLimit: 100_000 }, nimOptions: { rateLimit: 2000 }, ...options });
    for (const accid of wave(accounts)) h.emulator.putUser({ accid });
  }

  const auditPosts = () => h.slack.calls('chat.postMessage').filter((call: ApiCall) => call.args.channel === h.auditChannel);

  it('mutes 300 accounts from the command: the count in the confirmation, each once, one audit message with a reply per 100', async () => {
    await seeded(300);
    await h.command('/im-mute', `${wave(300).join(' ')} wave3 bad! 24h spam wave`, ADMIN);
    const confirm = await h.filledView('moderation_batch_confirm');
    expect(blockTexts(confirm)).toMatch(/Mute 300 accounts everywhere for 24 h/);
    expect(blockTexts(confirm)).toMatch(/1 entry is not an account ID and is left out: `bad!`/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);

    const ack = await h.submit(confirm, ADMIN);
    expect(ack.body).toMatch(/Stop/);
    await h.slack.waitForCall(
      'views.update',
      (call) => call.args.view_id === confirm.id && /Finished/.test(JSON.stringify(call.args.view)),
      30_000,
    );
    expect(h.emulator.count({ endpoint: MUTE })).toBe(300);
    expect(wave(300).every((accid) => h.emulator.getUser(accid)?.mute === true)).toBe(true);
    const intents = (await h.records()).filter((record) => record.kind === 'intent');
    expect(intents).toHaveLength(300);
    // Let the outbox run: no account of the batch is posted on its own.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const posts = auditPosts();
    expect(posts.filter((call) => call.args.thread_ts === undefined)).toHaveLength(1);
    expect(posts.filter((call) => call.args.thread_ts !== undefined)).toHaveLength(3);
    expect(posts.length).toBeLessThanOrEqual(12);
    // The channel's one message, as it stands now, ends with the final counts.
    const top = posts.find((call) => call.args.thread_ts === undefined)!;
    await messageComesToRead(h.slack, top, /300 of 300 — 300 done/);
  });

  it('takes 120 accounts pasted in the form, then confirms the count and runs them as a batch', async () => {
    await seeded(120);
    await h.command('/im-mute', wave(120).join('\n'), ADMIN);
    const form = await h.filledView('moderation_form');
    const ack = await h.submit(form, ADMIN, { duration: '24h', reason: 'spam wave' });
    const confirm = updatedView(ack, form.id);
    expect(confirm.callback_id).toBe('moderation_batch_confirm');
    expect(blockTexts(confirm)).toMatch(/Mute 120 accounts everywhere for 24 h/);
    await h.submit(confirm, ADMIN);
    await h.slack.waitForCall(
      'views.update',
      (call) => call.args.view_id === form.id && /Finished/.test(JSON.stringify(call.args.view)),
      30_000,
    );
    expect(h.emulator.count({ endpoint: MUTE })).toBe(120);
  });

  it('a batch a dead process left is sent to its person with Continue, which does the rest, each account once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'im-admin-batch-left-'));
    const store = new SqliteAuditStore({ path: join(dir, 'audit.db'), logger: { warn: () => undefined, error: () => undefined } });
    await store.open();
    // As a process killed part-way leaves it: running, its lease long gone, 40 of 100 accounts done.
    const accids = wave(100);
    await store.saveBatch({
      id: 'left1',
      actor: ADMIN,
      action: 'mute',
      command: '/im-mute',
      sanction: { kind: 'mute', reason: 'spam wave', scope: 'everywhere', duration: { forever: true } },
      accids,
      state: 'running',
      owner: 'dead-process',
      leaseUntil: 1,
      createdAt: Date.now() - 60_000,
      updatedAt: Date.now() - 60_000,
      counts: { done: 40, already: 0, not_found: 0, failed: 0, unknown: 0, stopped: 0 },
      settled: Object.fromEntries(accids.slice(0, 40).map((accid) => [accid, 'done'])),
      origin: { user: ADMIN, channel: 'C0GENERAL' },
      replies: 0,
      runs: 1,
    });
    await store.close();
    h = await startUpdateHarness({ logDir: dir, emulator: { rateLimit: 100_000 }, nimOptions: { rateLimit: 2000 } });
    for (const accid of accids) h.emulator.putUser({ accid, ...(accids.indexOf(accid) < 40 ? { mute: true } : {}) });
    const notice = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === ADMIN, 15_000);
    expect(JSON.stringify(notice.args)).toMatch(/was interrupted/);
    expect(JSON.stringify(notice.args)).toContain(batchActionIds.continue);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);
    await h.click(batchActionIds.continue, 'left1', ADMIN);
    await waitUntil(() => accids.every((accid) => h.emulator.getUser(accid)?.mute === true));
    const per = new Map<string, number>();
    for (const request of h.emulator.received)
      if (request.endpoint === MUTE) per.set(request.form.accid!, (per.get(request.form.accid!) ?? 0) + 1);
    expect(per.size).toBe(60);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
  });

  it('Stop at about half: what is done stays done, nothing more is sent', async () => {
    // 200 calls a second: the 400 accounts take about 2 s, so Stop lands in the middle.
    await seeded(400, { nimOptions: { rateLimit: 200 } });
    await h.command('/im-mute', `${wave(400).join(' ')} 24h spam wave`, ADMIN);
    const confirm = await h.filledView('moderation_batch_confirm');
    await h.submit(confirm, ADMIN);
    while (h.emulator.count({ endpoint: MUTE }) < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    const progress = await h.slack.waitForCall(
      'views.update',
      (call) => JSON.stringify(call.args.view).includes(batchActionIds.stop),
      15_000,
    );
    const batchId = /"action_id":"moderation.batch_stop","value":"([^"]+)"/.exec(JSON.stringify(progress.args.view))?.[1] ?? '';
    expect(batchId).not.toBe('');
    await h.click(batchActionIds.stop, batchId, ADMIN);
    await h.slack.waitForCall(
      'views.update',
      (call) => call.args.view_id === confirm.id && /Stopped/.test(JSON.stringify(call.args.view)),
      30_000,
    );
    const sent = h.emulator.count({ endpoint: MUTE });
    expect(sent).toBeLessThan(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.emulator.count({ endpoint: MUTE })).toBe(sent);
    expect(wave(400).filter((accid) => h.emulator.getUser(accid)?.mute === true)).toHaveLength(sent);
  });

  it("a lookup right after the app's own mute shows the new state, though the card was cached", async () => {
    await seeded(60, { nimOptions: { rateLimit: 2000, cardCacheMs: 60_000 } });
    const first = await h.command('/im-mute-status', 'wave1', ADMIN);
    expect(JSON.stringify(await h.answer(first.responseId))).not.toMatch(/[Mm]uted everywhere/);
    const readsBefore = h.emulator.count({ endpoint: 'user/getUinfos.action' });
    await h.command('/im-mute', `${wave(60).join(' ')} 24h spam wave`, ADMIN);
    const confirm = await h.filledView('moderation_batch_confirm');
    await h.submit(confirm, ADMIN);
    await h.slack.waitForCall(
      'views.update',
      (call) => call.args.view_id === confirm.id && /Finished/.test(JSON.stringify(call.args.view)),
      30_000,
    );
    const reads = h.emulator.count({ endpoint: 'user/getUinfos.action' });
    // The batch read its accounts from NetEase although wave1's card was cached: no cached read before a moderation.
    expect(reads).toBe(readsBefore + 1);
    const again = await h.command('/im-mute-status', 'wave1', ADMIN);
    expect(JSON.stringify(await h.answer(again.responseId))).toMatch(/[Mm]uted/);
    expect(h.emulator.count({ endpoint: 'user/getUinfos.action' })).toBe(reads + 1);
    const history = await h.command('/im-audit', 'wave1', ADMIN);
    expect(JSON.stringify(await h.answer(history.responseId))).toMatch(
      /part of a bulk action: <https:\/\/simulator\.slack\.localhost\/archives\/C0AUDIT\/p\d+\|batch [\w.-]+>/,
    );
  });
});
