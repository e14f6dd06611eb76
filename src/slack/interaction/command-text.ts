import { ACCID_MAX_LENGTH, accidKey, accidProblem } from '../../nim/accid.js';
import { unescapeSlackText } from '../ui/mrkdwn.js';

/** Why an accid is not valid, as a key the renderers translate. */
export type AccidProblemKind = 'empty' | 'too_long' | 'bad_characters';

export type InvalidAccid = {
  accid: string;
  /** In plain English, from src/nim/accid.ts. */
  reason: string;
  /** The same reason as a key, so the Slack message can say it in the person's language. */
  kind?: AccidProblemKind;
};

export type AccidList = { help: boolean; accids: string[]; invalid: InvalidAccid[] };

/** Words that ask for the usage text instead of a lookup when typed alone. */
const HELP_WORDS = new Set(['help', '-h', '--help', '?', '帮助']);

/**
 * `/im-user` and `/im-mute-status` text: account ids separated by spaces, commas (also the full-width `，` and `、`
 * Chinese keyboards type) or new lines. Duplicates are dropped case-insensitively (NetEase stores accids
 * lower-cased), keeping the first spelling. Nothing typed, or `help` alone, asks for the usage text.
 */
export function parseAccidList(text: string): AccidList {
  const tokens = unescapeSlackText(text)
    .split(/[\s,，、]+/u)
    .filter((token) => token !== '');
  if (tokens.length === 0 || (tokens.length === 1 && HELP_WORDS.has(tokens[0]!.toLowerCase()))) {
    return { help: true, accids: [], invalid: [] };
  }
  const seen = new Set<string>();
  const accids: string[] = [];
  const invalid: InvalidAccid[] = [];
  for (const token of tokens) {
    const key = accidKey(token);
    if (seen.has(key)) continue;
    seen.add(key);
    const reason = accidProblem(token);
    if (reason === undefined) accids.push(token);
    else invalid.push({ accid: token, reason, kind: accidProblemKind(token) });
  }
  return { help: false, accids, invalid };
}

/**
 * `/qchat-nick <server id> <accid> <nickname…>`. The nickname is everything after the second token, inner spaces
 * kept, so `/qchat-nick 123 t1 Big Fish` sets "Big Fish". Validation of each part is the caller's (src/nim/validate).
 */
export function parseQchatNick(text: string): { help: boolean; serverId?: string; accid?: string; nick?: string } {
  const trimmed = unescapeSlackText(text).trim();
  if (trimmed === '' || HELP_WORDS.has(trimmed.toLowerCase())) return { help: true };
  const match = /^(\S+)(?:\s+(\S+)(?:\s+([\s\S]+))?)?$/u.exec(trimmed);
  const [, serverId, accid, nick] = match ?? [];
  return {
    help: false,
    ...(serverId === undefined ? {} : { serverId }),
    ...(accid === undefined ? {} : { accid }),
    ...(nick === undefined ? {} : { nick: nick.trim() }),
  };
}

/** The kind of problem accidProblem reports, or undefined for a valid accid. */
export function accidProblemKind(accid: string): AccidProblemKind | undefined {
  if (accidProblem(accid) === undefined) return undefined;
  if (accid.length === 0) return 'empty';
  if (accid.length > ACCID_MAX_LENGTH) return 'too_long';
  return 'bad_characters';
}
