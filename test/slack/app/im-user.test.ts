import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mrkdwnTexts, startHarness, visibleText, type Harness } from '../../support/app-harness.js';

describe('/im-user', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('acks at once and answers a member with the cards, only to them', async () => {
    const { ack, responseId } = await h.command('/im-user', 'alice, bob\ndave');
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    const { body } = await h.answer(responseId);
    expect(body.response_type).toBe('ephemeral');
    const text = visibleText(body);
    expect(text).toContain('Alice Chen');
    expect(text).toContain('Bob Smith');
    expect(text).toContain('Dave');
    expect(h.emulator.count({ endpoint: 'user/getUinfos.action' })).toBe(1);
  });

  it.each([
    ['a guest', 'U0GUEST', /guest/i],
    ['a single-channel guest', 'U0SCGUEST', /single-channel guest/i],
    ['a bot', 'U0BOT', /bot/i],
    ['a deactivated person', 'U0GONE', /deactivated/i],
  ])('refuses %s and says why, without calling NetEase', async (_, user, why) => {
    const { responseId } = await h.command('/im-user', 'alice', user);
    const text = visibleText((await h.answer(responseId)).body);
    expect(text).toMatch(why);
    expect(text).not.toContain('Alice Chen');
    expect(h.emulator.count()).toBe(0);
  });

  it('refuses when Slack cannot say who is asking (fail closed)', async () => {
    h.slack.fail('users.info', 'fatal_error');
    const { responseId } = await h.command('/im-user', 'alice');
    expect(visibleText((await h.answer(responseId)).body)).toMatch(/could not confirm who you are/);
    expect(h.emulator.count()).toBe(0);
  });

  it('escapes a hostile nickname so it cannot ping the channel', async () => {
    const { responseId } = await h.command('/im-user', 'carol');
    const { body } = await h.answer(responseId);
    const mrkdwn = mrkdwnTexts(body);
    expect(mrkdwn.join('\n')).toContain('&lt;!channel&gt;');
    for (const text of mrkdwn) expect(text).not.toContain('<!channel>');
  });

  it('looks up 450 accounts in 3 NetEase calls and answers once, readably', async () => {
    const accids = Array.from({ length: 450 }, (_, i) => `user${i}`);
    accids[0] = 'alice';
    const { responseId } = await h.command('/im-user', accids.join(' '));
    const { body } = await h.answer(responseId);
    expect(h.emulator.count({ endpoint: 'user/getUinfos.action' })).toBe(3);
    expect(body.blocks!.length).toBeLessThanOrEqual(50);
    expect(visibleText(body)).toContain('Alice Chen');
    expect(visibleText(body)).toMatch(/449/);
    // One answer, not one per NetEase call.
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.slack.responses(responseId)).toHaveLength(1);
  });

  it('answers in Chinese to someone whose Slack is in zh-CN', async () => {
    const { responseId } = await h.command('/im-user', 'alice nobody', 'U0ZH');
    const text = visibleText((await h.answer(responseId)).body);
    expect(text).toMatch(/[\u4e00-\u9fff]/);
    expect(text).not.toContain('Not found');
  });

  it('shows usage with examples for help or nothing typed', async () => {
    for (const typed of ['', 'help']) {
      const { responseId } = await h.command('/im-user', typed);
      expect(visibleText((await h.answer(responseId)).body)).toMatch(/\/im-user/);
    }
    expect(h.emulator.count()).toBe(0);
  });

  it('answers 300 accids (16 known, 284 unknown) with the counts first and the unknown ids comma-separated', async () => {
    const known = [
      'zhangwei',
      'lina',
      'wangfang',
      'liuyang',
      'chenjing',
      'zhaolei',
      'alice',
      'bob',
      'carol',
      'dave',
      'eve',
      'frank',
      'grace',
      'henry.li',
      'sunxiaomei',
      'support_bot-01',
    ];
    const unknown = Array.from({ length: 284 }, (_, i) => `nosuchuser${i}`);
    const { responseId } = await h.command('/im-user', [...known, ...unknown].join(' '));
    const { body } = await h.answer(responseId);
    const blocks = body.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
    expect(blocks[0]?.elements?.[0]?.text).toBe('16 accounts found, 284 not found');
    const unknownText = blocks.filter((b) => b.text?.text.includes('nosuchuser')).map((b) => b.text!.text);
    // One line per id made a message about 6,800 px tall; now every id is there in a few wrapped lines.
    expect(unknownText.join('\n').split('\n').length).toBeLessThanOrEqual(4);
    for (const accid of unknown) expect(unknownText.join()).toContain(`\`${accid}\``);
    expect(blocks.length).toBeLessThanOrEqual(50);
  });

  it('lists invalid account ids without asking NetEase about them', async () => {
    const { responseId } = await h.command('/im-user', 'alice bad!id');
    const text = visibleText((await h.answer(responseId)).body);
    expect(text).toContain('Alice Chen');
    expect(text).toContain('bad!id');
    expect(h.emulator.received[0]?.form.accids).toBe('["alice"]');
  });

  it('turns a NetEase failure into a message that says what happened', async () => {
    h.emulator.injectFault('user/getUinfos.action', { kind: 'code', code: 416 });
    const { responseId } = await h.command('/im-user', 'alice');
    const text = visibleText((await h.answer(responseId)).body);
    expect(text).toMatch(/rate limit/i);
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('logs the detail of a failure, with the reference the person is shown, and no secret', async () => {
    await h.close();
    const logLines: string[] = [];
    h = await startHarness({ logLines });
    h.emulator.injectFault('user/getUinfos.action', { kind: 'malformed_json' });
    const { responseId } = await h.command('/im-user', 'alice');
    const text = visibleText((await h.answer(responseId)).body);
    const failure = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'lookup failed');
    expect(failure).toMatchObject({ command: '/im-user', userId: 'U0MEMBER', err: { type: 'NimTransportError' } });
    expect(text).toContain(String(failure!.correlationId));
    expect(logLines.join('\n')).not.toContain('demo-app-secret');
  });

  it('raises the bar with IM_READ_MIN_ROLE', async () => {
    await h.close();
    h = await startHarness({ access: { readMinRole: 'admin' } });
    const member = await h.command('/im-user', 'alice', 'U0MEMBER');
    expect(visibleText((await h.answer(member.responseId)).body)).toMatch(/admin/i);
    const admin = await h.command('/im-user', 'alice', 'U0ADMIN');
    expect(visibleText((await h.answer(admin.responseId)).body)).toContain('Alice Chen');
  });

  it('masks email, mobile and birthday for members and shows them to people who may edit', async () => {
    const card = h.emulator.getUser('alice')!;
    h.emulator.putUser({ ...card, mobile: '+86-13800138000', email: 'alice@example.com' });
    const member = await h.command('/im-user', 'alice', 'U0MEMBER');
    const memberText = visibleText((await h.answer(member.responseId)).body);
    expect(memberText).not.toContain('13800138000');
    const admin = await h.command('/im-user', 'alice', 'U0ADMIN');
    expect(visibleText((await h.answer(admin.responseId)).body)).toContain('13800138000');
  });
});
