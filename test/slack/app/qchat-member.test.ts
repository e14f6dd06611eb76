import { afterEach, describe, expect, it } from 'vitest';
import { mrkdwnTexts, visibleText } from '../../support/app-harness.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';

const MEMBER_PAGE = 'qchat/getServerMemberListPage.action';

describe('/qchat-member <server id> <accid>', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('shows the member card to any member of the workspace, escaped, and records the lookup', async () => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/qchat-member', '1513535 carol', 'U0MEMBER');
    const { body } = await h.answer(responseId, 15_000);
    expect(body.response_type).toBe('ephemeral');
    const text = visibleText(body);
    expect(text).toContain('<!here>');
    for (const mrkdwn of mrkdwnTexts(body)) expect(mrkdwn).not.toContain('<!here>');
    expect(text).toContain('Still a member');
    expect(text).not.toMatch(/NetEase saved/);
    // Newest joiner first, limit 1: carol is further down, so the app paged on.
    expect(h.emulator.received.filter((r) => r.endpoint === MEMBER_PAGE).map((r) => r.form)).toEqual([
      { serverId: '1513535', accid: 'carol', timetag: '0', limit: '1' },
      { serverId: '1513535', accid: 'carol', timetag: '1700014400000', limit: '200' },
    ]);
    const lookup = (await h.records()).find((r) => r.kind === 'lookup');
    expect(lookup).toMatchObject({ actor: 'U0MEMBER', command: '/qchat-member', accids: ['carol'], serverId: '1513535' });
  });

  it('keeps a 64-bit server id exact, and answers in Chinese', async () => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/qchat-member', '9007199254740993 dave', 'U0ZH');
    const text = visibleText((await h.answer(responseId, 15_000)).body);
    expect(text).toContain('9007199254740993');
    expect(text).toContain('仍是成员');
  });

  it('says when the account is not a member (nothing recorded as seen)', async () => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/qchat-member', '1513535 bob', 'U0MEMBER');
    expect(visibleText((await h.answer(responseId, 15_000)).body)).toMatch(/`bob` is not a member of QChat server `1513535`/);
    expect((await h.records()).filter((r) => r.kind === 'lookup')).toHaveLength(0);
  });

  it('names a bad server id without calling NetEase, shows usage for help, and refuses guests', async () => {
    h = await startUpdateHarness();
    const bad = await h.command('/qchat-member', '15x35 alice', 'U0MEMBER');
    expect(visibleText((await h.answer(bad.responseId, 15_000)).body)).toMatch(/QChat server ID.*whole number/s);
    const help = await h.command('/qchat-member', 'help', 'U0MEMBER');
    expect(visibleText((await h.answer(help.responseId, 15_000)).body)).toContain('/qchat-member <server ID> <account ID>');
    const guest = await h.command('/qchat-member', '1513535 alice', 'U0GUEST');
    expect(visibleText((await h.answer(guest.responseId, 15_000)).body)).toMatch(/Guests/);
    expect(h.emulator.count()).toBe(0);
  });
});
