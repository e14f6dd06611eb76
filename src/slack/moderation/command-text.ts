import { isDurationToken, parseDuration, type Duration } from '../../moderation/duration.js';
import { splitAccids } from '../../moderation/sanction.js';
import { unescapeSlackText } from '../ui/mrkdwn.js';

const HELP_WORDS = new Set(['help', '-h', '--help', '?', '帮助']);

export type ModerationCommandText = { help: true } | { help: false; accids: string[]; duration?: Duration; reason?: string };

/**
 * `/im-mute <accid…> <duration> <reason…>`: the accids are the tokens before the first duration (`30m`, `2h`, `7d`,
 * `1w`, `forever`), the reason is everything after it, spaces and all. Without a duration every token is an accid
 * (the form opens to ask for the rest). `/im-unmute`, `/im-block`, `/im-unblock` take accids only.
 */
export function parseModerationCommand(text: string, withDuration: boolean): ModerationCommandText {
  const trimmed = unescapeSlackText(text).trim();
  if (trimmed === '' || HELP_WORDS.has(trimmed.toLowerCase())) return trimmed === '' ? { help: false, accids: [] } : { help: true };
  if (!withDuration) return { help: false, accids: splitAccids(trimmed) };
  const tokens = [...trimmed.matchAll(/\S+/gu)];
  const at = tokens.findIndex((token) => isDurationToken(token[0]));
  if (at < 0) return { help: false, accids: splitAccids(trimmed) };
  const durationToken = tokens[at]!;
  const accids = splitAccids(trimmed.slice(0, durationToken.index));
  const reason = trimmed.slice(durationToken.index + durationToken[0].length).trim();
  return { help: false, accids, duration: parseDuration(durationToken[0]), ...(reason ? { reason } : {}) };
}
