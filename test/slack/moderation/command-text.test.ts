import { describe, expect, it } from 'vitest';
import { parseModerationCommand } from '../../../src/slack/moderation/command-text.js';

describe('/im-mute text', () => {
  it('takes the accids before the duration and the reason after it, spaces kept', () => {
    expect(parseModerationCommand('spam1 spam2, spam3 24h spam  links, again', true)).toEqual({
      help: false,
      accids: ['spam1', 'spam2', 'spam3'],
      duration: { forever: false, ms: 86_400_000, amount: 24, unit: 'h' },
      reason: 'spam  links, again',
    });
  });

  it('knows forever, and leaves the reason out when none is typed', () => {
    expect(parseModerationCommand('a FOREVER', true)).toEqual({ help: false, accids: ['a'], duration: { forever: true } });
  });

  it('treats every token as an accid when no duration is typed, and de-duplicates case-insensitively', () => {
    expect(parseModerationCommand('a b A', true)).toEqual({ help: false, accids: ['a', 'b'] });
  });

  it('asks for help on help, and for the form on nothing', () => {
    expect(parseModerationCommand('help', true)).toEqual({ help: true });
    expect(parseModerationCommand('  ', false)).toEqual({ help: false, accids: [] });
  });

  it('reads a duration out of range as an error naming the field', () => {
    expect(() => parseModerationCommand('a 400d spam', true)).toThrow(/duration: must be from 1 minute to 365 days/);
  });
});
