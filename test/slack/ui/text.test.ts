import { describe, expect, it } from 'vitest';
import { clip, clipMrkdwn, code, link } from '../../../src/slack/ui/text.js';
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

describe('link: a permalink Slack gave, as a mrkdwn link', () => {
  it('links an https permalink under its label', () => {
    expect(link('https://acme.slack.com/archives/C0AUDIT/p1700000000000100', 'batch b1')).toBe(
      '<https://acme.slack.com/archives/C0AUDIT/p1700000000000100|batch b1>',
    );
  });

  it('cannot end the link early or start another: | and & in the URL, <, > and | in the label', () => {
    const text = link('https://acme.slack.com/archives/C0A/p1?x=1&y=|<!channel>', 'batch <!channel>|x');
    expect(text).toBe('<https://acme.slack.com/archives/C0A/p1?x=1&amp;y=%7C%3C!channel%3E|batch &lt;!channel&gt;¦x>');
    expect(text.match(/[<>]/g)).toEqual(['<', '>']);
  });

  it('gives the label alone for anything but a plain https URL', () => {
    for (const url of ['javascript:alert(1)', 'http://acme.slack.com/archives/C0A/p1', 'https://user:pw@acme.slack.com/x', 'not a url', ''])
      expect(link(url, 'batch <b1>')).toBe('batch &lt;b1&gt;');
  });
});
