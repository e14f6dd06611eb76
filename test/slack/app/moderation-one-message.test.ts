import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { approvalActionIds } from '../../../src/slack/ids.js';
import { defaultPeople, visibleText } from '../../support/app-harness.js';
import { blockTexts, finalView } from './moderation-harness.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';
import { messageNow, requestShowsOutcome } from './posted-message.js';

/**
 * One audit channel message per action, through the running app over HTTP: an action on a few accounts is one
 * message with the counts (its accounts listed in the thread), while each account keeps its own entry for /im-audit;
 * an action on one account is still its own message.
 */

const ADMIN = 'U0ADMIN';
const SECOND = 'U0SECOND';
const MUTE = 'user/mute.action';
const five = ['spam1', 'spam2', 'spam3', 'spam4', 'spam5'];
type Message = { text?: string; blocks?: unknown[] };

describe('the audit channel: one message per moderation action', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  const channelPosts = () => h.slack.calls('chat.postMessage').filter((call: ApiCall) => call.args.channel === h.auditChannel);
  const topLevel = () => channelPosts().filter((call) => call.args.thread_ts === undefined);

  async function auditOf(accid: string): Promise<string> {
    const { responseId } = await h.command('/im-audit', accid, ADMIN);
    return visibleText((await h.answer(responseId)).body);
  }

  it('a 5-account mute posts exactly one audit channel message with the counts; /im-audit finds each account', async () => {
    h = await startUpdateHarness();
    for (const accid of five) h.emulator.putUser({ accid });
    await h.command('/im-mute', `${five.join(' ')} 24h spam wave`, ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    expect(blockTexts(confirm)).toMatch(/Mute 5 accounts everywhere for 24 h/);
    await h.submit(confirm, ADMIN);
    const report = await finalView(h, confirm.id);
    expect(blockTexts(report)).toMatch(/5 done/);
    expect(blockTexts(report)).toMatch(/spam3.*done.*now: muted everywhere/);
    await h.slack.waitForCall('chat.postEphemeral', (call) => call.args.user === ADMIN, 15_000);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(5);
    await h.slack.waitForCall(
      'chat.update',
      (call) => call.args.channel === h.auditChannel && /5 of 5 — 5 done/.test(JSON.stringify(call.args)),
      15_000,
    );
    await h.outboxIdle();

    expect(topLevel()).toHaveLength(1);
    expect(visibleText(topLevel()[0]!.args as Message)).toMatch(/Mute: 5 accounts/);
    expect(visibleText(topLevel()[0]!.args as Message)).toMatch(/<@U0ADMIN> · \*Mute 5 accounts everywhere for 24 h/);
    // The channel shows that one message with the final counts: it was updated in place.
    expect(visibleText(messageNow(h.slack, topLevel()[0]!))).toMatch(/5 of 5 — 5 done/);
    // The accounts are listed in one thread reply under it, not posted one by one.
    const replies = channelPosts().filter((call) => call.args.thread_ts !== undefined);
    expect(replies).toHaveLength(1);
    expect(five.every((accid) => JSON.stringify(replies[0]!.args.blocks).includes(accid))).toBe(true);

    const intents = (await h.records()).filter((record) => record.kind === 'intent');
    expect(intents).toHaveLength(5);
    expect(new Set(intents.map((intent) => (intent as { batch?: string }).batch)).size).toBe(1);
    // Each account's entry links to that one message (its permalink, asked of Slack once when it was posted).
    const posted = topLevel()[0]!.answer as unknown as { channel: string; ts: string };
    const permalink = `https://simulator.slack.localhost/archives/${posted.channel}/p${posted.ts.replace('.', '')}`;
    expect(h.slack.calls('chat.getPermalink')).toHaveLength(1);
    for (const accid of five) {
      const entry = await auditOf(accid);
      expect(entry).toMatch(/Mute/);
      expect(entry).toMatch(/spam wave/);
      expect(entry).toContain(`part of a bulk action: <${permalink}|batch ${String(intents[0]!.batch)}>`);
    }
  });

  it('a member refused a 5-account mute: one audit channel message naming the 5; /im-audit of each finds the refusal', async () => {
    h = await startUpdateHarness();
    for (const accid of five) h.emulator.putUser({ accid });
    await h.command('/im-mute', `${five.join(' ')} 24h spam wave`, 'U0MEMBER');
    await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    await h.outboxIdle();
    expect(channelPosts()).toHaveLength(1);
    const text = visibleText(channelPosts()[0]!.args);
    expect(text).toMatch(/refused: Mute/);
    expect(text).toMatch(/The 5 accounts it named/);
    for (const accid of five) expect(text).toContain(accid);
    // The entry names them all; each other account has its record too, part of it, so its /im-audit finds it.
    const refusals = (await h.records()).filter((record) => record.kind === 'refusal');
    const [entry, ...parts] = refusals;
    expect(entry).toMatchObject({ actor: 'U0MEMBER', target: { accid: 'spam1' }, accounts: five });
    expect(parts.map((part) => [part.target.accid, (part as { partOf?: string }).partOf])).toEqual(
      five.slice(1).map((accid) => [accid, entry!.id]),
    );
    for (const accid of five) expect(await auditOf(accid)).toMatch(/Refused/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);
  });

  it('a 2-account mute whose first audit channel post Slack rejects (internal_error) is posted once all the same', async () => {
    h = await startUpdateHarness();
    for (const accid of ['spam1', 'spam2']) h.emulator.putUser({ accid });
    await h.command('/im-mute', 'spam1 spam2 24h spam wave', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    h.slack.fail('chat.postMessage', 'internal_error', 1);
    await h.submit(confirm, ADMIN);
    expect(blockTexts(await finalView(h, confirm.id))).toMatch(/2 done/);
    await h.slack.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === h.auditChannel && call.answer?.ok === true && call.args.thread_ts === undefined,
      15_000,
    );
    await h.outboxIdle();
    const answered = topLevel().map((call) => call.answer?.ok);
    expect(answered).toEqual([false, true]);
    expect(visibleText(messageNow(h.slack, topLevel()[1]!))).toMatch(/2 of 2 — 2 done/);
    expect(channelPosts().filter((call) => call.args.thread_ts !== undefined)).toHaveLength(1);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(2);
    const batch = (await h.records()).find((record) => record.kind === 'intent') as { batch?: string } | undefined;
    expect(batch?.batch).toBeDefined();
  });

  it('a 1-account mute posts one message of its own, as before, not a bulk action', async () => {
    h = await startUpdateHarness();
    h.emulator.putUser({ accid: 'spam1' });
    await h.command('/im-mute', 'spam1 24h spam wave', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    await h.submit(confirm, ADMIN);
    await finalView(h, confirm.id);
    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    await h.outboxIdle();
    expect(topLevel()).toHaveLength(1);
    expect(channelPosts()).toHaveLength(1);
    const text = visibleText(post.args);
    expect(text).toMatch(/\*Reason\*\n> spam wave/);
    expect(text).not.toMatch(/Mute: 1 account/);
    const intents = (await h.records()).filter((record) => record.kind === 'intent');
    expect(intents).toEqual([expect.not.objectContaining({ batch: expect.anything() })]);
    expect(await auditOf('spam1')).not.toMatch(/part of a bulk action/);
  });

  it('an approved 2-account mute runs once as one action: one message for it, both recorded with who approved', async () => {
    h = await startUpdateHarness({
      people: [...defaultPeople, { id: SECOND, name: 'Sam Second', role: 'admin' as const }],
      approvals: { approvalPolicy: { actions: ['mute' as const] }, approvalMinutes: 30, approvalExpiryEveryMs: 50 },
    });
    for (const accid of ['spam1', 'spam2']) h.emulator.putUser({ accid });
    await h.command('/im-mute', 'spam1 spam2 24h spam wave', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    await h.submit(confirm, ADMIN);
    const request = await h.slack.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === h.auditChannel && JSON.stringify(call.args.blocks ?? []).includes(approvalActionIds.approve),
      15_000,
    );
    const id = /"value":"([^"]+)"/.exec(JSON.stringify(request.args.blocks))![1]!;
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);

    await h.click(approvalActionIds.approve, id, SECOND);
    await h.slack.waitForCall('chat.postEphemeral', (call) => call.args.user === ADMIN, 15_000);
    await h.click(approvalActionIds.approve, id, SECOND);
    await h.outboxIdle();
    expect(h.emulator.count({ endpoint: MUTE })).toBe(2);
    const actionPosts = topLevel().filter((call) => /Mute: 2 accounts/.test(visibleText(call.args as Message)));
    expect(actionPosts).toHaveLength(1);
    expect(visibleText(messageNow(h.slack, actionPosts[0]!))).toMatch(/2 of 2 — 2 done/);
    await requestShowsOutcome(h.slack, request, /Approved by <@U0SECOND>/);
    // Besides the request and the action's message, nothing: no account posted on its own.
    expect(topLevel()).toHaveLength(2);
    const intents = (await h.records()).filter((record) => record.kind === 'intent');
    expect(intents).toEqual([
      expect.objectContaining({ actor: ADMIN, approvedBy: SECOND, batch: id, id: `${id}.1` }),
      expect.objectContaining({ actor: ADMIN, approvedBy: SECOND, batch: id, id: `${id}.2` }),
    ]);
  });
});
