import { describe, expect, it } from 'vitest';
import { compileAccidPattern, DEFAULT_ACCID_PATTERN, findAccids, MAX_FOUND } from '../../src/lookup/find-accids.js';

const compiled = compileAccidPattern(DEFAULT_ACCID_PATTERN);
if (!('pattern' in compiled)) throw new Error(compiled.problem);
const find = (text: string) => findAccids(text, compiled.pattern).accids;

describe('finding account ids in a message (default IM_ACCID_PATTERN)', () => {
  it('takes ids in backticks, even plain words', () => {
    expect(find('please check `alice` and `Bob.1`')).toEqual(['alice', 'Bob.1']);
  });

  it('takes the id after "accid" or "账号", with or without a colon', () => {
    expect(find('accid: bob, ACCID=dave 账号：carol 账号 erin')).toEqual(['bob', 'dave', 'carol', 'erin']);
  });

  it('takes bare tokens that look like accids, in English and Chinese text', () => {
    expect(find('reported spam_bot_17 and user2024. Also 用户abc123被举报')).toEqual(['spam_bot_17', 'user2024', 'abc123']);
  });

  it('leaves out plain words, plain numbers, times, links, mentions, channels and emoji codes', () => {
    const text = 'today at 12:30 see https://x.example/a1b2 and <@U0123ABC> in <#C0456DEF|ops> :smile_2: 13800138000';
    expect(find(text)).toEqual([]);
  });

  it('names each account once, in the first spelling, and skips what is not a valid accid', () => {
    expect(find('`Alice` accid alice `this-one-is-far-too-long-for-netease-ids` `ok_1`')).toEqual(['Alice', 'ok_1']);
  });

  it(`stops at ${MAX_FOUND} ids and says so`, () => {
    const text = Array.from({ length: MAX_FOUND + 5 }, (_, n) => `user${n}`).join(' ');
    const found = findAccids(text, compiled.pattern);
    expect(found.accids).toHaveLength(MAX_FOUND);
    expect(found.truncated).toBe(true);
    expect(findAccids('user1 user2', compiled.pattern).truncated).toBe(false);
  });
});

describe('IM_ACCID_PATTERN set by the operator', () => {
  it('uses the first capture group that matched, else the whole match', () => {
    const custom = compileAccidPattern('uid=(\\w+)|\\bid\\d+');
    if (!('pattern' in custom)) throw new Error(custom.problem);
    expect(findAccids('uid=alice and id42, not user7', custom.pattern).accids).toEqual(['alice', 'id42']);
  });

  it('is refused at start when it is not a regular expression, or matches empty text', () => {
    expect(compileAccidPattern('(unclosed')).toEqual({ problem: expect.stringMatching(/^is not a valid regular expression \(/) });
    expect(compileAccidPattern('a*')).toEqual({ problem: 'matches empty text: it must match at least one character' });
  });
});
