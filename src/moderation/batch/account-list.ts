import { accidKey, accidProblem } from '../../nim/accid.js';

/**
 * The accounts of a bulk action as a person gave them: typed in the command, pasted in the form's list field, or in
 * an attached .txt / .csv file, all together. Duplicates are folded (case-insensitively, the first spelling kept),
 * ids NetEase could not have are set aside with the reason, so that the confirmation lists them before anything runs.
 */

export type InvalidAccid = { text: string; problem: string };

export type AccountList = {
  /** Valid, unique, in the order given. */
  accids: string[];
  /** How many repeats were folded away. */
  duplicates: number;
  /** Ids that cannot be NetEase accids (at most the first 50, with `invalidCount` for all). */
  invalid: InvalidAccid[];
  invalidCount: number;
};

/** A file bigger than this is refused before it is read (1,000 ids of 32 characters take about 33 kB). */
export const ACCOUNT_FILE_MAX_BYTES = 512 * 1024;
const INVALID_SHOWN = 50;

/** Ids in typed text: separated by spaces, commas (also full-width and 、) or new lines. */
export function tokensOfText(text: string): string[] {
  return text.split(/[\s,，、;]+/u).filter((token) => token !== '');
}

/**
 * Ids in an attached file: a .csv gives the first column of each row (quotes removed; a header row such as `accid` is
 * skipped), anything else is read as text.
 */
export function tokensOfFile(name: string, content: string): string[] {
  if (!/\.csv$/i.test(name)) return tokensOfText(content);
  const rows = content.split(/\r?\n/u).map((row) =>
    (row.split(/[,;\t]/u)[0] ?? '')
      .trim()
      .replace(/^"(.*)"$/u, '$1')
      .trim(),
  );
  const cells = rows.filter((cell) => cell !== '');
  if (cells[0] !== undefined && /^(accid|account|id|user|账号|用户)$/iu.test(cells[0])) cells.shift();
  return cells;
}

/** Folds duplicates and sets invalid ids aside, over every source in order. */
export function accountList(tokens: readonly string[]): AccountList {
  const seen = new Set<string>();
  const list: AccountList = { accids: [], duplicates: 0, invalid: [], invalidCount: 0 };
  for (const token of tokens) {
    const problem = accidProblem(token);
    if (problem) {
      list.invalidCount += 1;
      if (list.invalid.length < INVALID_SHOWN) list.invalid.push({ text: token.slice(0, 64), problem });
      continue;
    }
    const key = accidKey(token);
    if (seen.has(key)) {
      list.duplicates += 1;
      continue;
    }
    seen.add(key);
    list.accids.push(token);
  }
  return list;
}
