import { describe, expect, it } from 'vitest';
import { en } from '../../../src/slack/i18n/en.js';
import { localeFromSlack, messages } from '../../../src/slack/i18n/catalog.js';
import { zhCN } from '../../../src/slack/i18n/zh-cn.js';

/** Every key path and the arity of each function, so a Chinese text cannot drop a placeholder argument. */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function') return [`${path}()${value.length}`];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => shape(inner, path ? `${path}.${key}` : key));
  }
  return [path];
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') {
    const args = Array.from({ length: value.length }, (_, i) => (i % 2 === 0 ? 3 : 'X'));
    return [String((value as (...a: unknown[]) => unknown)(...args))];
  }
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('message catalog', () => {
  it('has the same keys in English and Simplified Chinese', () => {
    expect(shape(zhCN).sort()).toEqual(shape(en).sort());
  });

  it('has no empty text in either language', () => {
    for (const catalog of [en, zhCN]) for (const text of strings(catalog)) expect(text.trim()).not.toBe('');
  });

  it('is actually translated: most Chinese texts differ from the English', () => {
    const a = strings(en);
    const b = strings(zhCN);
    const same = a.filter((text, i) => text === b[i] && /[a-z]{3}/.test(text));
    expect(same).toEqual([]);
  });

  it('uses full-width punctuation after Chinese text: no ASCII colon where a Chinese reader expects ：', () => {
    const offending = strings(zhCN).filter((text) => /[\u4e00-\u9fff）]:(?!\w)/u.test(text));
    expect(offending).toEqual([]);
    expect(zhCN.common.inline('签名', 'x')).toBe('签名：x');
  });

  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['zh_HK', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['en-US', 'en'],
    ['ja-JP', 'en'],
    ['zhx', 'en'],
    [undefined, 'en'],
    ['', 'en'],
  ] as const)('maps Slack locale %s to %s', (slack, locale) => {
    expect(localeFromSlack(slack)).toBe(locale);
  });

  it('gives the catalog for a locale', () => {
    expect(messages('zh-CN')).toBe(zhCN);
    expect(messages('en')).toBe(en);
  });
});
