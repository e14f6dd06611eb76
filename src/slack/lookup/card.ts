import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import { muteModules, type UserCard } from '../../nim/types.js';
import type { Messages } from '../i18n/catalog.js';
import { actionIds, moderationActionIds } from '../ids.js';
import { avatarImage, cardFields, displayName, freeTextLines } from '../ui/fields.js';
import { clip, header, limits, plain } from '../ui/text.js';

export type CardOptions = {
  /** Show email, mobile and birthday unmasked (only in the viewer's own ephemeral answer). */
  reveal: boolean;
  /** Which buttons to show; none for a shared card. */
  buttons: { canEdit: boolean; canModerate?: boolean } | false;
  /** Leave the avatar out (e.g. when Slack could not fetch it and the message is sent again). @default true */
  withImages?: boolean;
};

/** One user card: nickname as heading, short fields with the avatar beside, free text, then the buttons. */
export function cardBlocks(m: Messages, card: UserCard, options: CardOptions): KnownBlock[] {
  const name = displayName(card);
  const fieldsSection: SectionBlock = { type: 'section', fields: cardFields(m, card, options.reveal) };
  const image = options.withImages === false ? undefined : avatarImage(m, card.icon, name);
  if (image) fieldsSection.accessory = image;
  const blocks: KnownBlock[] = [header(name), fieldsSection];
  const freeText = freeTextLines(m, card);
  if (freeText) blocks.push({ type: 'section', text: plain(freeText, limits.sectionText) });
  if (options.buttons) blocks.push(cardButtons(m, card.accid, options.buttons.canEdit));
  if (options.buttons && options.buttons.canModerate) blocks.push(moderationButtons(m, card));
  return blocks;
}

function cardButtons(m: Messages, accid: string, canEdit: boolean): ActionsBlock {
  const button = (text: string, actionId: string, style?: 'primary'): Button => ({
    type: 'button',
    text: plain(clip(text, limits.buttonText), limits.buttonText, true),
    action_id: actionId,
    value: accid,
    ...(style ? { style } : {}),
  });
  const elements = [button(m.userCards.buttonMuteStatus, actionIds.muteStatus), button(m.userCards.buttonShare, actionIds.share)];
  if (canEdit) elements.push(button(m.userCards.buttonEdit, actionIds.edit, 'primary'));
  return { type: 'actions', elements };
}

/**
 * Mute…, Unmute, Block… (or Unblock when NetEase says it is blocked) for moderators. Unmute only where there may be
 * something to lift: muted globally or in a module, or a module's state not read (a card read without muteStatus).
 */
export function moderationButtons(m: Messages, card: UserCard): ActionsBlock {
  const button = (text: string, actionId: string, style?: 'danger'): Button => ({
    type: 'button',
    text: plain(clip(text, limits.buttonText), limits.buttonText, true),
    action_id: actionId,
    value: card.accid,
    ...(style ? { style } : {}),
  });
  const b = m.moderation.buttons;
  const elements = [button(b.mute, moderationActionIds.mute)];
  if (mayBeMuted(card)) elements.push(button(b.unmute, moderationActionIds.unmute));
  elements.push(
    card.valid === false ? button(b.unblock, moderationActionIds.unblock) : button(b.block, moderationActionIds.block, 'danger'),
  );
  return { type: 'actions', block_id: `moderate:${card.accid}`.slice(0, 255), elements };
}

/** False only when NetEase said the account is muted nowhere: the global flag and every module flag read as off. */
function mayBeMuted(card: UserCard): boolean {
  return card.mute !== false || muteModules.some((module) => card[module] !== false);
}
