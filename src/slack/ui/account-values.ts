import type { Messages } from '../i18n/catalog.js';
import { genderLabel, muteLabel, validityLabel } from './fields.js';
import { maskBirthday, maskEmail, maskMobile } from './mask.js';
import { code } from './text.js';

/**
 * An AccountState key and value as a person reads them: the field's name, and the value as the card shows it (a
 * gender by name, a mute flag or the block as a mark and a word, text as escaped inline code, empty as "empty").
 * The person confirming an undo may change the account, so personal values are shown as they are, like the edit form.
 */
export function keyLabel(m: Messages, key: string): string {
  const places: Record<string, string> = {
    mute: m.fields.globalMute,
    muteP2P: m.muteStatus.scopeP2P,
    muteTeam: m.muteStatus.scopeTeam,
    muteRoom: m.muteStatus.scopeRoom,
    muteQChat: m.muteStatus.scopeQChat,
    valid: m.fields.status,
  };
  return places[key] ?? (m.fields as Record<string, string>)[key] ?? code(key, 40);
}

export function valueText(m: Messages, key: string, value: string): string {
  if (key === 'gender') return genderLabel(m, Number(value));
  if (key === 'valid') return validityLabel(m, value === 'true');
  if (key === 'mute' || key.startsWith('mute')) return muteLabel(m, value === 'true');
  return value === '' ? m.values.empty : code(value, 300);
}

const masks: Record<string, (value: string) => string> = { email: maskEmail, mobile: maskMobile, birth: maskBirthday };

/** Whether a key holds personal data (email, mobile, birthday): masked wherever more people than the asker read it. */
export function isPersonalKey(key: string): boolean {
  return key in masks;
}

/** The value as a shared channel shows it (an approval request): email, mobile and birthday masked. */
export function sharedValueText(m: Messages, key: string, value: string): string {
  const mask = masks[key];
  return mask && value !== '' ? code(mask(value), 300) : valueText(m, key, value);
}
