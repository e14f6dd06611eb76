import { accidKey, accidProblem } from '../nim/accid.js';

/**
 * Finding the NetEase account ids in free text (a report, a pasted list, a screenshot's caption) for the "Look up IM
 * accounts" message shortcut. IM_ACCID_PATTERN decides what counts; each match gives one candidate (its first
 * capture group that took part, else the whole match), kept only when it is a valid accid, de-duplicated
 * case-insensitively, first spelling kept.
 */

/**
 * The default IM_ACCID_PATTERN, three alternatives:
 * - an id in backticks: `spam_bot_17`;
 * - an id after "accid" or "账号" (with an optional `:`, `：`, `=` or `#`): accid: bob, 账号：bob;
 * - a bare token that looks like an accid: 3 to 32 of letters, digits, `_ @ . -`, with at least one digit and one
 *   letter or `_` (so neither a plain word nor a plain number), ending in a letter, digit or `_` (a full stop after
 *   it ends the sentence), not part of a link, a mention or an emoji code.
 */
export const DEFAULT_ACCID_PATTERN = [
  '`([A-Za-z0-9_@.-]{1,32})`',
  '(?:accid|账号)\\s*[:：=#]?\\s*([A-Za-z0-9_@.-]{1,32})',
  '(?<![\\w@.\\-/:#<|])((?=[A-Za-z0-9_@.-]*\\d)(?=[A-Za-z0-9_@.-]*[A-Za-z_])[A-Za-z0-9_@.-]{2,31}[A-Za-z0-9_])(?![\\w@\\-/:>|]|\\.\\w)',
].join('|');

/** Flags every pattern is compiled with: all matches, "ACCID" as "accid", and 账号 as one character each. */
const FLAGS = 'giu';

/** At most this many ids are taken from one text (a lookup shows at most this many cards). */
export const MAX_FOUND = 50;

/** Compiles IM_ACCID_PATTERN, or says in plain words why it cannot be used. */
export function compileAccidPattern(source: string): { pattern: RegExp } | { problem: string } {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, FLAGS);
  } catch (error) {
    return { problem: `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})` };
  }
  // A pattern that matches nothing at all would find an "id" between every two characters.
  if (new RegExp(source, 'u').test('')) return { problem: 'matches empty text: it must match at least one character' };
  return { pattern };
}

export type FoundAccids = {
  /** Valid accids, in the order they appear. */
  accids: string[];
  /** True when the text held more than MAX_FOUND and the rest were left out. */
  truncated: boolean;
};

/** The accids `pattern` finds in `text`. */
export function findAccids(text: string, pattern: RegExp): FoundAccids {
  const seen = new Set<string>();
  const accids: string[] = [];
  const global = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  for (const match of text.matchAll(global)) {
    const candidate = match.slice(1).find((group) => group !== undefined) ?? match[0];
    if (accidProblem(candidate) !== undefined || seen.has(accidKey(candidate))) continue;
    if (accids.length === MAX_FOUND) return { accids, truncated: true };
    seen.add(accidKey(candidate));
    accids.push(candidate);
  }
  return { accids, truncated: false };
}
