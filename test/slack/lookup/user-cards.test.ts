import { describe, expect, it } from 'vitest';
import { actionIds } from '../../../src/slack/ids.js';
import { renderSharedCard, renderUserCards } from '../../../src/slack/lookup/user-cards.js';
import type { Locale } from '../../../src/slack/i18n/catalog.js';
import { assertWithinBlockKitLimits, totalText } from '../block-kit-limits.js';
import { LIVE_MARKUP, alice, allText, bare, cards, hostile, json, lookup, parsedTexts } from '../card-fixtures.js';

const base = { invalid: [], locale: 'en' as Locale, reveal: false, canEdit: false };
const buttonsOf = (message: { blocks: unknown[] }) =>
  message.blocks
    .filter((b) => (b as { type: string }).type === 'actions')
    .flatMap((b) => (b as { elements: { action_id: string; value: string }[] }).elements);

describe('renderUserCards: full cards', () => {
  it('shows nickname as heading, accid, avatar, signature, gender, status, mute, masked personal data', () => {
    const message = renderUserCards({ ...base, lookup: lookup([alice]) });
    assertWithinBlockKitLimits(message);
    expect(message.blocks).toContainEqual({ type: 'header', text: { type: 'plain_text', text: 'Alice', emoji: false } });
    const text = json(message);
    for (const part of ['`alice`', 'Female', 'Valid', 'Not muted', 'al…@example.com', '186****4545', '****-12-23', 'Hello *world*']) {
      expect(text).toContain(part);
    }
    expect(text).toContain('"image_url":"https://cdn.example/alice.png"');
    for (const secret of ['alice.smith', '18612344545', '1990']) expect(text).not.toContain(secret);
    expect(text).toContain('masked');
  });

  it('shortens ex instead of printing 1000 characters', () => {
    const text = allText(renderUserCards({ ...base, lookup: lookup([alice]) }));
    expect(text).toContain('Extension (ex): {"level":3');
    expect(text).not.toContain('x'.repeat(300));
  });

  it('shows email, mobile and birthday in full when reveal is set, and says only the viewer sees it', () => {
    const text = json(renderUserCards({ ...base, reveal: true, lookup: lookup([alice]) }));
    for (const part of ['alice.smith@example.com', '18612344545', '1990-12-23', 'Only you can see this']) {
      expect(text).toContain(part);
    }
  });

  it('has Mute status and Share buttons carrying the accid, and Edit only for someone who may edit', () => {
    const viewer = buttonsOf(renderUserCards({ ...base, lookup: lookup([alice]) }));
    expect(viewer.map((b) => b.action_id)).toEqual([actionIds.muteStatus, actionIds.share]);
    expect(viewer.every((b) => b.value === 'alice')).toBe(true);
    const editor = buttonsOf(renderUserCards({ ...base, canEdit: true, lookup: lookup([alice]) }));
    expect(editor.map((b) => b.action_id)).toEqual([actionIds.muteStatus, actionIds.share, actionIds.edit]);
  });

  it('shows a hostile nickname as text that pings and links nobody', () => {
    const message = renderUserCards({ ...base, lookup: lookup([hostile]) });
    assertWithinBlockKitLimits(message);
    const text = json(message);
    expect(parsedTexts(message)).not.toMatch(LIVE_MARKUP);
    // The header is plain_text: Slack shows it as typed and parses nothing in it.
    expect(message.blocks[1]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: hostile.name } });
    expect(text).toContain(':lock: Blocked');
    expect(text).toContain(':no_entry: Muted');
    expect(message.text).toContain('&lt;!channel&gt;');
  });

  it('renders a card with nothing but the accid', () => {
    const message = renderUserCards({ ...base, lookup: lookup([bare]) });
    assertWithinBlockKitLimits(message);
    expect(message.blocks).toContainEqual(expect.objectContaining({ type: 'header', text: expect.objectContaining({ text: 'bare' }) }));
    expect(json(message)).not.toContain('image_url');
  });

  it('leaves out avatars that are not http(s) URLs, or all of them when asked', () => {
    const odd = [
      { ...alice, icon: 'javascript:alert(1)' },
      { ...alice, accid: 'a2', icon: 'not a url' },
    ];
    expect(json(renderUserCards({ ...base, lookup: lookup(odd) }))).not.toContain('image_url');
    expect(json(renderUserCards({ ...base, withImages: false, lookup: lookup([alice]) }))).not.toContain('image_url');
  });

  it('gives 5 accounts a card each', () => {
    const message = renderUserCards({ ...base, canEdit: true, lookup: lookup(cards(5, () => alice)) });
    assertWithinBlockKitLimits(message);
    expect(message.blocks.filter((b) => b.type === 'header')).toHaveLength(5);
    expect(buttonsOf(message)).toHaveLength(15);
  });

  it('lists accounts NetEase did not return, and invalid accids with the reason', () => {
    const message = renderUserCards({
      ...base,
      invalid: [
        { accid: 'bad!', reason: 'may contain only letters, digits and _ @ . -' },
        { accid: '<!channel>', reason: 'odd <b>' },
      ],
      lookup: lookup([alice], ['ghost', 'nobody']),
    });
    assertWithinBlockKitLimits(message);
    const text = json(message);
    expect(text).toContain('Not found in NetEase (2)');
    expect(text).toContain('`ghost`');
    expect(text).toContain('`nobody`');
    expect(text).toContain('Not valid account IDs (2)');
    expect(text).toContain('*Account ID* may contain only letters, digits and _ @ . - (2):\\n`bad!`, `&lt;!channel&gt;`');
    expect(parsedTexts(message)).not.toMatch(LIVE_MARKUP);
    expect(message.text).toContain('1 account found, 2 not found, 2 not valid');
  });

  it('lists 284 unknown and a few invalid ids compactly, comma-separated behind the counts', () => {
    const notFound = Array.from({ length: 284 }, (_, i) => `nosuchuser${i}`);
    const invalid = [
      { accid: 'bad!1', reason: 'x', kind: 'bad_characters' as const },
      { accid: 'y'.repeat(200), reason: 'x', kind: 'too_long' as const },
      { accid: 'bad!2', reason: 'x', kind: 'bad_characters' as const },
    ];
    const message = renderUserCards({ ...base, lookup: lookup(cards(16), notFound), invalid });
    assertWithinBlockKitLimits(message);
    expect(message.blocks[0]).toMatchObject({ type: 'context', elements: [{ text: '16 accounts found, 284 not found, 3 not valid' }] });
    const sections = message.blocks.filter((b) => b.type === 'section').map((b) => (b as { text: { text: string } }).text.text);
    const unknown = sections.filter((text) => text.includes('nosuchuser'));
    // Was one line per id: 284 lines. Now a few sections of comma-separated ids, every one of them shown.
    expect(unknown.length).toBeLessThanOrEqual(3);
    expect(unknown.join('\n').split('\n').length).toBeLessThanOrEqual(4);
    expect(unknown[0]).toMatch(/^\*Not found in NetEase \(284\)\*\n`nosuchuser0`, `nosuchuser1`, /);
    for (const accid of notFound) expect(unknown.join()).toContain(`\`${accid}\``);
    const invalidText = sections.find((text) => text.includes('Not valid account IDs (3)'))!;
    expect(invalidText).toContain('may contain only letters, digits and _ @ . - (2):\n`bad!1`, `bad!2`');
    expect(allText(message)).toMatch(/is longer than 32 characters \(1\):\n`y+…`/);
  });

  it('says the counts first in Chinese too', () => {
    const message = renderUserCards({
      ...base,
      locale: 'zh-CN',
      lookup: lookup([], ['a', 'b']),
      invalid: [{ accid: 'c!', reason: 'x', kind: 'bad_characters' }],
    });
    expect(allText(message)).toContain('找到 0 个账号，2 个不存在，1 个无效');
    expect(allText(message)).toContain('*账号 ID* 只能包含字母、数字和 _ @ . -（1 个）：\n`c!`');
    expect(allText(message)).toContain('`a`, `b`');
  });

  it('says so when nothing is found at all', () => {
    const message = renderUserCards({ ...base, lookup: lookup([], ['ghost']) });
    assertWithinBlockKitLimits(message);
    expect(json(message)).toContain('`ghost`');
  });
});

describe('renderUserCards: many accounts', () => {
  it('switches to one line per account at 6, with no buttons and no personal data', () => {
    const message = renderUserCards({ ...base, reveal: true, canEdit: true, lookup: lookup(cards(6, () => ({ email: 'secret@x.com' }))) });
    assertWithinBlockKitLimits(message);
    expect(message.blocks.some((b) => b.type === 'header' || b.type === 'actions')).toBe(false);
    const text = json(message);
    expect(text).toContain('6 accounts found');
    for (let i = 0; i < 6; i += 1) expect(text).toContain(`User number ${i} \`user${i}\``);
    expect(text).not.toContain('secret');
    expect(json(message.blocks)).not.toContain('…and');
  });

  it('keeps 450 accounts within 50 blocks and 13k characters and says how many more', () => {
    const found = cards(450, (i) => ({ name: `${'Long nickname '.repeat(4)}${i}`, accid: `account_${i}_${'z'.repeat(16)}` }));
    const notFound = Array.from({ length: 60 }, (_, i) => `missing${i}`);
    const message = renderUserCards({ ...base, lookup: lookup(found, notFound), invalid: [{ accid: 'x!', reason: 'bad' }] });
    assertWithinBlockKitLimits(message);
    expect(totalText(message.blocks)).toBeLessThanOrEqual(12_000);
    const text = json(message);
    const shown = (text.match(/`account_/g) ?? []).length;
    expect(shown).toBeGreaterThan(50);
    expect(text).toContain(`…and ${450 - shown} more`);
    expect(text).toContain('Not found in NetEase (60)');
    expect(text).toContain('`x!`');
  });

  it('survives hostile nicknames that grow fivefold when escaped', () => {
    const found = cards(450, (i) => ({ name: '<&>'.repeat(30) + i }));
    const message = renderUserCards({ ...base, lookup: lookup(found) });
    assertWithinBlockKitLimits(message);
    expect(parsedTexts(message)).not.toMatch(/<&>/);
  });

  it('lists thousands of not-found accids within limits', () => {
    const notFound = Array.from({ length: 3000 }, (_, i) => `m${i}`);
    const message = renderUserCards({
      ...base,
      lookup: lookup(cards(5), notFound),
      invalid: cards(500).map((c) => ({ accid: `${c.accid}!`, reason: 'bad' })),
    });
    assertWithinBlockKitLimits(message);
    expect(json(message)).toMatch(/…and \d+ more/);
  });
});

describe('renderUserCards: languages', () => {
  it('speaks Simplified Chinese for zh-CN', () => {
    const message = renderUserCards({
      ...base,
      locale: 'zh-CN',
      canEdit: true,
      lookup: lookup([alice], ['ghost']),
      invalid: [{ accid: 'bad!', reason: 'may contain only letters, digits and _ @ . -' }],
    });
    assertWithinBlockKitLimits(message);
    const text = json(message);
    for (const part of ['禁言状态', '分享到频道', '编辑名片', '女', '正常', '网易云信中不存在', '只能包含字母'])
      expect(text).toContain(part);
    expect(text).not.toContain('Share in channel');
    expect(text).not.toContain('may contain only');
  });

  it('labels the signature and ex with the full-width colon in Chinese', () => {
    const text = allText(renderUserCards({ ...base, locale: 'zh-CN', lookup: lookup([alice]) }));
    expect(text).toContain('签名：Hello *world*');
    expect(text).toContain('扩展字段 (ex)：{');
    expect(text).not.toMatch(/签名:|\(ex\):/);
  });

  it('shows a gender never set and one cleared alike, as "Not specified"', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const unset = json(renderUserCards({ ...base, locale, lookup: lookup([{ ...alice, gender: undefined }]) }));
      const cleared = json(renderUserCards({ ...base, locale, lookup: lookup([{ ...alice, gender: 0 }]) }));
      const label = locale === 'en' ? 'Gender*\\nNot specified' : '性别*\\n未设置';
      expect(unset).toContain(label);
      expect(cleared).toContain(label);
    }
  });
});

describe('renderSharedCard', () => {
  it('is masked, has no buttons, and says who shared it', () => {
    const message = renderSharedCard({ card: alice, sharedBy: 'U0SHARER', locale: 'en' });
    assertWithinBlockKitLimits(message);
    const text = json(message);
    expect(text).toContain('Shared by <@U0SHARER>');
    expect(text).toContain('186****4545');
    expect(text).not.toContain('18612344545');
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(message.text).toContain('Alice');
  });

  it('does not turn a malformed sharer into a mention', () => {
    const message = renderSharedCard({ card: hostile, sharedBy: '<!channel>', locale: 'zh-CN' });
    const text = json(message);
    expect(parsedTexts(message)).not.toMatch(LIVE_MARKUP);
    expect(text).toContain('分享');
  });
});
