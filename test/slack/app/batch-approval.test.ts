import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { approvalActionIds } from '../../../src/slack/ids.js';
import { buttonValues, defaultPeople, visibleText } from '../../support/app-harness.js';
import { postSigned } from '../../support/slack-requests.js';
import { blockTexts } from './moderation-harness.js';
import { AUDIT_CHANNEL, startUpdateHarness, type UpdateHarness } from './update-harness.js';
import { messageComesToRead, requestShowsOutcome } from './posted-message.js';

const ADMIN = 'U0ADMIN';
const SECOND = 'U0SECOND';
const MUTE = 'user/mute.action';
const people = [...defaultPeople, { id: SECOND, name: 'Sam Second', role: 'admin' as const }];
/** More than 20 accounts at once need a second person; 60 is a batch (more than one confirmation carries). */
const approvals = { approvalPolicy: { actions: [], bulkOver: 20 }, approvalMinutes: 30, approvalExpiryEveryMs: 50 };
const wave = Array.from({ length: 60 }, (_, i) => `bulk${i}`);

type Harness = UpdateHarness & { removeDir(): Promise<void> };

/** /im-mute of the 60 as the admin, confirmed: the draft batch becomes a request. Its id and its message. */
async function requestBatch(h: Harness): Promise<{ id: string; posted: ApiCall }> {
  for (const accid of wave) h.emulator.putUser({ accid });
  await h.command('/im-mute', `${wave.join(' ')} 24h spam wave`, ADMIN);
  const confirm = await h.filledView('moderation_batch_confirm');
  expect(JSON.stringify(confirm.submit)).toMatch(/Request approval/);
  expect(blockTexts(confirm)).toMatch(/Mute 60 accounts everywhere for 24 h/);
  await h.submit(confirm, ADMIN);
  await h.slack.waitForCall(
    'views.update',
    (c) => c.args.view_id === confirm.id && /Approval requested/.test(JSON.stringify(c.args.view)),
    15_000,
  );
  const posted = await h.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === AUDIT_CHANNEL && buttonValues(c, approvalActionIds.approve).length > 0,
    15_000,
  );
  return { id: buttonValues(posted, approvalActionIds.approve)[0]!, posted };
}

const mutes = (h: Harness) => h.emulator.count({ endpoint: MUTE });
const answerText = async (h: Harness, click: { responseId: string }) => visibleText((await h.answer(click.responseId)).body);

describe('a batch of more than 50 accounts that needs approval (IM_APPROVAL_FOR=bulk>20)', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('the draft is requested; the requester and a member are refused; another moderator starts it once, both named', async () => {
    h = await startUpdateHarness({ people, approvals });
    const { id, posted } = await requestBatch(h);
    expect(visibleText(posted.args)).toMatch(/Mute 60 accounts everywhere for 24 h/);
    expect(visibleText(posted.args)).toMatch(/`bulk0` .*`bulk29` …and 30 more/s);
    expect(mutes(h)).toBe(0);

    expect(await answerText(h, await h.click(approvalActionIds.approve, id, ADMIN))).toMatch(/you cannot approve it/);
    expect(await answerText(h, await h.click(approvalActionIds.approve, id, 'U0MEMBER'))).toMatch(/Not permitted/);
    expect(mutes(h)).toBe(0);

    await h.click(approvalActionIds.approve, id, SECOND);
    const outcome = await h.slack.waitForCall('chat.update', (c) => /Approved by <@U0SECOND>/.test(JSON.stringify(c.args.blocks)), 15_000);
    expect(visibleText(outcome.args)).toMatch(/: started; its own report says how it ends/);
    await expect.poll(() => mutes(h), { timeout: 30_000 }).toBe(60);
    expect(wave.every((accid) => h.emulator.getUser(accid)?.mute === true)).toBe(true);
    const told = () =>
      [
        ...h.slack.calls('chat.postEphemeral').filter((c) => c.args.user === ADMIN),
        ...h.slack.calls('chat.postMessage').filter((c) => c.args.channel === ADMIN),
      ]
        .map((c) => visibleText(c.args))
        .join('\n');
    await expect.poll(told, { timeout: 15_000 }).toMatch(/60 accounts was approved by <@U0SECOND> and runs now/);
    // The batch's one audit channel message ends with the final counts, naming both.
    const batchPost = h.slack
      .calls('chat.postMessage')
      .find(
        (c) =>
          c !== posted &&
          c.args.channel === AUDIT_CHANNEL &&
          c.args.thread_ts === undefined &&
          /Mute: 60 accounts/.test(visibleText(c.args)),
      );
    expect(batchPost, 'the batch message in the audit channel').toBeDefined();
    expect(await messageComesToRead(h.slack, batchPost!, /60 of 60 — 60 done/)).toMatch(/<@U0ADMIN> · approved by <@U0SECOND> · /);
    await requestShowsOutcome(h.slack, posted, /Approved by <@U0SECOND>/);

    expect(await answerText(h, await h.click(approvalActionIds.approve, id, SECOND))).toMatch(/already decided/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mutes(h)).toBe(60);
    const intents = (await h.records()).filter((r) => r.kind === 'intent');
    expect(intents).toHaveLength(60);
    expect(intents.every((r) => r.kind === 'intent' && r.actor === ADMIN && r.approvedBy === SECOND && r.batch !== undefined)).toBe(true);
    // The requester is told when it ends, once; the approver sees the request's outcome and the batch message instead.
    const ends = () =>
      [
        ...h.slack.calls('chat.postEphemeral').filter((c) => c.args.user === ADMIN),
        ...h.slack.calls('chat.postMessage').filter((c) => c.args.channel === ADMIN),
      ].filter((c) => /Finished: mute of 60 accounts \(60 of 60 — 60 done\)/.test(String(c.args.text)));
    await expect.poll(() => ends().length, { timeout: 15_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ends()).toHaveLength(1);
    const toApprover = [
      ...h.slack.calls('chat.postEphemeral').filter((c) => c.args.user === SECOND),
      ...h.slack.calls('chat.postMessage').filter((c) => c.args.channel === SECOND),
    ];
    expect(toApprover.map((c) => visibleText(c.args)).join('\n')).not.toMatch(/Finished: mute/);
  }, 60_000);

  it('a confirmation sent twice (a double submit, a replay) posts one request for the draft; the repeat is told', async () => {
    h = await startUpdateHarness({ people, approvals });
    for (const accid of wave) h.emulator.putUser({ accid });
    await h.command('/im-mute', `${wave.join(' ')} 24h spam wave`, ADMIN);
    const confirm = await h.filledView('moderation_batch_confirm');
    const body = h.submissionBody(confirm, ADMIN);
    const shown = (pattern: RegExp) => (c: ApiCall) => c.args.view_id === confirm.id && pattern.test(JSON.stringify(c.args.view));
    await postSigned(h.signer, body);
    await h.slack.waitForCall('views.update', shown(/Approval requested/), 15_000);
    await postSigned(h.signer, body);
    await h.slack.waitForCall('views.update', shown(/Already done/), 15_000);
    const requests = () =>
      h.slack
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === AUDIT_CHANNEL && buttonValues(c, approvalActionIds.approve).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests()).toHaveLength(1);
    expect(mutes(h)).toBe(0);
  });

  it('a restart in between keeps the request and its draft: a new app on the same store starts it once on Approve', async () => {
    const first = await startUpdateHarness({ people, approvals });
    const { id } = await requestBatch(first);
    await first.close();
    h = await startUpdateHarness({ people, approvals, logDir: dirname(first.dbPath) });
    for (const accid of wave) h.emulator.putUser({ accid });
    await h.click(approvalActionIds.approve, id, SECOND);
    const outcome = await h.slack.waitForCall('chat.update', (c) => /Approved by <@U0SECOND>/.test(JSON.stringify(c.args.blocks)), 15_000);
    expect(visibleText(outcome.args)).toMatch(/: started; its own report says how it ends/);
    await expect.poll(() => mutes(h), { timeout: 30_000 }).toBe(60);
    expect(await answerText(h, await h.click(approvalActionIds.approve, id, SECOND))).toMatch(/already decided/);
    expect(mutes(first) + mutes(h)).toBe(60);
  }, 60_000);

  it('rejected, the draft sends nothing, and a later Approve does nothing', async () => {
    h = await startUpdateHarness({ people, approvals });
    const { id, posted } = await requestBatch(h);
    await h.click(approvalActionIds.reject, id, SECOND);
    await requestShowsOutcome(h.slack, posted, /Rejected by <@U0SECOND>/);
    expect(await answerText(h, await h.click(approvalActionIds.approve, id, SECOND))).toMatch(/already decided/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mutes(h)).toBe(0);
    // The trail keeps the request's end (an entry without changes), and nothing that changed an account.
    const intents = (await h.records()).filter((r) => r.kind === 'intent');
    expect(intents.filter((r) => r.kind === 'intent' && Object.keys(r.changes).length > 0)).toEqual([]);
  }, 30_000);

  it('expired, the draft sends nothing; each account’s entry names the mute, its reason and the 60, found by /im-audit', async () => {
    h = await startUpdateHarness({ people, approvals: { ...approvals, approvalMinutes: 0.02 } });
    const { id, posted } = await requestBatch(h);
    await requestShowsOutcome(h.slack, posted, /Expired/);
    expect(await answerText(h, await h.click(approvalActionIds.approve, id, SECOND))).toMatch(/already decided or expired/);
    await expect.poll(async () => (await h.records()).filter((r) => r.kind === 'outcome').length, { timeout: 15_000 }).toBe(60);
    expect(mutes(h)).toBe(0);
    // One entry per account of the draft, nothing that changed an account, none on a made-up `batch <id>` account.
    const intents = (await h.records()).filter((r) => r.kind === 'intent');
    expect(intents.filter((r) => r.kind === 'intent' && Object.keys(r.changes).length > 0)).toEqual([]);
    expect(intents.map((r) => (r.kind === 'intent' ? r.target.accid : '')).sort()).toEqual([...wave].sort());
    expect(intents[59]).toMatchObject({
      id: `${id}.60`,
      action: 'mute',
      command: '/im-mute',
      approvalEnded: { status: 'expired', accounts: 60 },
      sanction: { reason: 'spam wave', scope: 'everywhere', durationMs: 86_400_000 },
    });
    const batch = (intents[0] as { batch?: string }).batch;
    expect(batch).toBeDefined();
    expect(intents.every((r) => r.kind === 'intent' && r.batch === batch)).toBe(true);
    const page = visibleText((await h.answer((await h.command('/im-audit', 'bulk42', SECOND)).responseId, 15_000)).body);
    expect(page).toMatch(/\*Mute\*/);
    expect(page).toMatch(/Request expired before anyone approved it: nothing sent \(the request was for 60 accounts\)/);
    expect(page).toMatch(/spam wave/);
    // Its entries stand for one request: none is posted alone to the audit channel (the request's message says it).
    const posts = h.slack.calls('chat.postMessage').filter((c) => c.args.channel === AUDIT_CHANNEL);
    expect(posts.filter((c) => /Request expired/.test(JSON.stringify(c.args.blocks ?? [])))).toEqual([]);
  }, 30_000);
});
