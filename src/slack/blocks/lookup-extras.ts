import type { KnownBlock } from '@slack/types';
import type { InvalidAccid } from '../command-text.js';
import { accidProblemKind } from '../command-text.js';
import type { Messages } from '../i18n/catalog.js';
import { ACCID_MAX_LENGTH } from '../../nim/accid.js';
import type { Budget } from './budget.js';
import { packList } from './budget.js';
import { code, untrusted } from './text.js';

/** Room each of the closing lists keeps for the other: a title and a few entries. */
export const EXTRAS_RESERVE = { blocks: 2, chars: 600 };

/** Accids NetEase did not return, then accids that were never valid with the reason: shared by every lookup. */
export function lookupExtras(
  m: Messages,
  notFound: string[],
  invalid: { accid: string; reason: string }[],
  budget: Budget,
): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (notFound.length > 0) {
    const keep = invalid.length > 0 ? EXTRAS_RESERVE : undefined;
    const line = notFound.map((accid) => `• ${code(accid, 64)}`);
    blocks.push(...packList(`*${m.lookup.notFoundTitle(notFound.length)}*`, line, budget, m.common.andMore, keep));
  }
  if (invalid.length > 0) {
    const lines = invalid.map((entry) => `• ${code(entry.accid, 64)} ${invalidReason(m, entry)}`);
    blocks.push(...packList(`*${m.lookup.invalidTitle(invalid.length)}*`, lines, budget, m.common.andMore));
  }
  return blocks;
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
