import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { approvalActionIds } from '../../../src/slack/ids.js';
import { defaultPeople, visibleText } from '../../support/app-harness.js';
import { blockTexts } from './moderation-harness.js';
import { AUDIT_CHANNEL, startUpdateHarness, type UpdateHarness } from './update-harness.js';
import { requestShowsOutcome } from './posted-message.js';

const ADMIN = 'U0ADMIN';
const SECOND = 'U0SECOND';
const MUTE = 'user/mute.action';
const people = [...defaultPeople, { id: SECOND, name: 'Sam Second', role: 'admin' as const }];
const approvals = { approvalPolicy: { actions: ['mute' as const] }, approvalMinutes: 30, approvalExpiryEveryMs: 50 };

type Harness = UpdateHarness & { removeDir(): Promise<void> };

/** Confirms `/im-mute alice 24h spam links` as the admin: the request is posted; returns its id and message call. */
async function requestMute(h: Harness): Promise<{ id: string; posted: ApiCall }> {
  await h.command('/im-mute', 'alice 24h spam <!channel> *links*', ADMIN);
  const confirm = await h.filledView('moderation_confirm');
  expect(JSON.stringify(confirm.submit)).toMatch(/Request approval/);
  await h.submit(confirm, ADMIN);
  await h.slack.waitForCall('views.update', (c) => JSON.stringify(c.args.view).includes('Approval requested'), 15_000);
  const posted = await h.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === AUDIT_CHANNEL && JSON.stringify(c.args.blocks ?? []).includes(approvalActionIds.approve),
    15_000,
  );
  const buttons = JSON.stringify(posted.args.blocks);
  const id = /"value":"([^"]+)"/.exec(buttons)![1]!;
  return { id, posted };
}

const mutesSent = (h: Harness) => h.emulator.count({ endpoint: MUTE });

describe('approvals of moderation (IM_APPROVAL_FOR)', () => {
  let harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses) await h.close().catch(() => undefined);
    await harnesses[0]?.removeDir();
    harnesses = [];
  });

  it('the requester and a member are refused; another moderator mutes once, recorded with both; a second click does nothing', async () => {
    const h = await startUpdateHarness({ people, approvals });
    harnesses.push(h);
    const { id, posted } = await requestMute(h);
    // Exactly what will happen, escaped: the reason cannot ping the channel or draw bold.
    expect(blockTexts(posted.args as { blocks: unknown[] })).toMatch(/Mute 1 account everywhere for 24 h/);
    expect(blockTexts(posted.args as { blocks: unknown[] })).not.toContain('<!channel>');
    expect(mutesSent(h)).toBe(0);

    const own = await h.click(approvalActionIds.approve, id, ADMIN);
    expect(visibleText((await h.answer(own.responseId)).body)).toMatch(/you cannot approve it/);
    const member = await h.click(approvalActionIds.approve, id, 'U0MEMBER');
    expect(visibleText((await h.answer(member.responseId)).body)).toMatch(/Not permitted.*Muting and blocking needs/s);
    expect(mutesSent(h)).toBe(0);
    const refusals = (await h.records()).filter((r) => r.kind === 'refusal');
    expect(refusals).toEqual([expect.objectContaining({ actor: 'U0MEMBER', action: 'mute' })]);

    await h.click(approvalActionIds.approve, id, SECOND);
    // The request message itself now says who approved it, and offers the buttons no more.
    await requestShowsOutcome(h.slack, posted, /Approved by <@U0SECOND>/);
    expect(mutesSent(h)).toBe(1);
    expect(h.emulator.getUser('alice')?.mute).toBe(true);
    const told = await h.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === ADMIN, 15_000);
    expect(visibleText(told.args as { text?: string })).toMatch(/alice/);

    const again = await h.click(approvalActionIds.approve, id, SECOND);
    expect(visibleText((await h.answer(again.responseId)).body)).toMatch(/already decided/);
    const other = await h.click(approvalActionIds.reject, id, 'U0ADMIN');
    expect(visibleText((await h.answer(other.responseId)).body)).toMatch(/already decided/);
    expect(mutesSent(h)).toBe(1);
    const intents = (await h.records()).filter((r) => r.kind === 'intent');
    expect(intents).toEqual([expect.objectContaining({ action: 'mute', actor: ADMIN, approvedBy: SECOND, id: `${id}.1` })]);
  });

  it('an expired request sends nothing: Approve after its time does nothing, its message says expired, the requester is told', async () => {
    // 1.2 s to decide (the app's clock also checks request signatures' age, so it is not moved instead).
    const h = await startUpdateHarness({ people, approvals: { ...approvals, approvalMinutes: 0.02 } });
    harnesses.push(h);
    const { id, posted } = await requestMute(h);
    expect(await requestShowsOutcome(h.slack, posted, /Expired/)).toMatch(/nothing sent/);
    const late = await h.click(approvalActionIds.approve, id, SECOND);
    expect(visibleText((await h.answer(late.responseId)).body)).toMatch(/already decided or expired/);
    const dm = await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === ADMIN, 15_000);
    expect(visibleText(dm.args as { text?: string })).toMatch(/expired before anyone approved it/);
    // Slack took it: the sweep runs outside any request, and posts with the bot's token all the same.
    expect(dm.answer).toMatchObject({ ok: true });
    expect(mutesSent(h)).toBe(0);
    // Its one entry changes nothing: the expiry is on the trail, nothing reached NetEase.
    expect((await h.records()).filter((r) => r.kind === 'intent')).toEqual([
      expect.objectContaining({ id: `${id}.1`, changes: {}, approvalEnded: { status: 'expired' } }),
    ]);
  });

  it('a restart keeps the request: a new app on the same SQLite store mutes on Approve, once', async () => {
    const first = await startUpdateHarness({ people, approvals });
    harnesses.push(first);
    const { id } = await requestMute(first);
    await first.close();
    const second = await startUpdateHarness({ people, approvals, logDir: dirname(first.dbPath) });
    harnesses.push(second);
    await second.click(approvalActionIds.approve, id, SECOND);
    await expect.poll(() => mutesSent(second), { timeout: 15_000 }).toBe(1);
    const again = await second.click(approvalActionIds.approve, id, SECOND);
    expect(visibleText((await second.answer(again.responseId)).body)).toMatch(/already decided/);
    expect(mutesSent(first) + mutesSent(second)).toBe(1);
  });
});
