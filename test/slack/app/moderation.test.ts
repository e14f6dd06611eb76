import { afterEach, describe, expect, it } from 'vitest';
import { LocalRateBudget } from '../../../src/nim/budget/local.js';
import { moderationActionIds } from '../../../src/slack/ids.js';
import { visibleText } from '../../support/app-harness.js';
import { blockTexts, finalView, updatedView } from './moderation-harness.js';
import { ackJson, startUpdateHarness, type UpdateHarness } from './update-harness.js';

const ADMIN = 'U0ADMIN';
const MUTE = 'user/mute.action';
const MODULE = 'user/muteModule.action';
const BLOCK = 'user/block.action';
const sent = (h: UpdateHarness, endpoint: string) => h.emulator.received.filter((r) => r.endpoint === endpoint).map((r) => r.form);

describe('moderation from Slack', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('/im-mute with accounts, duration and reason confirms once, then mutes each and reports the state NetEase shows', async () => {
    h = await startUpdateHarness();
    await h.command('/im-mute', 'alice grace frank 24h spam links', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    // The lift time is counted at confirmation, so the confirmation names none (the report does).
    expect(blockTexts(confirm)).toMatch(/Mute 3 accounts everywhere for 24 h from when you confirm\* — reason: spam links/);
    expect(blockTexts(confirm)).not.toMatch(/until \d{4}/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);

    const ack = await h.submit(confirm, ADMIN);
    expect(JSON.stringify(updatedView(ack, confirm.id).blocks)).toMatch(/0 of 3 done/);
    const report = await finalView(h, confirm.id);
    expect(blockTexts(report)).toMatch(/3 done/);
    expect(blockTexts(report)).toMatch(/alice.*done.*now: muted everywhere · not blocked/);
    expect(sent(h, MUTE)).toEqual(
      expect.arrayContaining([
        { accid: 'alice', mute: 'true' },
        { accid: 'grace', mute: 'true' },
        { accid: 'frank', mute: 'true' },
      ]),
    );
    for (const accid of ['alice', 'grace', 'frank']) expect(h.emulator.getUser(accid)?.mute).toBe(true);

    const ephemeral = await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
    expect(ephemeral.args).toMatchObject({ channel: 'C0GENERAL', user: ADMIN });
    expect(visibleText(ephemeral.args as { text?: string; blocks?: unknown[] })).toMatch(
      /im-admin lifts it at \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );
    const intents = (await h.records()).filter((r) => r.kind === 'intent');
    expect(intents).toHaveLength(3);
    expect(intents[0]).toMatchObject({
      action: 'mute',
      actor: ADMIN,
      command: '/im-mute',
      sanction: { reason: 'spam links', scope: 'everywhere', durationMs: 86_400_000 },
    });
    const audit = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    expect(visibleText(audit.args as { text?: string })).toMatch(/Mute/);
  });

  it('the Mute… button opens the form; a missing reason is shown under its field; a module mute reaches NetEase', async () => {
    h = await startUpdateHarness();
    await h.click(moderationActionIds.mute, 'alice', ADMIN);
    const form = await h.filledView('moderation_form');
    const missing = await h.submit(form, ADMIN, { duration: '2h' });
    expect(ackJson(missing).errors).toMatchObject({ reason: expect.stringMatching(/Say why/) });

    const ack = await h.submit(
      form,
      ADMIN,
      { duration: '2h', reason: 'flooding teams' },
      { checked: { scope: ['muteTeam', 'muteQChat'] } },
    );
    const confirm = updatedView(ack, form.id);
    expect(blockTexts(confirm)).toMatch(/Mute 1 account in Teams, QChat for 2 h from when you confirm\* — reason: flooding teams/);
    await h.submit(confirm, ADMIN);
    await finalView(h, form.id);
    expect(sent(h, MODULE)).toEqual([{ accid: 'alice', muteTeam: 'true', muteQChat: 'true' }]);
    expect(h.emulator.getUser('alice')).toMatchObject({ mute: false, muteTeam: true, muteQChat: true });
  });

  it('/im-block opens the form; needkick and the device message reach NetEase; an unknown account is reported not found', async () => {
    h = await startUpdateHarness();
    await h.command('/im-block', 'alice nobody-here', ADMIN);
    const form = await h.filledView('moderation_form');
    const ack = await h.submit(
      form,
      ADMIN,
      { reason: 'fraud', kickNotifyExt: 'Your account was blocked' },
      { checked: { needkick: ['kick'] } },
    );
    const confirm = updatedView(ack, form.id);
    expect(blockTexts(confirm)).toMatch(/Block 2 accounts\* and log them out of every device — reason: fraud/);
    await h.submit(confirm, ADMIN);
    const report = await finalView(h, form.id);
    expect(blockTexts(report)).toMatch(/nobody-here.*not found/);
    expect(sent(h, BLOCK)).toEqual([{ accid: 'alice', needkick: 'true', kickNotifyExt: 'Your account was blocked' }]);
    expect(h.emulator.getUser('alice')?.valid).toBe(false);
  });

  it('/im-unblock goes straight to the confirmation; an account not blocked is reported already so, nothing sent for it', async () => {
    h = await startUpdateHarness();
    await h.command('/im-unblock', 'bob alice', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    await h.submit(confirm, ADMIN);
    const report = await finalView(h, confirm.id);
    expect(blockTexts(report)).toMatch(/bob.*done.*not blocked/);
    expect(blockTexts(report)).toMatch(/alice.*already so/);
    expect(sent(h, 'user/unblock.action')).toEqual([{ accid: 'bob' }]);
  });

  it('refuses a member, naming the moderate permission; nothing reaches NetEase; the refusal is audited', async () => {
    h = await startUpdateHarness({ access: { writeUsers: ['U0MEMBER'] } });
    await h.command('/im-mute', 'alice 1h spam', 'U0MEMBER');
    const notice = await h.slack.waitForCall('views.update', undefined, 15_000);
    expect(JSON.stringify(notice.args.view)).toMatch(/Muting and blocking needs the Slack role \*workspace admin\* or higher/);
    expect(h.emulator.count()).toBe(0);
    await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    expect((await h.records()).find((r) => r.kind === 'refusal')).toMatchObject({
      actor: 'U0MEMBER',
      action: 'mute',
      refusal: { reason: 'not_a_moderator' },
    });
  });

  it('refuses a protected account before any call, naming it; the whole action is refused and audited', async () => {
    h = await startUpdateHarness({ access: { protectedAccids: ['support_bot-01'] } });
    await h.command('/im-mute', 'alice Support_Bot-01 forever spam', ADMIN);
    const notice = await h.slack.waitForCall('views.update', undefined, 15_000);
    expect(JSON.stringify(notice.args.view)).toMatch(/Support_Bot-01.*may never be muted or blocked/);
    expect(h.emulator.count()).toBe(0);
    await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    expect((await h.records()).find((r) => r.kind === 'refusal')).toMatchObject({
      refusal: { reason: 'protected_account', accids: ['Support_Bot-01'] },
    });
  });

  it('refuses a confirmation submitted by someone else; nothing is sent', async () => {
    h = await startUpdateHarness();
    await h.command('/im-mute', 'alice 1h spam', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    await h.submit(confirm, 'U0MEMBER');
    await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    expect((await h.records()).find((r) => r.kind === 'refusal')).toMatchObject({
      action: 'mute',
      refusal: { reason: 'tampered_submission' },
    });
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);
  });
});

describe('moderation when NetEase misbehaves mid-bulk', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  /** Every account's line in the report: its accid, what it says happened, and the state it shows. */
  const reportLines = (view: { blocks: unknown[] }) =>
    visibleText({ blocks: view.blocks })
      .split('\n')
      .filter((line) => line.startsWith('• '));

  it('a 416 and a timeout in the middle: each account reported as it ended, and the emulator matches what was said', async () => {
    const budget = new LocalRateBudget({ ratePerSecond: 90, coolDownMs: 200, coolDownJitterMs: 0, maxWaitMs: 5000 });
    h = await startUpdateHarness({ nimTimeoutMs: 300, nimOptions: { rateBudget: budget } });
    const accids = ['alice', 'grace', 'frank', 'eve', 'dave'];
    await h.command('/im-mute', `${accids.join(' ')} forever spam`, ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    // The first mute to arrive is answered 416 (NetEase blocked the app: not applied); the next is applied but its
    // answer comes after the client's 300 ms timeout.
    h.emulator.injectFault(MUTE, { kind: 'code', code: 416, desc: 'api freq control' }, 1);
    h.emulator.injectFault(MUTE, { kind: 'latency', ms: 600, afterApply: true }, 1);
    await h.submit(confirm, ADMIN);
    const report = await finalView(h, confirm.id);
    const lines = reportLines(report);
    expect(lines).toHaveLength(5);
    expect(lines.filter((line) => /NetEase rate limit, try again in|failed \(NetEase 416\)/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /done \(confirmed by reading back\)/.test(line))).toHaveLength(1);
    for (const line of lines) {
      const accid = /`([^`]+)`/.exec(line)![1]!;
      const muted = h.emulator.getUser(accid)?.mute === true;
      // What the person was told about each account is what NetEase now holds.
      expect(muted).toBe(/:white_check_mark: done/.test(line));
      expect(line).toContain(muted ? 'now: muted everywhere' : 'now: not muted');
    }
    expect(budget.stats().coolDowns).toBeGreaterThanOrEqual(1);
    const outcomes = (await h.records())
      .filter((r) => r.kind === 'outcome')
      .map((r) => (r as { status: string }).status)
      .sort();
    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'applied_confirmed_by_read_back', 'not_applied']);
  });

  it('accounts that cannot be read first: one notice that nothing was sent, not a failed line per account', async () => {
    h = await startUpdateHarness();
    await h.command('/im-mute', 'alice grace frank 24h spam links', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    // The confirmation has read them; from now on every read fails (NetEase's 500 on getUinfos).
    h.emulator.injectFault('user/getUinfos.action', { kind: 'code', code: 500 });
    await h.submit(confirm, ADMIN);
    const notice = await finalView(h, confirm.id, /Could not open/);
    expect(visibleText({ blocks: notice.blocks })).toMatch(/The accounts could not be read from NetEase first, so nothing was sent/);
    expect(reportLines(notice)).toEqual([]);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);
  });
});

describe('moderation from the buttons', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('moderators see Mute…, Unmute, Block… in /im-mute-status; members do not', async () => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/im-mute-status', 'lina bob', ADMIN);
    const answer = JSON.stringify((await h.answer(responseId)).body);
    expect(answer).toContain(moderationActionIds.mute);
    expect(answer).toContain(moderationActionIds.unmute);
    expect(answer).toContain(moderationActionIds.block);
    expect(answer).toContain(moderationActionIds.unblock);
    const member = await h.command('/im-mute-status', 'lina', 'U0MEMBER');
    expect(JSON.stringify((await h.answer(member.responseId)).body)).not.toContain('moderation.');
    const card = await h.command('/im-user', 'lina', 'U0MEMBER');
    expect(JSON.stringify((await h.answer(card.responseId)).body)).not.toContain('moderation.');
  });

  it('Unmute on a card goes straight to the confirmation and lifts every mute the account has', async () => {
    h = await startUpdateHarness();
    h.emulator.putUser({ accid: 'henry.li', mute: true, muteP2P: true, muteTeam: true, muteRoom: true, muteQChat: true });
    await h.click(moderationActionIds.unmute, 'henry.li', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    expect(blockTexts(confirm)).toMatch(/Unmute 1 account/);
    await h.submit(confirm, ADMIN);
    const report = await finalView(h, confirm.id);
    expect(blockTexts(report)).toMatch(/henry.li.*done.*now: not muted/);
    expect(h.emulator.getUser('henry.li')).toMatchObject({
      mute: false,
      muteP2P: false,
      muteTeam: false,
      muteRoom: false,
      muteQChat: false,
    });
    expect((await h.records()).find((r) => r.kind === 'intent')).toMatchObject({ action: 'unmute', command: 'Unmute button' });
  });

  it('a button carrying a forged accid is refused before any call', async () => {
    h = await startUpdateHarness();
    await h.click(moderationActionIds.block, '<!channel> x', ADMIN);
    const form = await h.filledView('moderation_form');
    const ack = await h.submit(form, ADMIN, { reason: 'x' });
    expect(ackJson(ack).errors?.accids).toMatch(/Not a valid account ID/);
    expect(h.emulator.count({ endpoint: BLOCK })).toBe(0);
  });
});

describe('timed mutes through the app', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('a 1-minute mute is lifted by the app when due, once, audited on behalf of the setter; /im-mute-status said who and when', async () => {
    const clock = { ms: Date.now() };
    h = await startUpdateHarness({ now: () => clock.ms, liftPollMs: 50 });
    await h.command('/im-mute', 'alice 1m spam links', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    await h.submit(confirm, ADMIN);
    await finalView(h, confirm.id);
    expect(h.emulator.getUser('alice')?.mute).toBe(true);

    const { responseId } = await h.command('/im-mute-status', 'alice', ADMIN);
    expect(visibleText((await h.answer(responseId)).body as { text?: string; blocks?: unknown[] })).toMatch(
      /Muted through im-admin by <@U0ADMIN> at .* — reason: spam links · im-admin lifts it at/,
    );

    // Past the due time by 4 minutes: the next round lifts it.
    clock.ms += 5 * 60_000;
    await h.slack.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === h.auditChannel && /Timed lift/.test(JSON.stringify(call.args.blocks)),
      15_000,
    );
    expect(h.emulator.getUser('alice')?.mute).toBe(false);
    const lifts = (await h.records()).filter((r) => r.kind === 'intent' && (r as { command: string }).command === 'timed lift');
    expect(lifts).toHaveLength(1);
    expect(lifts[0]).toMatchObject({ actor: 'im-admin', action: 'unmute', sanction: { onBehalfOf: ADMIN, lateMs: 4 * 60_000 } });
    expect(h.emulator.received.filter((r) => r.endpoint === MUTE && r.form.mute === 'false')).toHaveLength(1);

    const after = await h.command('/im-mute-status', 'alice', ADMIN);
    expect(visibleText((await h.answer(after.responseId)).body as { text?: string; blocks?: unknown[] })).not.toMatch(
      /Muted through im-admin/,
    );
  });

  it('a mute made outside im-admin shows as such', async () => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/im-mute-status', 'lina', ADMIN);
    expect(visibleText((await h.answer(responseId)).body as { text?: string; blocks?: unknown[] })).toMatch(/Muted: set outside im-admin/);
  });
});
