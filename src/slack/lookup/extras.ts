import type { KnownBlock } from '@slack/types';
import type { InvalidAccid } from '../interaction/command-text.js';
import { accidProblemKind } from '../interaction/command-text.js';
import type { Messages } from '../i18n/catalog.js';
import { ACCID_MAX_LENGTH } from '../../nim/accid.js';
import type { Budget } from '../ui/budget.js';
import { packInline } from '../ui/budget.js';
import { code, untrusted } from '../ui/text.js';

/** Room each of the closing lists keeps for the other: a title and a few entries. */
export const EXTRAS_RESERVE = { blocks: 2, chars: 600 };

/**
 * Accids NetEase did not return, then accids that were never valid, grouped by the rule they break: shared by every
 * lookup. Each list is comma-separated behind its count, so 284 unknown ids take a few lines, not 284.
 */
export function lookupExtras(m: Messages, notFound: string[], invalid: InvalidAccid[], budget: Budget): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (notFound.length > 0) {
    const keep = invalid.length > 0 ? EXTRAS_RESERVE : undefined;
    const items = notFound.map((accid) => code(accid, 64));
    blocks.push(...packInline(`*${m.lookup.notFoundTitle(notFound.length)}*`, items, budget, m.common.andMore, keep));
  }
  const groups = groupByRule(m, invalid);
  groups.forEach(([rule, accids], index) => {
    const heading = m.lookup.invalidGroup(m.fields.accid, rule, accids.length);
    const title = index === 0 ? `*${m.lookup.invalidTitle(invalid.length)}*\n${heading}` : heading;
    const keep = { blocks: groups.length - index - 1, chars: 200 * (groups.length - index - 1) };
    blocks.push(
      ...packInline(
        title,
        accids.map((accid) => code(accid, 64)),
        budget,
        m.common.andMore,
        keep,
      ),
    );
  });
  return blocks;
}

/** Invalid accids by the rule they break, in the viewer's language, in the order first met. */
function groupByRule(m: Messages, invalid: InvalidAccid[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const entry of invalid) {
    const rule = invalidReason(m, entry);
    groups.set(rule, [...(groups.get(rule) ?? []), entry.accid]);
  }
  return [...groups];
}

/** The reason in the viewer's language when it is one of the accid rules; otherwise as given, escaped. */
function invalidReason(m: Messages, entry: InvalidAccid): string {
  const kind = entry.kind ?? accidProblemKind(entry.accid);
  if (kind === 'empty') return m.accidProblems.empty;
  if (kind === 'too_long') return m.accidProblems.too_long(ACCID_MAX_LENGTH);
  if (kind === 'bad_characters') return m.accidProblems.bad_characters;
  return untrusted(entry.reason, 300);
}

/** How many entries the closing lists need kept for them while the main list is packed. */
export function extrasReserve(notFound: number, invalid: number): { blocks: number; chars: number } {
  const lists = (notFound > 0 ? 1 : 0) + (invalid > 0 ? 1 : 0);
  return { blocks: EXTRAS_RESERVE.blocks * lists, chars: EXTRAS_RESERVE.chars * lists };
}
