import { describe, expect, it } from 'vitest';
import { maskBirthday, maskEmail, maskMobile } from '../../src/slack/mask.js';

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

  it('never shows more than about a third of the digits', () => {
    for (let n = 1; n <= 20; n += 1) {
      const masked = maskMobile('7'.repeat(n));
      const shown = [...masked].filter((c) => c === '7').length;
      expect(shown).toBeLessThanOrEqual(Math.max(0, Math.ceil(n * 0.65)));
      expect(shown).toBeLessThan(n);
    }
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
