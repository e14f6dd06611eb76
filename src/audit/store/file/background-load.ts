import type { StoreFs } from './fs.js';
import { findLinesBackward } from './line-reader.js';
import { chainedKinds, parseLine } from './lines.js';
import type { LogFile } from './segments.js';
import type { StoreState } from './state.js';

/**
 * A first start over a large log with no checkpoint (a v1 log after the upgrade) does not wait for the whole log to be
 * read: the store opens at once, chained to the newest record (found from the end), and what the older part holds
 * that is still live (unposted entries, intents whose process died) joins the live state when a background read
 * finishes. Until then nothing older can be claimed, so nothing is missed, only found a little later.
 */

/** Items of the background read sort before anything stored since the start (oldest first). */
export const LIVE_ORDER_START = 2 ** 40;

/** The newest chained record of the log, read backwards from the end: the head the next record is chained to. */
export async function newestChainedRecord(
  fs: StoreFs,
  files: readonly (LogFile & { size: number })[],
): Promise<{ text: string; id: string } | undefined> {
  let found: { text: string; id: string } | undefined;
  for (const file of [...files].reverse()) {
    await findLinesBackward(fs, file.path, '"id":', { before: file.size, ignoreCase: false }, (text) => {
      const { kind, id } = (parseLine(text) ?? {}) as { kind?: unknown; id?: unknown };
      if (typeof kind !== 'string' || !chainedKinds.has(kind) || typeof id !== 'string') return true;
      found = { text, id };
      return false;
    });
    if (found) return found;
  }
  return undefined;
}

/** Adds what the background read found to the live state; `live` counts only the records stored since the start. */
export function mergeLoaded(live: StoreState, loaded: StoreState): void {
  for (const [id, intent] of loaded.unsettled) if (!live.unsettled.has(id)) live.unsettled.set(id, intent);
  for (const [id, entry] of loaded.unposted) if (!live.unposted.has(id)) live.unposted.set(id, entry);
  for (const [id, lift] of loaded.lifts) if (!live.lifts.has(id)) live.lifts.set(id, lift);
  for (const [key, once] of loaded.once) if (!live.once.has(key)) live.once.set(key, once);
  live.head = live.head.count > 0 ? { ...live.head, count: loaded.head.count + live.head.count } : { ...loaded.head };
}
