import { el, isWebUrl, text, type ViewNode } from './view-node.js';

/**
 * Slack mrkdwn → view nodes, the way Slack's client shows it. `&amp;`, `&lt;` and `&gt;` are entities; a raw `<…>` is a
 * control sequence (mention, link, `<!channel>`). An app that escapes a hostile nickname sends `&lt;!channel&gt;`,
 * which is shown as the literal text `<!channel>`, never as a mention. Formatting: *bold*, _italic_, ~strike~,
 * `code`, ```pre```, `>` quotes, and the emoji shortcodes the app uses.
 */

export type MrkdwnContext = {
  /** Display name for a user id (mentions show as @name), undefined when unknown. */
  userName: (id: string) => string | undefined;
  /** Display name for a channel id. */
  channelName?: (id: string) => string | undefined;
};

/**
 * Emoji shortcodes. The ones the app uses are drawn as small badges (Slack draws its own emoji images too), so they
 * read the same on a machine without a colour-emoji font; a few more map to Unicode; unknown codes stay as typed.
 * test/simulator/emoji-coverage.test.ts fails while the app's catalogs or blocks use a code missing here.
 */
const badges: Record<string, string> = {
  white_check_mark: '✔',
  heavy_check_mark: '✔',
  ballot_box_with_check: '✔',
  x: '✖',
  warning: '!',
  no_entry: '−',
  no_entry_sign: '⊘',
  lock: '',
  grey_question: '?',
  question: '?',
  information_source: 'i',
  crown: '♛',
};
const unicode: Record<string, string> = {
  pencil: '📝',
  pencil2: '✏️',
  memo: '📝',
  mag: '🔍',
  bust_in_silhouette: '👤',
  busts_in_silhouette: '👥',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  mute: '🔇',
  speaker: '🔈',
  tada: '🎉',
  eyes: '👀',
  shield: '🛡️',
  link: '🔗',
  arrow_right: '➡️',
  red_circle: '🔴',
  large_green_circle: '🟢',
  coffee: '☕',
  rotating_light: '🚨',
  key: '🔑',
  black_square_for_stop: '⏹️',
  leftwards_arrow_with_hook: '↩️',
  rewind: '⏪',
  octagonal_sign: '🛑',
  raised_hand: '✋',
  double_vertical_bar: '⏸️',
};

/** Whether the simulator draws `:name:` (as Slack would), rather than leaving it as typed. */
export function drawsEmoji(name: string): boolean {
  return Object.hasOwn(badges, name) || Object.hasOwn(unicode, name);
}

/** Text with `:shortcode:` emoji drawn; everything else stays one text node. */
export function emojiNodes(value: string): ViewNode[] {
  const out: ViewNode[] = [];
  let last = 0;
  for (const match of value.matchAll(/:([a-z0-9_+-]+):/g)) {
    const name = match[1]!;
    const badge = badges[name];
    const char = unicode[name];
    if (badge === undefined && char === undefined) continue;
    if (match.index > last) out.push(text(value.slice(last, match.index)));
    out.push(
      badge !== undefined
        ? el('span', `sim-emoji sim-emoji-${name}`, badge ? [text(badge)] : [], { attrs: { title: `:${name}:` } })
        : el('span', 'sim-emoji-char', [text(char!)], { attrs: { title: `:${name}:` } }),
    );
    last = match.index + match[0].length;
  }
  if (last < value.length || out.length === 0) out.push(text(value.slice(last)));
  return out;
}

export function decodeEntities(value: string): string {
  return value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// Placeholders for code spans and control sequences while the formatting is parsed: private-use characters, which
// are first removed from the input so a nickname cannot forge one.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const placeholder = /\uE000(\d+)\uE001/g;

type Ctx = { context: MrkdwnContext; stash: ViewNode[] };

export function mrkdwnToNodes(source: string, context: MrkdwnContext): ViewNode[] {
  const ctx: Ctx = { context, stash: [] };
  const stash = (node: ViewNode) => `${OPEN}${ctx.stash.push(node) - 1}${CLOSE}`;
  let work = source.replace(/[\uE000\uE001]/g, '\uFFFD');
  work = work.replace(/```([\s\S]+?)```/g, (_, body: string) => stash(el('pre', 'sim-pre', [text(decodeEntities(body))])));
  work = work.replace(/`([^`\n]+)`/g, (_, body: string) => stash(el('code', 'sim-code', [text(decodeEntities(body))])));
  work = work.replace(/<([^<>\n]+)>/g, (_, body: string) => stash(controlSequence(body, ctx.context)));
  return blockLevel(work, ctx);
}

/** Lines starting with `>` (raw or as the `&gt;` entity) form quotes; the rest is inline text with line breaks. */
function blockLevel(work: string, ctx: Ctx): ViewNode[] {
  const out: ViewNode[] = [];
  const lines = work.split('\n');
  let quote: string[] = [];
  let plain: string[] = [];
  const flushQuote = () => {
    if (quote.length > 0) out.push(el('blockquote', 'sim-quote', inlineLines(quote, ctx)));
    quote = [];
  };
  const flushPlain = () => {
    if (plain.length > 0) out.push(...inlineLines(plain, ctx));
    plain = [];
  };
  for (const line of lines) {
    const quoted = /^(?:>|&gt;)\s?(.*)$/.exec(line);
    if (quoted) {
      flushPlain();
      quote.push(quoted[1]!);
    } else {
      flushQuote();
      plain.push(line);
    }
  }
  flushQuote();
  flushPlain();
  return out;
}

function inlineLines(lines: string[], ctx: Ctx): ViewNode[] {
  const out: ViewNode[] = [];
  lines.forEach((line, index) => {
    if (index > 0) out.push(el('br', undefined));
    out.push(...inline(line, ctx));
  });
  return out;
}

const BOUNDARY_BEFORE = String.raw`(^|[\s([{"'.,;:!?\-/\uE001])`;
const BOUNDARY_AFTER = String.raw`(?=$|[\s)\]}"'.,;:!?\-/\uE000])`;
const formatting = new RegExp(`${BOUNDARY_BEFORE}([*_~])(?=[^\\s*_~])(.*?[^\\s])\\2${BOUNDARY_AFTER}`);
const tagFor = { '*': 'strong', _: 'em', '~': 's' } as const;

function inline(line: string, ctx: Ctx): ViewNode[] {
  const match = formatting.exec(line);
  if (!match) return literal(line, ctx);
  const [whole, before, marker, inner] = match as unknown as [string, string, '*' | '_' | '~', string];
  const start = match.index + before.length;
  return [
    ...literal(line.slice(0, start), ctx),
    el(tagFor[marker], undefined, inline(inner, ctx)),
    ...inline(line.slice(match.index + whole.length), ctx),
  ];
}

/** Text with placeholders expanded; entities decoded; emoji replaced. Always text nodes: never markup. */
function literal(value: string, ctx: Ctx): ViewNode[] {
  const out: ViewNode[] = [];
  let last = 0;
  for (const match of value.matchAll(placeholder)) {
    if (match.index > last) out.push(...emojiNodes(decodeEntities(value.slice(last, match.index))));
    out.push(ctx.stash[Number(match[1])]!);
    last = match.index + match[0].length;
  }
  if (last < value.length) out.push(...emojiNodes(decodeEntities(value.slice(last))));
  return out;
}

/** One `<…>` control sequence: a user, channel or group mention, a special mention, a date, or a link. */
function controlSequence(body: string, context: MrkdwnContext): ViewNode {
  const bar = body.indexOf('|');
  const target = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? undefined : decodeEntities(body.slice(bar + 1));
  const mention = (shown: string) => el('span', 'sim-mention', [text(shown)]);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return mention(`@${context.userName(id) ?? label ?? id}`);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return mention(`#${context.channelName?.(id) ?? label ?? id}`);
  }
  if (target.startsWith('!')) {
    const [kind, argument] = target.slice(1).split('^') as [string, string | undefined];
    if (kind === 'channel' || kind === 'here' || kind === 'everyone') return el('span', 'sim-mention sim-broadcast', [text(`@${kind}`)]);
    if (kind === 'subteam') return mention(label ?? `@${argument ?? 'group'}`);
    if (kind === 'date') return text(label ?? '');
    return text(label ?? '');
  }
  const url = decodeEntities(target);
  if (isWebUrl(url)) {
    return el('a', 'sim-link', [text(label ?? url)], { attrs: { href: url, target: '_blank', rel: 'noopener noreferrer' } });
  }
  if (url.startsWith('mailto:')) return el('span', 'sim-link', [text(label ?? url.slice('mailto:'.length))]);
  // Anything else Slack would not link: show what the reader would see, as text.
  return text(label ?? url);
}
