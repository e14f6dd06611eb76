import { flag, text, type Method, type SlackState, type StoredMessage } from './api-state.js';
import { messageObject } from './chat-methods.js';

/**
 * conversations.history as Slack answers it: a channel's messages (no thread replies, except those broadcast to the
 * channel) newest first, between `oldest` and `latest` (exclusive unless `inclusive`), `limit` a page (default 100,
 * at most 999), the next page behind `response_metadata.next_cursor` while `has_more`; message metadata only with
 * `include_all_metadata`. Refused as Slack does: missing_scope (channels:history, groups:history for a private G…
 * channel, im:history for a DM, with `needed`), channel_not_found, not_in_channel, invalid_cursor.
 */

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 999;

/** The scope reading a channel's history needs, by the kind its id says. */
function historyScope(channel: string): string {
  if (channel.startsWith('D')) return 'im:history';
  if (channel.startsWith('G')) return 'groups:history';
  return 'channels:history';
}

/** A ts (or an `oldest`/`latest` bound) as microseconds, exactly: a double cannot tell 1765108800.000001 from …002. */
function micros(ts: string): bigint | undefined {
  const parts = /^(\d+)(?:\.(\d{0,6})\d*)?$/.exec(ts);
  return parts ? BigInt(parts[1]!) * 1_000_000n + BigInt((parts[2] ?? '').padEnd(6, '0')) : undefined;
}

/** The cursor names the ts the next page starts below (Slack's are opaque; this one is base64 too). */
const encodeCursor = (ts: string): string => Buffer.from(`next_ts:${ts}`).toString('base64');
function decodeCursor(cursor: string): string | undefined {
  const decoded = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return decoded?.[1];
}

/** A form-encoded bound is a string; a JSON one may be a number. */
const boundOf = (value: unknown): string | undefined => (typeof value === 'number' ? String(value) : text(value));

function inChannelView(message: StoredMessage): boolean {
  return message.thread_ts === undefined || message.thread_ts === message.ts || message.reply_broadcast === true;
}

export const historyMethods: Record<string, Method> = {
  'conversations.history': (state: SlackState, args) => {
    const channel = text(args.channel);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const needed = historyScope(channel);
    if (!state.scopes.has(needed)) {
      return { ok: false, error: 'missing_scope', needed, provided: [...state.scopes].join(',') };
    }
    if (state.notMemberOf.has(channel)) return { ok: false, error: 'not_in_channel' };
    const inclusive = flag(args.inclusive);
    const cursor = text(args.cursor);
    const below = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && below === undefined) return { ok: false, error: 'invalid_cursor' };
    const oldestArg = boundOf(args.oldest);
    const latestArg = below ?? boundOf(args.latest);
    const oldest = oldestArg === undefined ? undefined : micros(oldestArg);
    const latest = latestArg === undefined ? undefined : micros(latestArg);
    if ((oldestArg !== undefined && oldest === undefined) || (latestArg !== undefined && latest === undefined)) {
      return { ok: false, error: 'invalid_ts_oldest' };
    }
    const latestInclusive = below === undefined && inclusive;
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number(text(args.limit) ?? args.limit ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
    const matching = [...state.messages.values()]
      .filter((message) => message.channel === channel && inChannelView(message))
      .map((message) => ({ message, at: micros(message.ts) ?? 0n }))
      .filter(({ at }) => {
        const afterOldest = oldest === undefined || (inclusive ? at >= oldest : at > oldest);
        const beforeLatest = latest === undefined || (latestInclusive ? at <= latest : at < latest);
        return afterOldest && beforeLatest;
      })
      .sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? 1 : -1))
      .map(({ message }) => message);
    const page = matching.slice(0, limit);
    const hasMore = matching.length > limit;
    const withMetadata = flag(args.include_all_metadata);
    return {
      ok: true,
      messages: page.map((message) => messageObject(state, message, withMetadata)),
      has_more: hasMore,
      pin_count: 0,
      ...(hasMore ? { response_metadata: { next_cursor: encodeCursor(page.at(-1)!.ts) } } : {}),
    };
  },
};
