import { describe, expect, it } from 'vitest';
import { DURATION_RULE, isDurationToken, parseDuration } from '../../src/moderation/duration.js';
import { cleanReason, KICK_MESSAGE_NEEDS_LOGOUT, sanctionProblems, type Sanction } from '../../src/moderation/sanction.js';

const mute = (extra: Partial<Sanction>): Sanction => ({
  kind: 'mute',
  accids: ['alice'],
  reason: 'spam links',
  scope: 'everywhere',
  duration: parseDuration('1h'),
  ...extra,
});

describe('what a person types as a duration', () => {
  it.each(['-1h', '1.5h', '１h', '١h', '+2d', '2,5w'])('%s is meant as a duration and is refused as "not a duration"', (typed) => {
    expect(isDurationToken(typed)).toBe(true);
    expect(() => parseDuration(typed)).toThrow(expect.objectContaining({ field: 'duration', rule: DURATION_RULE, value: typed }));
  });

  it('names what is accepted', () => {
    expect(DURATION_RULE).toMatch(/not a duration.*30m, 2h, 7d, 1w, or forever/);
  });

  it('still takes the accepted forms and still takes account ids for account ids', () => {
    expect(parseDuration('90m')).toMatchObject({ forever: false, ms: 90 * 60_000 });
    expect(parseDuration('永久')).toEqual({ forever: true });
    for (const accid of ['alice', 'spam-1', 'h1', '123', 'm.d']) expect(isDurationToken(accid)).toBe(false);
  });

  it('refuses a duration-shaped account id in the accounts box, saying it is not an account but a duration', () => {
    expect(sanctionProblems(mute({ accids: ['alice', '-1h'] }))).toEqual([
      expect.objectContaining({ field: 'accids', rule: DURATION_RULE, value: '-1h' }),
    ]);
  });
});

describe('a reason', () => {
  it.each([
    ['spaces', '   '],
    ['ideographic spaces and tabs', '\u3000\t\u3000'],
    ['zero-width characters', '\u200B\u200C\u200D\u2060\uFEFF'],
    ['a mix with new lines', ' \u200B\n\u00AD '],
  ])('of only %s is no reason', (_name, reason) => {
    expect(sanctionProblems(mute({ reason }))).toEqual([expect.objectContaining({ field: 'reason', value: undefined })]);
  });

  it('is recorded without the invisible characters around it', () => {
    expect(cleanReason('\u200B spam links \u200D')).toBe('spam links');
  });
});

describe('how many accounts one action may name', () => {
  const accids = (n: number) => Array.from({ length: n }, (_, i) => `spam${i + 1}`);

  it('takes 50 and refuses 51, naming the limit and the count (a raised limit must be a decision, not an accident)', () => {
    expect(sanctionProblems(mute({ accids: accids(50) }))).toEqual([]);
    expect(sanctionProblems(mute({ accids: accids(51) }))).toEqual([
      expect.objectContaining({ field: 'accids', rule: 'at most 50 accounts at once (this is 51)' }),
    ]);
  });
});

describe('a block with a message to the devices', () => {
  const block = (extra: Partial<Sanction>): Sanction => ({ kind: 'block', accids: ['alice'], reason: 'fraud', ...extra });

  it('is refused when the devices stay logged in (NetEase would deliver nothing), saying what to do', () => {
    expect(sanctionProblems(block({ needkick: false, kickNotifyExt: 'You are blocked' }))).toEqual([
      expect.objectContaining({ field: 'kickNotifyExt', rule: KICK_MESSAGE_NEEDS_LOGOUT }),
    ]);
    expect(KICK_MESSAGE_NEEDS_LOGOUT).toMatch(/log out of every device/);
  });

  it('is taken with the logout, and no message is fine either way', () => {
    expect(sanctionProblems(block({ needkick: true, kickNotifyExt: 'You are blocked' }))).toEqual([]);
    expect(sanctionProblems(block({ needkick: false }))).toEqual([]);
  });
});
