import { describe, expect, it } from 'vitest';
import { renderUpdateResult } from '../../../src/slack/edit-card/update-result.js';
import { assertWithinBlockKitLimits, totalText } from '../block-kit-limits.js';
import { LIVE_MARKUP, alice, allText, parsedTexts } from '../card-fixtures.js';

const base = { accid: 'alice', before: alice, confirmedByReadBack: false, locale: 'en' as const, reveal: false };

describe('renderUpdateResult', () => {
  it('shows each changed field before → after', () => {
    const message = renderUpdateResult({ ...base, changes: { name: 'Alicia', gender: 1, sign: '' } });
    assertWithinBlockKitLimits(message);
    const text = allText(message);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Card updated: alice' } });
    expect(text).toContain('*Nickname*\n`Alice` → `Alicia`');
    expect(text).toContain('*Gender*\nFemale → Male');
    expect(text).toContain('*Signature*\n`Hello *world*` → (empty)');
    expect(message.text).toBe('Card of alice updated: Nickname, Signature, Gender');
  });

  it('masks email, mobile and birthday on both sides unless reveal', () => {
    const changes = { email: 'new.person@example.org', mobile: '13900001111', birth: '2001-02-03' };
    const masked = allText(renderUpdateResult({ ...base, changes }));
    expect(masked).toContain('`al…@example.com` → `ne…@example.org`');
    expect(masked).toContain('`186****4545` → `139****1111`');
    expect(masked).toContain('`****-12-23` → `****-02-03`');
    for (const secret of ['new.person', '13900001111', '2001', 'alice.smith']) expect(masked).not.toContain(secret);
    const revealed = allText(renderUpdateResult({ ...base, reveal: true, changes }));
    expect(revealed).toContain('`alice.smith@example.com` → `new.person@example.org`');
    expect(revealed).toContain('Only you can see this');
  });

  it('says when the change was confirmed by reading the card back', () => {
    const text = allText(renderUpdateResult({ ...base, confirmedByReadBack: true, changes: { name: 'A' } }));
    expect(text).toContain('read back: the change is in place');
  });

  it('says nothing changed when every value was already as requested', () => {
    const message = renderUpdateResult({ ...base, changes: { name: 'Alice' } });
    assertWithinBlockKitLimits(message);
    expect(message.text).toBe('Every value was already as requested: nothing changed.');
    const mixed = allText(renderUpdateResult({ ...base, changes: { name: 'Alice', sign: 'x' } }));
    expect(mixed).toContain('`Alice` → `Alice` (unchanged)');
  });

  it('escapes hostile values and stays within limits at the longest', () => {
    const huge = '<!channel>&'.repeat(100);
    const changes = { name: huge, icon: huge, sign: huge, email: huge, birth: huge, mobile: huge, ex: huge, gender: 2 as const };
    const before = { ...alice, name: huge, ex: huge, sign: huge };
    const message = renderUpdateResult({ ...base, before, reveal: true, changes });
    assertWithinBlockKitLimits(message);
    expect(totalText(message.blocks)).toBeLessThanOrEqual(12_000);
    expect(parsedTexts(message)).not.toMatch(LIVE_MARKUP);
  });

  it('speaks Simplified Chinese for zh-CN', () => {
    const text = allText(renderUpdateResult({ ...base, locale: 'zh-CN', changes: { name: '小明' } }));
    expect(text).toContain('名片已更新：alice');
    expect(text).toContain('*昵称*\n`Alice` → `小明`');
  });
});
