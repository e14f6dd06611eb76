import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, unescapeSlackText } from '../../../src/slack/ui/mrkdwn.js';

describe('escapeMrkdwn', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here>', '&lt;!here&gt;'],
    ['<@U1>', '&lt;@U1&gt;'],
    ['<https://evil.example|click>', '&lt;https://evil.example|click&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    ['&lt;', '&amp;lt;'],
  ])('turns %s into text that pings and links nothing', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('leaves formatting characters alone: Slack defines only three entities', () => {
    expect(escapeMrkdwn('*bold* _it_ ~s~ `c` "q" \'a\'')).toBe('*bold* _it_ ~s~ `c` "q" \'a\'');
  });

  it('round-trips with the unescaping of slash-command text', () => {
    const typed = 'a <b> & c';
    expect(unescapeSlackText(escapeMrkdwn(typed))).toBe(typed);
  });
});
