import { utcMinute } from '../../moderation/duration.js';
import type { AccountSanctions, SanctionInfo } from '../../moderation/sanction-info.js';
import type { Messages } from '../i18n/catalog.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { actorMention, untrusted } from './text.js';

/** Who set an account's mute and block, when, why and when it lifts; or that it was set outside im-admin. */
export function sanctionLines(m: Messages, sanctions: AccountSanctions | undefined): string[] {
  if (!sanctions) return [];
  const info = m.moderation.info;
  const line = (entry: SanctionInfo | undefined, kind: 'mute' | 'block'): string | undefined => {
    if (!entry) return undefined;
    if (!entry.madeHere) return kind === 'mute' ? info.mutedOutside : info.blockedOutside;
    const when = escapeMrkdwn(entry.at.slice(0, 16).replace('T', ' ') + ' UTC');
    const who = actorMention(entry.actor);
    const head = kind === 'mute' ? info.mutedHere(who, when) : info.blockedHere(who, when);
    const reason = entry.reason ? info.reason(untrusted(entry.reason, 300)) : '';
    const end = kind === 'mute' ? (entry.liftAt === undefined ? info.noEnd : info.lifts(utcMinute(entry.liftAt))) : '';
    return `${head}${reason}${end}`;
  };
  return [line(sanctions.mute, 'mute'), line(sanctions.block, 'block')].filter((text): text is string => text !== undefined);
}
