import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { cardChangeProblems, serverIdProblems, serverMemberProblems, updateUinfoProblems, utf8Bytes } from '../../src/nim/validate.js';

const fields = (problems: InputError[]) => problems.map((p) => p.field);

describe('user card limits', () => {
  it.each([
    ['name', 64],
    ['sign', 256],
    ['email', 64],
    ['birth', 16],
    ['mobile', 32],
    ['ex', 1024],
  ] as const)('accepts %s at %i characters and refuses one more', (field, max) => {
    expect(cardChangeProblems({ [field]: 'x'.repeat(max) })).toEqual([]);
    const [problem] = cardChangeProblems({ [field]: 'x'.repeat(max + 1) });
    expect(problem).toBeInstanceOf(InputError);
    expect(problem?.field).toBe(field);
    expect(problem?.rule).toContain(`at most ${max} characters`);
    expect(problem?.value).toBe('x'.repeat(max + 1));
  });

  it('counts characters as UTF-16 code units: an emoji counts two', () => {
    expect(cardChangeProblems({ name: '😀'.repeat(32) })).toEqual([]);
    expect(fields(cardChangeProblems({ name: '😀'.repeat(32) + 'a' }))).toEqual(['name']);
    // Chinese characters are one code unit each: 64 fit although they are 192 UTF-8 bytes.
    expect(cardChangeProblems({ name: '网'.repeat(64) })).toEqual([]);
  });

  it('limits icon in UTF-8 bytes, not characters', () => {
    expect(utf8Bytes('网')).toBe(3);
    expect(cardChangeProblems({ icon: 'a'.repeat(1024) })).toEqual([]);
    const [problem] = cardChangeProblems({ icon: `https://x/${'网'.repeat(339)}` }); // 10 + 1017 bytes, 349 chars
    expect(problem?.field).toBe('icon');
    expect(problem?.rule).toBe('at most 1024 bytes in UTF-8 (this is 1027)');
  });

  it('allows an empty string (clears the field) and ignores absent fields', () => {
    expect(cardChangeProblems({ name: '', icon: '', sign: '', email: '', birth: '', mobile: '', ex: '' })).toEqual([]);
    expect(cardChangeProblems({ name: undefined })).toEqual([]);
  });

  it('accepts gender 0, 1 and 2 only', () => {
    for (const gender of [0, 1, 2] as const) expect(cardChangeProblems({ gender })).toEqual([]);
    for (const gender of [3, -1, 1.5, '1']) {
      expect(fields(cardChangeProblems({ gender } as never))).toEqual(['gender']);
    }
  });

  it('returns every problem at once, each under its own field', () => {
    const problems = cardChangeProblems({ name: 'n'.repeat(65), email: 'e'.repeat(65), gender: 7 as never, sign: 'ok' });
    expect(fields(problems)).toEqual(['name', 'email', 'gender']);
  });

  it('refuses fields that are not part of the card and values that are not text', () => {
    expect(fields(cardChangeProblems({ nickname: 'x' } as never))).toEqual(['nickname']);
    expect(fields(cardChangeProblems({ name: 42 } as never))).toEqual(['name']);
  });

  it('checks the accid with the changes', () => {
    expect(fields(updateUinfoProblems('bad accid!', { name: 'n'.repeat(65) }))).toEqual(['accid', 'name']);
    expect(fields(updateUinfoProblems('a'.repeat(33), {}))).toEqual(['accid']);
    expect(updateUinfoProblems('good_accid@x.y-z', { name: 'ok' })).toEqual([]);
  });
});

describe('QChat member card limits', () => {
  it('accepts server ids up to 18446744073709551615', () => {
    expect(serverIdProblems('1')).toEqual([]);
    expect(serverIdProblems('18446744073709551615')).toEqual([]);
    for (const bad of ['18446744073709551616', '99999999999999999999', '0', '007', '-1', '1e3', ' 12', '', 123]) {
      expect(fields(serverIdProblems(bad)), String(bad)).toEqual(['serverId']);
    }
  });

  it('checks nick, avatar and custom, and names every problem', () => {
    const problems = serverMemberProblems({
      accid: 'op',
      serverId: 'abc',
      nick: 'n'.repeat(65),
      avatar: 'a'.repeat(1025),
      custom: 'c'.repeat(1025),
    });
    expect(fields(problems)).toEqual(['serverId', 'nick', 'avatar', 'custom']);
    expect(serverMemberProblems({ accid: 'op', serverId: '42', nick: 'n'.repeat(64), avatar: '', custom: 'c' })).toEqual([]);
  });
});
