import type { InvalidAccid } from '../interaction/command-text.js';
import type { KnownBlock } from '@slack/types';
import type { UserCard, UserLookup } from '../../nim/types.js';
import type { Locale, Messages } from '../i18n/catalog.js';
import { messages } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';
import { escapeMrkdwn } from '../ui/mrkdwn.js';
import { Budget, packList } from '../ui/budget.js';
import { accidKey } from '../../nim/accid.js';
import type { AccountSanctions } from '../../moderation/sanction-info.js';
import { cardBlocks } from './card.js';
import { sanctionLines } from '../ui/sanctions.js';
import { compactName, displayName, muteMark, validityLabel } from '../ui/fields.js';
import { extrasReserve, lookupExtras } from './extras.js';
import { clip, code, context, section } from '../ui/text.js';

/** Up to this many accounts get full cards with buttons; more get one line each. */
export const MAX_FULL_CARDS = 5;

export type UserCardsInput = {
  lookup: UserLookup;
  invalid: InvalidAccid[];
  locale: Locale;
  /** Email, mobile and birthday unmasked: only for a viewer with update permission, in their own ephemeral answer. */
  reveal: boolean;
  /** Show the "Edit card" button. */
  canEdit: boolean;
  /** Show Mute…, Unmute, Block…, Unblock. @default false */
  canModerate?: boolean;
  /** Who set each account's mute or block here, or that it was set outside im-admin (by lower-cased accid). */
  sanctions?: ReadonlyMap<string, AccountSanctions>;
  /** Set false to send again without avatars after Slack failed to fetch one. @default true */
  withImages?: boolean;
};

/** The answer to `/im-user`: cards for up to 5 accounts, a compact list beyond, then not-found and invalid accids. */
export function renderUserCards(input: UserCardsInput): SlackMessage {
  const m = messages(input.locale);
  const { found, notFound } = input.lookup;
  const budget = new Budget();
  const reserve = extrasReserve(notFound.length, input.invalid.length);
  const blocks: KnownBlock[] = [];
  if (found.length === 0 && notFound.length === 0 && input.invalid.length === 0) {
    blocks.push(section(m.lookup.nothingToShow));
  } else if (found.length <= MAX_FULL_CARDS) {
    blocks.push(...fullCards(m, input, budget, reserve));
  } else {
    blocks.push(...budget.spend([context(counts(m, input)), context(m.userCards.compactHint)]));
    const lines = found.map((card) => compactLine(m, card));
    blocks.push(...packList(`*${m.userCards.compactTitle(found.length)}*`, lines, budget, m.common.andMore, reserve));
  }
  blocks.push(...lookupExtras(m, notFound, input.invalid, budget));
  return { text: fallbackText(m, input), blocks };
}

function fullCards(m: Messages, input: UserCardsInput, budget: Budget, reserve: { blocks: number; chars: number }) {
  const { found, notFound } = input.lookup;
  const blocks: KnownBlock[] = [];
  // Counts first, so a long list of unknown ids below is read as what it is.
  if (found.length > 0) {
    const note = input.reveal ? m.common.revealedNote : m.common.maskedNote;
    blocks.push(...budget.spend([context(`${counts(m, input)} · ${note}`)]));
  } else if (notFound.length + input.invalid.length > 0) {
    blocks.push(...budget.spend([context(counts(m, input))]));
  }
  let notShown = 0;
  for (const card of found) {
    const options = {
      reveal: input.reveal,
      buttons: { canEdit: input.canEdit, canModerate: input.canModerate ?? false },
      withImages: input.withImages ?? true,
    };
    const lines = sanctionLines(m, input.sanctions?.get(accidKey(card.accid)));
    const one: KnownBlock[] = [
      ...cardBlocks(m, card, options),
      ...(lines.length > 0 ? [context(lines.join('\n'))] : []),
      { type: 'divider' },
    ];
    // Keep room for the "not shown" line as well as the closing lists.
    if (notShown === 0 && budget.fits(one, { blocks: reserve.blocks + 1, chars: reserve.chars + 200 })) {
      blocks.push(...budget.spend(one));
    } else notShown += 1;
  }
  if (notShown > 0) blocks.push(...budget.spend([context(m.userCards.notShown(notShown))]));
  return blocks;
}

function compactLine(m: Messages, card: UserCard): string {
  const mute = card.mute === true ? ` · ${muteMark(true)} ${m.fields.globalMute}` : '';
  return `• ${compactName(card)} · ${validityLabel(m, card.valid)}${mute}`;
}

/** The notification and screen-reader text: the summary and the first names, escaped like everything else. */
function fallbackText(m: Messages, input: UserCardsInput): string {
  const { found, notFound } = input.lookup;
  if (found.length === 0 && notFound.length === 0) return m.lookup.nothingToShow;
  const names = found
    .slice(0, MAX_FULL_CARDS)
    .map((card) => `${displayName(card)} (${card.accid})`)
    .join(', ');
  const more = found.length > MAX_FULL_CARDS ? ` ${m.common.andMore(found.length - MAX_FULL_CARDS)}` : '';
  return escapeMrkdwn(clip(m.common.inline(counts(m, input), `${names}${more}`), 1000));
}

function counts(m: Messages, input: UserCardsInput): string {
  return m.userCards.summary(input.lookup.found.length, input.lookup.notFound.length, input.invalid.length);
}

export type SharedCardInput = { card: UserCard; sharedBy: string; locale: Locale; withImages?: boolean };

/** A card posted in a channel: always masked, no buttons, says who shared it. */
export function renderSharedCard(input: SharedCardInput): SlackMessage {
  const m = messages(input.locale);
  const options = { reveal: false, buttons: false as const, withImages: input.withImages ?? true };
  const mention = /^[UW][A-Z0-9]{2,}$/.test(input.sharedBy) ? `<@${input.sharedBy}>` : code(input.sharedBy, 40);
  const blocks = [...cardBlocks(m, input.card, options), context(m.userCards.sharedBy(mention))];
  const text = escapeMrkdwn(clip(m.userCards.sharedFallback(displayName(input.card), input.card.accid), 1000));
  return { text, blocks };
}
