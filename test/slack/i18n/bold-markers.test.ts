import { describe, expect, it } from 'vitest';
import { mrkdwnToNodes } from '../../../src/simulator/render/mrkdwn.js';
import type { ViewNode } from '../../../src/simulator/render/view-node.js';
import { messages, type Locale } from '../../../src/slack/i18n/catalog.js';

/** Every text of a catalog, with its functions called on sample arguments: what a person can be shown. */
function catalogTexts(node: unknown, path: string, out: [string, string][]): [string, string][] {
  if (typeof node === 'string') out.push([path, node]);
  else if (typeof node === 'function') {
    const args = Array.from({ length: (node as (...a: unknown[]) => unknown).length }, (_, i) => (i % 2 === 0 ? 'Word' : 2));
    let value: unknown;
    try {
      value = (node as (...a: unknown[]) => unknown)(...args);
    } catch {
      value = undefined;
    }
    catalogTexts(value, path, out);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) catalogTexts(value, `${path}.${key}`, out);
  }
  return out;
}

/** The characters left as plain text once Slack has drawn the mrkdwn (code spans hold what the person typed). */
function plainText(nodes: readonly ViewNode[]): string {
  return nodes
    .map((node) => ('text' in node ? node.text : node.tag === 'code' || node.tag === 'pre' ? '' : plainText(node.children ?? [])))
    .join('');
}

describe.each<Locale>(['en', 'zh-CN'])('the %s catalog in Slack mrkdwn', (locale) => {
  it('draws every *bold* it asks for: no asterisk is left showing (Slack needs a space or punctuation around it)', () => {
    const raw = catalogTexts(messages(locale), locale, [])
      .filter(([, value]) => value.includes('*'))
      .filter(([, value]) => plainText(mrkdwnToNodes(value, { userName: () => undefined, channelName: () => undefined })).includes('*'))
      .map(([path, value]) => `${path}: ${value}`);
    expect(raw).toEqual([]);
  });
});
