import type { InvalidAccid } from '../interaction/command-text.js';
import type { KnownBlock, SectionBlock } from '@slack/types';
import type { UserCard, UserLookup } from '../../nim/types.js';
import type { Locale, Messages } from '../i18n/catalog.js';
import { messages } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';
import { escapeMrkdwn } from '../ui/mrkdwn.js';
import { Budget, packList } from '../ui/budget.js';
import { accidKey } from '../../nim/accid.js';
import type { AccountSanctions } from '../../moderation/sanction-info.js';
import { moderationButtons } from './card.js';
import { sanctionLines } from '../ui/sanctions.js';
import { compactName, muteMark } from '../ui/fields.js';
import { extrasReserve, lookupExtras } from './extras.js';
import { MAX_FULL_CARDS } from './user-cards.js';
import { context, limits, mrkdwn, section } from '../ui/text.js';

export type MuteStatusInput = {
  /** Cards looked up with muteStatus=true; a flag NetEase did not return shows as unknown. */
  lookup: UserLookup;
  invalid: InvalidAccid[];
  locale: Locale;
  /** Show Mute…, Unmute, Block…, Unblock under each account (when full sections are shown). @default false */
  canModerate?: boolean;
  /** Who set each account's mute or block here, or that it was set outside im-admin (by lower-cased accid). */
  sanctions?: ReadonlyMap<string, AccountSanctions>;
};

/** The five places NetEase can mute an account, in the order people think of them. */
function scopes(m: Messages, card: UserCard): { label: string; muted: boolean | undefined }[] {
  return [
    { label: m.muteStatus.scopeGlobal, muted: card.mute },
    { label: m.muteStatus.scopeP2P, muted: card.muteP2P },
    { label: m.muteStatus.scopeTeam, muted: card.muteTeam },
    { label: m.muteStatus.scopeRoom, muted: card.muteRoom },
    { label: m.muteStatus.scopeQChat, muted: card.muteQChat },
  ];
}

const isMutedSomewhere = (m: Messages, card: UserCard) => scopes(m, card).some((scope) => scope.muted === true);

/** The answer to `/im-mute-status`: a summary line, then each account's five mute states and whether it is blocked. */
export function renderMuteStatus(input: MuteStatusInput): SlackMessage {
  const m = messages(input.locale);
  const { found, notFound } = input.lookup;
  const budget = new Budget();
  const reserve = extrasReserve(notFound.length, input.invalid.length);
  const blocks: KnownBlock[] = [];
  const summary = summaryText(m, found);
  if (summary) blocks.push(...budget.spend([section(`*${summary}*`), context(m.muteStatus.legend)]));
  else if (notFound.length === 0 && input.invalid.length === 0) blocks.push(section(m.lookup.nothingToShow));

  if (found.length <= MAX_FULL_CARDS) {
    for (const card of found) {
      const buttons = input.canModerate ? [moderationButtons(m, card)] : [];
      const lines = sanctionLines(m, input.sanctions?.get(accidKey(card.accid)));
      const who = lines.length > 0 ? [context(lines.join('\n'))] : [];
      blocks.push(...budget.spend([accountSection(m, card), ...who, ...buttons, { type: 'divider' }]));
    }
  } else {
    const lines = found.map((card) => compactLine(m, card));
    blocks.push(...packList('', lines, budget, m.common.andMore, reserve));
  }
  blocks.push(...lookupExtras(m, notFound, input.invalid, budget));
  return { text: escapeMrkdwn(summary ?? m.lookup.nothingToShow), blocks };
}

function summaryText(m: Messages, found: UserCard[]): string | undefined {
  if (found.length === 0) return undefined;
  const muted = found.filter((card) => isMutedSomewhere(m, card)).length;
  const blocked = found.filter((card) => card.valid === false).length;
  const parts = [m.muteStatus.summary(muted, found.length)];
  if (blocked > 0) parts.push(m.muteStatus.blockedCount(blocked));
  return parts.join(' · ');
}

function accountSection(m: Messages, card: UserCard): SectionBlock {
  const fields = scopes(m, card).map((scope) => mrkdwn(`${muteMark(scope.muted)} ${scope.label}`, limits.field));
  fields.push(mrkdwn(card.valid === false ? m.muteStatus.blocked : m.muteStatus.notBlocked, limits.field));
  return { type: 'section', text: mrkdwn(compactName(card)), fields };
}

/** One line per account: where it is muted (or not), how many states are unknown, and whether it is blocked. */
function compactLine(m: Messages, card: UserCard): string {
  const all = scopes(m, card);
  const muted = all.filter((scope) => scope.muted === true).map((scope) => scope.label);
  const unknown = all.filter((scope) => scope.muted === undefined).length;
  const mark = muted.length > 0 ? muteMark(true) : unknown > 0 ? muteMark(undefined) : muteMark(false);
  const state = muted.length > 0 ? m.muteStatus.mutedIn(muted.join(m.muteStatus.scopeSeparator)) : m.muteStatus.notMuted;
  const unknownPart = unknown > 0 ? m.muteStatus.unknownCount(unknown) : '';
  const blocked = card.valid === false ? ` · :lock: ${m.values.blocked}` : '';
  return `${mark} ${m.common.inline(compactName(card), `${state}${unknownPart}${blocked}`)}`;
}
