import { accidKey } from '../../../nim/accid.js';
import type { OutcomeRecord } from '../../records.js';
import type { HistoryItem, HistoryPage, HistoryQuery, PostedMessage } from '../contract.js';
import type { StoreFs } from './fs.js';
import { findLinesBackward, findLinesForward } from './line-reader.js';
import { chainedLineSchema, parseLine, postedLineSchema } from './lines.js';
import type { LogFile } from './segments.js';
import type { StoreState } from './state.js';

/** The log as a query sees it: its files, newest last, and how many bytes of each are whole records. */
export type LogSnapshot = { files: (LogFile & { size: number })[]; state: StoreState; fs: StoreFs };

/** How far past an entry's first record its outcome and `posted` marker are looked for. */
const COMPLETION_WINDOW = 32 * 1024 * 1024;

/**
 * One account's or person's history, newest first: the log is searched backwards for the account's or person's id
 * (a byte search, no parsing of the lines that do not hold it), then each update is completed with its outcome and
 * where it was posted, found just after it. The cursor is `<file seq>:<byte offset>` of the last item returned.
 */
export async function readHistory(log: LogSnapshot, query: HistoryQuery): Promise<HistoryPage> {
  const limit = query.limit ?? 10;
  const cursor = parseCursor(query.before);
  const needle =
    'accid' in query ? `"accid":${JSON.stringify(accidKey(query.accid))}` : `"actor":${JSON.stringify(query.actor).toLowerCase()}`;
  const matches = (record: { actor: string; target: { accid: string } }) =>
    'accid' in query ? accidKey(record.target.accid) === accidKey(query.accid) : record.actor === query.actor;

  const found: { item: HistoryItem; seq: number; offset: number }[] = [];
  for (const file of [...log.files].reverse()) {
    if (cursor && file.seq > cursor.seq) continue;
    const before = cursor && file.seq === cursor.seq ? cursor.offset : file.size;
    const more = await findLinesBackward(log.fs, file.path, needle, { before, ignoreCase: true }, (text, offset) => {
      const parsed = chainedLineSchema.safeParse(parseLine(text));
      if (!parsed.success || parsed.data.kind === 'outcome' || !matches(parsed.data)) return true;
      const record = parsed.data;
      const item: HistoryItem = record.kind === 'intent' ? { kind: 'update', intent: record } : { kind: 'refusal', refusal: record };
      found.push({ item, seq: file.seq, offset });
      return found.length < limit;
    });
    if (!more) break;
  }
  const items = await Promise.all(found.map(({ item, seq, offset }) => complete(log, item, seq, offset)));
  const last = found.at(-1);
  return { items, ...(found.length === limit && last ? { next: `${last.seq}:${last.offset}` } : {}) };
}

/** One entry by id: from memory when it is live, else searched backwards from the newest record. */
export async function readEntry(log: LogSnapshot, id: string): Promise<HistoryItem | undefined> {
  const live = liveItem(log.state, id);
  if (live) return live;
  const needle = `"id":${JSON.stringify(id)}`;
  let first: { item: HistoryItem; seq: number; offset: number } | undefined;
  for (const file of [...log.files].reverse()) {
    const more = await findLinesBackward(log.fs, file.path, needle, { before: file.size, ignoreCase: false }, (text, offset) => {
      const parsed = chainedLineSchema.safeParse(parseLine(text));
      if (!parsed.success || parsed.data.id !== id || parsed.data.kind === 'outcome') return true;
      const record = parsed.data;
      first = {
        item: record.kind === 'intent' ? { kind: 'update', intent: record } : { kind: 'refusal', refusal: record },
        seq: file.seq,
        offset,
      };
      return false;
    });
    if (!more) break;
  }
  return first && complete(log, first.item, first.seq, first.offset);
}

function liveItem(state: StoreState, id: string): HistoryItem | undefined {
  const unsettled = state.unsettled.get(id);
  if (unsettled) return { kind: 'update', intent: unsettled.intent };
  return state.unposted.get(id)?.entry;
}

/** Adds the outcome and the posted message, which follow the entry's first record in the log. */
async function complete(log: LogSnapshot, item: HistoryItem, seq: number, offset: number): Promise<HistoryItem> {
  const id = item.kind === 'update' ? item.intent.id : item.refusal.id;
  const live = liveItem(log.state, id);
  if (live) return live;
  let outcome: OutcomeRecord | undefined;
  let posted: PostedMessage | undefined;
  let postedSeen = false;
  const needle = `"id":${JSON.stringify(id)}`;
  let budget = COMPLETION_WINDOW;
  for (const file of log.files) {
    if (file.seq < seq || budget <= 0) continue;
    const from = file.seq === seq ? offset : 0;
    const more = await findLinesForward(log.fs, file.path, needle, { from, maxBytes: budget }, (text) => {
      const value = parseLine(text);
      const chained = chainedLineSchema.safeParse(value);
      if (chained.success && chained.data.kind === 'outcome' && chained.data.id === id) outcome ??= chained.data;
      const marker = postedLineSchema.safeParse(value);
      if (marker.success && marker.data.id === id) {
        postedSeen = true;
        if (marker.data.channel && marker.data.ts) posted = { channel: marker.data.channel, ts: marker.data.ts };
      }
      return !(postedSeen && (outcome || item.kind === 'refusal'));
    });
    budget -= Math.max(0, file.size - from);
    if (!more) break;
  }
  if (item.kind === 'refusal') return { ...item, ...(posted ? { posted } : {}) };
  return { ...item, ...(outcome ? { outcome } : {}), ...(posted ? { posted } : {}) };
}

function parseCursor(cursor: string | undefined): { seq: number; offset: number } | undefined {
  if (cursor === undefined) return undefined;
  const match = /^(\d+):(\d+)$/.exec(cursor);
  if (!match) throw new TypeError(`history cursor ${JSON.stringify(cursor)} is not one this store gave`);
  return { seq: Number(match[1]), offset: Number(match[2]) };
}
