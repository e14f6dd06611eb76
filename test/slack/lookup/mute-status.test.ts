import { describe, expect, it } from 'vitest';
import { renderMuteStatus } from '../../../src/slack/lookup/mute-status.js';
import { assertWithinBlockKitLimits, totalText } from '../block-kit-limits.js';
import { LIVE_MARKUP, alice, allText, bare, cards, hostile, lookup, parsedTexts } from '../card-fixtures.js';

const base = { invalid: [], locale: 'en' as const };

describe('renderMuteStatus', () => {
  it('shows the five states per account with marks that read at a glance', () => {
    const message = renderMuteStatus({ ...base, lookup: lookup([alice]) });
    assertWithinBlockKitLimits(message);
    const text = allText(message);
    for (const part of [
      ':white_check_mark: Global',
      ':white_check_mark: One-to-one',
      ':no_entry: Teams',
      ':white_check_mark: Chat rooms',
      ':white_check_mark: QChat',
      'Not blocked',
    ]) {
      expect(text).toContain(part);
    }
  });

  it('marks states NetEase did not return as unknown, and says when an account is blocked', () => {
    const text = allText(renderMuteStatus({ ...base, lookup: lookup([bare, hostile]) }));
    expect(text).toContain(':grey_question: One-to-one');
    expect(text).toContain(':no_entry: Global');
    expect(text).toContain(':lock: Blocked');
    expect(text).toContain('unknown (NetEase did not say)');
  });

  it('sums up how many accounts are muted somewhere', () => {
    const message = renderMuteStatus({ ...base, lookup: lookup([alice, hostile, { accid: 'clean', mute: false }]) });
    expect(message.text).toBe('Muted somewhere: 2 of 3 accounts · blocked: 1');
    expect(renderMuteStatus({ ...base, lookup: lookup([alice]) }).text).toBe('Muted somewhere: 1 of 1 account');
  });

  it('escapes hostile nicknames', () => {
    const message = renderMuteStatus({ ...base, lookup: lookup([hostile]) });
    expect(parsedTexts(message)).not.toMatch(LIVE_MARKUP);
    expect(allText(message)).toContain('&lt;!channel&gt;');
  });

  it('lists not-found and invalid accounts', () => {
    const message = renderMuteStatus({ ...base, lookup: lookup([alice], ['ghost']), invalid: [{ accid: 'a b!', reason: 'bad' }] });
    assertWithinBlockKitLimits(message);
    expect(allText(message)).toContain('Not found in NetEase (1)');
    expect(allText(message)).toContain('`a b!`');
  });

  it('switches to one line per account past 5', () => {
    const found = cards(6, (i) =>
      i === 2
        ? { mute: true, muteTeam: true, muteP2P: false, muteRoom: false, muteQChat: false }
        : { mute: false, muteP2P: false, muteTeam: false, muteRoom: false, muteQChat: false },
    );
    found[4] = { accid: 'partial', mute: false };
    const message = renderMuteStatus({ ...base, lookup: lookup(found) });
    assertWithinBlockKitLimits(message);
    const text = allText(message);
    expect(text).toContain(':no_entry: User number 2 `user2`: muted in Global, Teams');
    expect(text).toContain(':white_check_mark: User number 0 `user0`: not muted');
    expect(text).toContain(':grey_question: `partial`: not muted (4 unknown)');
    expect(message.text).toBe('Muted somewhere: 1 of 6 accounts');
  });

  it('keeps 450 accounts within limits and says how many more', () => {
    const found = cards(450, (i) => ({ name: `Nickname ${'n'.repeat(40)} ${i}`, mute: i % 3 === 0, valid: i % 7 !== 0 }));
    const message = renderMuteStatus({ ...base, lookup: lookup(found, ['ghost']) });
    assertWithinBlockKitLimits(message);
    expect(totalText(message.blocks)).toBeLessThanOrEqual(12_000);
    expect(allText(message)).toMatch(/…and \d+ more/);
    expect(allText(message)).toContain('`ghost`');
    expect(message.text).toContain('Muted somewhere: 150 of 450 accounts');
  });

  it('speaks Simplified Chinese for zh-CN', () => {
    const message = renderMuteStatus({ ...base, locale: 'zh-CN', lookup: lookup([alice, hostile]) });
    const text = allText(message);
    for (const part of ['全局', '单聊', '群组', '聊天室', '圈组', '已封禁', '2 个账号中有 2 个在某处被禁言']) expect(text).toContain(part);
  });

  it('says nothing was looked up for an empty lookup', () => {
    const message = renderMuteStatus({ ...base, lookup: lookup([]) });
    assertWithinBlockKitLimits(message);
    expect(message.text).toBe('No account was looked up.');
  });
});
