import type { HeaderBlock, KnownBlock, MrkdwnElement, PlainTextElement, SectionBlock } from '@slack/types';
import { escapeMrkdwn } from './mrkdwn.js';

/** Block Kit's limits (slack-notes.md). Slack rejects the whole message when one is exceeded. */
export const limits = {
  blocks: 50,
  header: 150,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  contextElements: 10,
  buttonText: 75,
  altText: 2000,
  imageUrl: 3000,
  /** Slack answers msg_blocks_too_long at about 13,000 characters of block text; we stop well before. */
  messageText: 12_000,
} as const;

const ELLIPSIS = '…';

/** Cuts `text` to at most `max` UTF-16 units, ending with … when cut, never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, Math.max(0, end)) + ELLIPSIS;
}

/** Like clip, for mrkdwn that is already escaped: a cut never leaves half an entity such as `&am`. */
export function clipMrkdwn(text: string, max: number): string {
  const cut = clip(text, max);
  if (cut === text) return text;
  return cut.replace(/&[a-z]{0,4}…$/, ELLIPSIS);
}

/** Escapes an untrusted value for mrkdwn and cuts it to `max` characters of the escaped text. */
export function untrusted(raw: string, max: number): string {
  return clipMrkdwn(escapeMrkdwn(raw), max);
}

/**
 * An untrusted value as inline code: no bold/italic/links inside, so a nickname like `*admin*` or an email is shown
 * as typed. A backtick would end the code span, so it becomes the look-alike ˋ; new lines become spaces. `max`
 * bounds the escaped text (escaping can make a value five times longer), so the result is at most max + 2.
 */
export function code(raw: string, max = 200): string {
  const inner = clipMrkdwn(escapeMrkdwn(raw.replace(/`/g, 'ˋ').replace(/\s*\n\s*/g, ' ')), max);
  return inner === '' ? '' : `\`${inner}\``;
}

/**
 * Plain text object. `emoji: false` so `:no_entry:` in a nickname is not drawn as our own status marks.
 * Slack rejects empty text, so an empty value shows as —.
 */
export function plain(text: string, max: number = limits.sectionText, emoji = false): PlainTextElement {
  return { type: 'plain_text', text: clip(text.trim() === '' ? '—' : text, max), emoji };
}

/**
 * mrkdwn object whose text the caller built from escaped parts. `verbatim: true` stops Slack from turning bare
 * URLs, #channel names and @here-like words into links and mentions.
 */
export function mrkdwn(text: string, max: number = limits.sectionText): MrkdwnElement {
  return { type: 'mrkdwn', text: clipMrkdwn(text === '' ? '—' : text, max), verbatim: true };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(text, limits.header) };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function context(text: string): KnownBlock {
  return { type: 'context', elements: [mrkdwn(text)] };
}

/**
 * Untrusted text of any number of lines as a quote: escaped, cut to `max`, every line prefixed `>`. A reason holding
 * a new line and `*Outcome:*` then reads as part of the quote, never as one of the entry's own bold fields.
 */
export function quoted(raw: string, max: number): string {
  return untrusted(raw.replace(/\r\n?/g, '\n'), max)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** Label in bold and value on one line (`*Who:* …`), for a line of several. */
export function inlineLabelled(label: string, value: string): string {
  return `*${label}:* ${value}`;
}

/** Label in bold, value as given (already escaped or our own text). */
export function labelled(label: string, value: string): string {
  return `*${label}*\n${value}`;
}

/** A Slack user id as a mention, or the escaped text when it is not one (so `<!channel>` can never get through). */
export function actorMention(actor: string): string {
  return /^[UW][A-Z0-9]{2,20}$/.test(actor) ? `<@${actor}>` : code(actor, 64);
}

/**
 * A mrkdwn link to a URL Slack gave (a message's permalink): https only, with `|` percent-encoded and `&` escaped (the
 * URL parser already encodes `<`, `>`, spaces and quotes), so nothing in it can end the link or start another; the
 * label is escaped. Anything that is not such a URL gives the label alone.
 */
export function link(url: string, label: string): string {
  const text = escapeMrkdwn(label).replace(/\|/g, '¦');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return text;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return text;
  return `<${parsed.href.replace(/\|/g, '%7C').replace(/&/g, '&amp;')}|${text}>`;
}
