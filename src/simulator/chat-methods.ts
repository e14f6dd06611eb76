import { flag, messageKey, messageTs, text, type ApiAnswer, type Method, type SlackState, type StoredMessage } from './api-state.js';

/**
 * The chat.* methods: messages are kept (by channel and ts) as posted, so chat.update changes the one Slack shows and a
 * test reads a message as it stands now. Errors are Slack's: channel_not_found, no_text, message_not_found,
 * cant_update_message (not the bot's own message), invalid_blocks.
 */

/** Slack refuses a message of more than 50 blocks. */
const MAX_MESSAGE_BLOCKS = 50;

const isUserId = (channel: string) => /^[UW][A-Z0-9]+$/.test(channel);

/** Slack opens the bot's DM with a person posted to by user id, and answers with the DM's id (D…), never the user's. */
export const channelPostedIn = (channel: string): string => (isUserId(channel) ? `D${channel.slice(1)}` : channel);

function hasContent(args: Record<string, unknown>): boolean {
  return text(args.text) !== undefined || (Array.isArray(args.blocks) && args.blocks.length > 0);
}

/** Slack's answer to blocks it cannot show, with the JSON pointer of the first problem. */
function blocksRefusal(blocks: unknown): ApiAnswer | undefined {
  const refuse = (problem: string, pointer: string): ApiAnswer => ({
    ok: false,
    error: 'invalid_blocks',
    errors: [`${problem} [json-pointer:${pointer}]`],
    response_metadata: { messages: [`[ERROR] ${problem} [json-pointer:${pointer}]`] },
  });
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return refuse('must be an array', '/blocks');
  if (blocks.length > MAX_MESSAGE_BLOCKS) return refuse(`no more than ${MAX_MESSAGE_BLOCKS} items allowed`, '/blocks');
  const untyped = blocks.findIndex((block) => typeof (block as { type?: unknown } | null)?.type !== 'string');
  return untyped === -1 ? undefined : refuse('must provide a string type', `/blocks/${untyped}/type`);
}

/** Slack keeps a message's metadata when it is an object with an `event_type` and an object `event_payload`. */
function metadataOf(value: unknown): Pick<StoredMessage, 'metadata'> {
  const metadata = value as { event_type?: unknown; event_payload?: unknown } | null | undefined;
  if (typeof metadata?.event_type !== 'string' || typeof metadata.event_payload !== 'object' || metadata.event_payload === null) return {};
  return { metadata: { event_type: metadata.event_type, event_payload: metadata.event_payload as Record<string, unknown> } };
}

/** The message as Slack shows it; `metadata` only where the caller asked for it (include_all_metadata). */
export function messageObject(state: SlackState, message: StoredMessage, withMetadata = false): Record<string, unknown> {
  return {
    type: 'message',
    user: message.user,
    ...(message.user === state.botUserId ? { bot_id: 'B0SIMULATE' } : {}),
    ts: message.ts,
    text: message.text ?? '',
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    ...(message.edited ? { edited: message.edited } : {}),
    ...(message.reply_broadcast ? { subtype: 'thread_broadcast' } : {}),
    ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}),
  };
}

export const chatMethods: Record<string, Method> = {
  'chat.postMessage': (state, args) => {
    const asked = text(args.channel);
    if (!asked) return { ok: false, error: 'channel_not_found' };
    if (!hasContent(args)) return { ok: false, error: 'no_text' };
    const channel = channelPostedIn(asked);
    const ts = messageTs(state);
    const message: StoredMessage = {
      channel,
      ts,
      user: state.botUserId,
      ...(text(args.text) ? { text: text(args.text) } : {}),
      ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
      ...(text(args.thread_ts) ? { thread_ts: text(args.thread_ts) } : {}),
      ...(text(args.thread_ts) && flag(args.reply_broadcast) ? { reply_broadcast: true } : {}),
      ...metadataOf(args.metadata),
    };
    state.messages.set(messageKey(channel, ts), message);
    return { ok: true, channel, ts, message: messageObject(state, message) };
  },

  /**
   * Replaces the message's text with the one sent (none when none is sent: the blocks then stand for it) and its
   * blocks with the ones sent; blocks not sent are kept, and `[]` removes them, as Slack documents.
   */
  'chat.update': (state, args) => {
    const channel = text(args.channel);
    // Slack wants the DM's id here; a user id names no channel.
    if (!channel || isUserId(channel)) return { ok: false, error: 'channel_not_found' };
    const ts = text(args.ts);
    const message = ts === undefined ? undefined : state.messages.get(messageKey(channel, ts));
    if (!message) return { ok: false, error: 'message_not_found' };
    if (message.user !== state.botUserId) return { ok: false, error: 'cant_update_message' };
    if (!hasContent(args)) return { ok: false, error: 'no_text' };
    const refusal = blocksRefusal(args.blocks);
    if (refusal) return refusal;
    delete message.text;
    if (text(args.text)) message.text = text(args.text);
    if (Array.isArray(args.blocks)) message.blocks = args.blocks;
    // Metadata not sent is kept, as Slack does.
    if (args.metadata !== undefined) Object.assign(message, metadataOf(args.metadata));
    message.edited = { user: state.botUserId, ts: messageTs(state) };
    return { ok: true, channel, ts: message.ts, text: message.text ?? '', message: messageObject(state, message) };
  },

  'chat.getPermalink': (_state, args) => {
    const channel = text(args.channel);
    const ts = text(args.message_ts);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (!ts || !/^\d+\.\d+$/.test(ts)) return { ok: false, error: 'message_not_found' };
    return { ok: true, channel, permalink: `https://simulator.slack.localhost/archives/${channel}/p${ts.replace('.', '')}` };
  },

  'chat.postEphemeral': (state, args) => {
    if (!text(args.channel)) return { ok: false, error: 'channel_not_found' };
    if (!text(args.user)) return { ok: false, error: 'user_not_found' };
    if (!hasContent(args)) return { ok: false, error: 'no_text' };
    return { ok: true, message_ts: messageTs(state) };
  },
};
