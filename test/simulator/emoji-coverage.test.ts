import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawsEmoji, emojiNodes } from '../../src/simulator/render/mrkdwn.js';
import { en } from '../../src/slack/i18n/en.js';
import { zhCN } from '../../src/slack/i18n/zh-cn.js';

const SHORTCODE = /:([a-z][a-z0-9_+-]*):/g;

/** Every text of a catalog, functions called with sample arguments. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function')
    return [String((value as (...a: unknown[]) => unknown)(...Array.from({ length: value.length }, () => 'X')))];
  if (value && typeof value === 'object') return Object.values(value).flatMap(texts);
  return [];
}

/** The app's Slack-side sources, where a renderer may put a shortcode of its own (`:crown: Owner`). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [readFileSync(join(dir, entry.name), 'utf8')] : [],
  );
}

const codesIn = (all: string[]) => [...new Set(all.flatMap((text) => [...text.matchAll(SHORTCODE)].map((m) => m[1]!)))].sort();

describe('the simulator draws every emoji the app uses', () => {
  const fromCatalogs = codesIn([...texts(en), ...texts(zhCN)]);
  const fromSources = codesIn(sources(new URL('../../src/slack/', import.meta.url).pathname));

  it('finds the codes it checks (the walk itself works)', () => {
    expect(fromCatalogs).toEqual(expect.arrayContaining(['warning', 'no_entry_sign', 'white_check_mark']));
    expect(fromSources).toContain('crown');
  });

  it.each([...new Set([...fromCatalogs, ...fromSources])])(':%s: is drawn, not left as text', (name) => {
    expect(drawsEmoji(name)).toBe(true);
    const [node] = emojiNodes(`:${name}:`);
    expect(node).toMatchObject({ tag: 'span', attrs: { title: `:${name}:` } });
  });
});
