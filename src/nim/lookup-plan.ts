import { accidKey } from './accid.js';
import type { UserCard, UserLookup } from './types.js';
import { accidProblems } from './validate.js';

/** NetEase's limit of accids per user/getUinfos.action call. */
export const GET_UINFOS_MAX_ACCIDS = 200;

/**
 * Validates the accids (the first offending one is named → InputError), removes case-insensitive duplicates
 * (keeping the first spelling) and splits them into chunks NetEase accepts.
 */
export function planLookup(accids: readonly string[], chunkSize = GET_UINFOS_MAX_ACCIDS): { unique: string[]; chunks: string[][] } {
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const accid of accids) {
    const [problem] = accidProblems('accids', accid);
    if (problem) throw problem;
    const key = accidKey(accid);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(accid);
  }
  const chunks: string[][] = [];
  for (let start = 0; start < unique.length; start += chunkSize) chunks.push(unique.slice(start, start + chunkSize));
  return { unique, chunks };
}

/** Puts the cards back in the caller's order; accids NetEase did not return are not found (as the caller typed them). */
export function mergeLookup(unique: readonly string[], cards: readonly UserCard[]): UserLookup {
  const byKey = new Map(cards.map((card) => [accidKey(card.accid), card]));
  const lookup: UserLookup = { found: [], notFound: [] };
  for (const accid of unique) {
    const card = byKey.get(accidKey(accid));
    if (card) lookup.found.push(card);
    else lookup.notFound.push(accid);
  }
  return lookup;
}
