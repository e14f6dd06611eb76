import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskBirthday, maskEmail, maskMobile } from '../../../src/slack/ui/mask.js';

describe('maskEmail', () => {
  it.each([
    ['t1abc@163.com', 't1…@163.com'],
    ['alice.smith@example.com', 'al…@example.com'],
    ['ab@x.cn', 'a…@x.cn'],
    ['a@163.com', '…@163.com'],
    ['', ''],
    ['not-an-email', '***-**-*****'],
  ])('%s → %s', (input, expected) => {
    expect(maskEmail(input)).toBe(expected);
  });
});

describe('maskMobile', () => {
  it.each([
    ['18612344545', '186****4545'],
    ['+86-13800138000', '+86-138****8000'],
    ['+852-12345678', '+852-******78'],
    ['+1-2025550123', '+1-*******123'],
    ['1234', '***4'],
    ['12', '**'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(maskMobile(input)).toBe(expected);
  });

  /**
   * The README's rule, written here rather than derived from the code: a number of 11 digits or more shows its first
   * 3 and last 4 (as Chinese services print mobiles, `186****4545`); a shorter one shows at most its last third, and
   * never more than 4 digits.
   */
  const shownDigits = (n: number) => (n >= 11 ? { start: 3, end: 4 } : { start: 0, end: Math.min(4, Math.floor(n / 3)) });

  it('shows the first 3 and last 4 digits of a number of 11 or more, and at most the last third of a shorter one', () => {
    for (let n = 1; n <= 32; n += 1) {
      const digits = Array.from({ length: n }, (_, i) => String((i * 7 + 3) % 10)).join('');
      const { start, end } = shownDigits(n);
      const expected = digits.slice(0, start) + '*'.repeat(n - start - end) + digits.slice(n - end);
      expect(maskMobile(digits), `${n} digits`).toBe(expected);
    }
  });

  it('keeps a country prefix and separators in place and applies the same rule to the digits after it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', '+86-', '+852 ', '+1-'),
        fc.array(fc.constantFrom('0', '5', '9', '-', ' '), { minLength: 1, maxLength: 24 }),
        (prefix, chars) => {
          const number = chars.join('').trim();
          fc.pre(number !== '' && /\d/.test(number));
          const masked = maskMobile(prefix + number);
          expect(masked.startsWith(prefix)).toBe(true);
          const rest = masked.slice(prefix.length);
          expect(rest.replace(/[^- ]/g, '.')).toBe(number.replace(/[^- ]/g, '.'));
          const digits = [...number].filter((c) => /\d/.test(c));
          const { start, end } = shownDigits(digits.length);
          const expected = [...digits.slice(0, start), ...'*'.repeat(digits.length - start - end), ...digits.slice(digits.length - end)];
          expect([...rest].filter((c) => c !== '-' && c !== ' ')).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('maskBirthday', () => {
  it.each([
    ['2015-12-23', '****-12-23'],
    ['2015/12/23', '****/12/23'],
    ['12/23/2015', '12/23/****'],
    ['2015年12月23日', '****年12月23日'],
    ['Dec 23', '*** **'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(maskBirthday(input)).toBe(expected);
  });
});
