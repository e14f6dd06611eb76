import { describe, expect, it } from 'vitest';
import { clip, clipMrkdwn, code } from '../../../src/slack/ui/text.js';
import { renderUserCards } from '../../../src/slack/lookup/user-cards.js';

describe('text helpers', () => {
  it('cuts long text with … and never splits an emoji in half', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('ab😀cd', 4)).toBe('ab…');
    expect(clip('abc', 3)).toBe('abc');
  });

  it('never leaves half an entity when cutting escaped text', () => {
    expect(clipMrkdwn('ab&amp;cd', 5)).toBe('ab…');
    expect(clipMrkdwn('ab&lt;', 6)).toBe('ab&lt;');
  });

  it('keeps a backtick from closing inline code, and bounds the escaped length', () => {
    expect(code('a`b')).toBe('`aˋb`');
    expect(code('<'.repeat(100), 20).length).toBeLessThanOrEqual(22);
    expect(code('')).toBe('');
  });

  it('puts a multi-line nickname on one heading line', () => {
    const message = renderUserCards({
      lookup: { found: [{ accid: 'a', name: 'two\nlines' }], notFound: [] },
      invalid: [],
      locale: 'en',
      reveal: false,
      canEdit: false,
    });
    expect(message.blocks).toContainEqual(
      expect.objectContaining({ type: 'header', text: expect.objectContaining({ text: 'two lines' }) }),
    );
  });
});
