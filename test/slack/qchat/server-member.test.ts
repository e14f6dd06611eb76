import { describe, expect, it } from 'vitest';
import type { ServerMember } from '../../../src/nim/types.js';
import { renderServerMember } from '../../../src/slack/qchat/server-member.js';
import { assertWithinBlockKitLimits } from '../block-kit-limits.js';
import { LIVE_MARKUP, allText, parsedTexts } from '../card-fixtures.js';

const member: ServerMember = {
  serverId: '18446744073709551615',
  accid: 'alice',
  nick: 'Big Fish',
  avatar: 'https://cdn.example/fish.png',
  custom: '{"level":3}',
  type: 1,
  joinTime: Date.UTC(2024, 4, 6, 23, 30),
  inviter: 'bob',
  validFlag: 1,
  createTime: 1,
  updateTime: 2,
};

describe('renderServerMember', () => {
  it('shows the member as NetEase returned it: nickname, avatar, owner, join date, still a member', () => {
    const message = renderServerMember({ member, locale: 'en' });
    assertWithinBlockKitLimits(message);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Big Fish' } });
    const text = allText(message);
    for (const part of [
      '`18446744073709551615`',
      '`alice`',
      ':crown: Owner',
      'Still a member',
      '`bob`',
      'Custom data: {"level":3}',
      'NetEase saved',
    ]) {
      expect(text).toContain(part);
    }
    // Each viewer sees the date in their own zone; the fallback is the UTC date.
    expect(text).toContain(`<!date^${Date.UTC(2024, 4, 6, 23, 30) / 1000}^{date_short_pretty}|2024-05-06>`);
    expect(JSON.stringify(message.blocks)).toContain('"image_url":"https://cdn.example/fish.png"');
  });

  it('says when the account is no longer a member, and handles a sparse answer', () => {
    const message = renderServerMember({ member: { serverId: '1', accid: 'bob', type: 0, validFlag: 0 }, locale: 'en', saved: false });
    assertWithinBlockKitLimits(message);
    const text = allText(message);
    expect(text).toContain('No longer a member');
    expect(text).toContain('Member');
    expect(text).not.toContain('NetEase saved');
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'bob' } });
  });

  it('escapes a hostile nickname and custom data', () => {
    const message = renderServerMember({
      member: { ...member, nick: '<!channel>', custom: '<@U1>'.repeat(500), inviter: '<!here>' },
      locale: 'en',
    });
    assertWithinBlockKitLimits(message);
    expect(parsedTexts(message).replace(/<!date\^/g, '')).not.toMatch(LIVE_MARKUP);
  });

  it('speaks Simplified Chinese for zh-CN', () => {
    const text = allText(renderServerMember({ member, locale: 'zh-CN' }));
    for (const part of ['所有者', '仍是成员', '加入时间', '圈组服务器 ID']) expect(text).toContain(part);
  });
});
