import type { KnownBlock } from '@slack/types';
import { clipMrkdwn, context, limits, section } from './text.js';

/** The characters of text a message carries: every `text` and `alt_text` string, as Slack counts toward its cap. */
export function textLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + textLength(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  let sum = 0;
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'text' || key === 'alt_text') && typeof inner === 'string') sum += inner.length;
    else sum += textLength(inner);
  }
  return sum;
}

/**
 * What is left of one message: blocks and characters of text. Renderers spend it in order and stop early, so a
 * long lookup still sends (Slack rejects the whole message past 50 blocks or ~13k characters).
 */
export class Budget {
  constructor(
    public blocks: number = limits.blocks,
    public chars: number = limits.messageText,
  ) {}

  fits(blocks: KnownBlock[], reserve = { blocks: 0, chars: 0 }): boolean {
    return blocks.length + reserve.blocks <= this.blocks && textLength(blocks) + reserve.chars <= this.chars;
  }

  /** Spends the budget on `blocks` and returns them. */
  spend(blocks: KnownBlock[]): KnownBlock[] {
    this.blocks -= blocks.length;
    this.chars -= textLength(blocks);
    return blocks;
  }
}

/** One list line never takes more than this, so one odd value cannot crowd out the rest. */
const MAX_LINE = 1000;

/** Room kept for the closing "…and N more" line of a list. */
const MORE_RESERVE = { blocks: 1, chars: 80 };

/**
 * A titled list of mrkdwn lines packed into as few sections as the 3000-character limit allows, within `budget`,
 * leaving `keep` for what follows. Lines that do not fit are counted in a closing "…and N more".
 */
export function packList(
  title: string,
  lines: string[],
  budget: Budget,
  andMore: (n: number) => string,
  keep = { blocks: 0, chars: 0 },
): KnownBlock[] {
  return pack({ title, items: lines, separator: '\n', budget, andMore, keep });
}

/**
 * A titled list of short mrkdwn items, comma-separated after the title, in as few sections as the 3000-character
 * limit allows, within `budget`, leaving `keep` for what follows. Items that do not fit are counted in a closing
 * "…and N more".
 */
export function packInline(
  title: string,
  items: string[],
  budget: Budget,
  andMore: (n: number) => string,
  keep = { blocks: 0, chars: 0 },
): KnownBlock[] {
  return pack({ title, items, separator: ', ', budget, andMore, keep });
}

/** The title on its own line, then the items joined by `separator`, a new section whenever one is full. */
function pack(input: {
  title: string;
  items: string[];
  separator: string;
  budget: Budget;
  andMore: (n: number) => string;
  keep: { blocks: number; chars: number };
}): KnownBlock[] {
  const { title, items, separator, budget, andMore, keep } = input;
  const reserve = { blocks: keep.blocks + MORE_RESERVE.blocks, chars: keep.chars + MORE_RESERVE.chars };
  const texts: string[] = [];
  let current = title;
  let shown = 0;
  for (const item of items.map((i) => clipMrkdwn(i, MAX_LINE))) {
    const joined = current === '' ? item : `${current}${shown === 0 ? '\n' : separator}${item}`;
    const next = joined.length <= limits.sectionText ? [...texts, joined] : [...texts, current, item];
    if (!budget.fits(next.map(section), reserve)) break;
    if (joined.length <= limits.sectionText) current = joined;
    else {
      texts.push(current);
      current = item;
    }
    shown += 1;
  }
  const blocks: KnownBlock[] = [...texts, current].filter((text) => text !== '').map(section);
  if (shown < items.length) blocks.push(context(andMore(items.length - shown)));
  return budget.spend(blocks);
}
