import type { ImageElement, MrkdwnElement } from '@slack/types';
import type { UserCard } from '../../nim/types.js';
import type { Messages } from '../i18n/catalog.js';
import { maskBirthday, maskEmail, maskMobile } from './mask.js';
import { clip, code, labelled, limits, mrkdwn, untrusted } from './text.js';

/** How much of a free-text card value a card shows; NetEase allows ex up to 1024 characters. */
export const EX_PREVIEW = 200;
export const SIGN_PREVIEW = 300;
/** A single field value in a card; NetEase's own limits are 64 or less for the short fields. */
const FIELD_VALUE_MAX = 120;

/** The name a person knows the account by: its nickname on one line, or the accid when it has none. */
export function displayName(card: { accid: string; name?: string | undefined }): string {
  const name = card.name?.replace(/\s+/g, ' ').trim();
  return name ? name : card.accid;
}

/**
 * NetEase leaves gender out of a card where it was never set and sends 0 where it was cleared: to a person both are
 * "Not specified", so every card says the same.
 */
export function genderLabel(m: Messages, gender: number | undefined): string {
  if (gender === 1) return m.values.genderMale;
  if (gender === 2) return m.values.genderFemale;
  return m.values.genderUnknown;
}

export function validityLabel(m: Messages, valid: boolean | undefined): string {
  if (valid === false) return `:lock: ${m.values.blocked}`;
  if (valid === true) return m.values.valid;
  return m.values.unknown;
}

/** The glance marks of the mute status: muted, not muted, or absent from NetEase's answer. */
export function muteMark(flag: boolean | undefined): string {
  if (flag === true) return ':no_entry:';
  if (flag === false) return ':white_check_mark:';
  return ':grey_question:';
}

export function muteLabel(m: Messages, flag: boolean | undefined): string {
  const word = flag === true ? m.values.muted : flag === false ? m.values.notMuted : m.values.unknown;
  return `${muteMark(flag)} ${word}`;
}

export type PersonalField = 'email' | 'mobile' | 'birth';
const masks: Record<PersonalField, (v: string) => string> = { email: maskEmail, mobile: maskMobile, birth: maskBirthday };

/** A personal value as the viewer may see it: masked unless `reveal`. Raw, not escaped. */
export function personalValue(field: PersonalField, value: string, reveal: boolean): string {
  return reveal ? value : masks[field](value);
}

/** A card value as mrkdwn: inline code (shown as typed, escaped), or — when NetEase did not return it. */
export function codeOrAbsent(m: Messages, value: string | undefined, max = FIELD_VALUE_MAX): string {
  return value === undefined || value.trim() === '' ? m.common.absent : code(value, max);
}

/** The short fields of a card, for a section's `fields` (at most 10). */
export function cardFields(m: Messages, card: UserCard, reveal: boolean): MrkdwnElement[] {
  const personal = (field: PersonalField) => {
    const value = card[field];
    return codeOrAbsent(m, value === undefined ? undefined : personalValue(field, value, reveal));
  };
  const pairs: [string, string][] = [
    [m.fields.accid, code(card.accid)],
    [m.fields.status, validityLabel(m, card.valid)],
    [m.fields.globalMute, muteLabel(m, card.mute)],
    [m.fields.gender, genderLabel(m, card.gender)],
    [m.fields.email, personal('email')],
    [m.fields.mobile, personal('mobile')],
    [m.fields.birth, personal('birth')],
  ];
  return pairs.map(([label, value]) => mrkdwn(labelled(label, value), limits.field));
}

/** Signature and shortened `ex` as plain text: formatting in them would only mislead. Undefined when both absent. */
export function freeTextLines(m: Messages, card: UserCard): string | undefined {
  const lines: string[] = [];
  if (card.sign?.trim()) lines.push(m.common.inline(m.fields.sign, clip(card.sign.trim(), SIGN_PREVIEW)));
  if (card.ex?.trim()) lines.push(m.common.inline(m.fields.ex, clip(card.ex.trim().replace(/\s+/g, ' '), EX_PREVIEW)));
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/**
 * The avatar as an image accessory, only for a well-formed http(s) URL: Slack fetches image URLs and rejects the
 * whole message when it cannot, so anything doubtful is left out rather than risk the card.
 */
export function avatarImage(m: Messages, icon: string | undefined, name: string): ImageElement | undefined {
  const url = icon?.trim();
  if (!url || url.length > limits.imageUrl || /\s/.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  } catch {
    return undefined;
  }
  return { type: 'image', image_url: url, alt_text: clip(m.values.avatarAlt(name), limits.altText) };
}

/** One line of a compact list: name, accid and what matters at a glance. Name escaped, not formatted. */
export function compactName(card: UserCard): string {
  const name = card.name?.trim();
  return name ? `${untrusted(clip(name, 64), 400)} ${code(card.accid)}` : code(card.accid);
}
