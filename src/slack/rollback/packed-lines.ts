import type { KnownBlock } from '@slack/types';
import { limits } from '../ui/text.js';

/**
 * Lines packed into as few sections as Slack takes (each under its 3,000-character limit), in order, at most
 * `maxBlocks` sections: what does not fit is counted, never cut mid-line, so the person is told how many are not shown.
 */
export function packLines(lines: readonly string[], maxBlocks: number): { blocks: KnownBlock[]; notShown: number } {
  const texts: string[] = [];
  let shown = 0;
  for (const line of lines) {
    const last = texts.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= limits.sectionText) texts[texts.length - 1] = `${last}\n${line}`;
    else if (texts.length < maxBlocks && line.length <= limits.sectionText) texts.push(line);
    else break;
    shown += 1;
  }
  return {
    blocks: texts.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })),
    notShown: lines.length - shown,
  };
}
