import type { KnownBlock } from '@slack/types';
import type { UserCard, UserCardChangeField, UserCardChanges } from '../../nim/types.js';
import { userCardChangeFields } from '../../nim/types.js';
import type { Locale, Messages } from '../i18n/catalog.js';
import { messages } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';
import { escapeMrkdwn } from '../ui/mrkdwn.js';
import type { PersonalField } from '../ui/fields.js';
import { genderLabel, personalValue } from '../ui/fields.js';
import { clip, code, context, header, section } from '../ui/text.js';

/** Escaped characters of one before or after value; ex may be 1024 raw, five times that escaped. */
const VALUE_MAX = 400;

export type UpdateResultInput = {
  accid: string;
  /** The card as read before the change. */
  before: UserCard;
  /** What was sent to NetEase: absent keeps a field, '' clears it. */
  changes: UserCardChanges;
  /** NetEase's first answer was ambiguous and reading back showed the change in place. */
  confirmedByReadBack: boolean;
  locale: Locale;
  /** Show email, mobile and birthday unmasked (the editor's own ephemeral answer only). */
  reveal: boolean;
};

/** The result of an edit: each changed field before → after, personal data masked unless `reveal`. */
export function renderUpdateResult(input: UpdateResultInput): SlackMessage {
  const m = messages(input.locale);
  const requested = userCardChangeFields.filter((field) => input.changes[field] !== undefined);
  const changed = requested.filter((field) => input.changes[field] !== input.before[field]);
  const blocks: KnownBlock[] = [header(m.updateResult.title(input.accid))];
  if (changed.length === 0) {
    blocks.push(section(m.updateResult.noChange));
  } else {
    blocks.push(section(m.updateResult.saved));
    for (const field of requested) blocks.push(section(cardChangeLine(m, field, input)));
  }
  const notes: string[] = [];
  if (input.confirmedByReadBack) notes.push(m.updateResult.confirmedByReadBack);
  if (requested.some(isPersonal)) notes.push(input.reveal ? m.common.revealedNote : m.common.maskedNote);
  if (notes.length > 0) blocks.push(context(notes.join(' · ')));
  const labels = changed.map((field) => m.fields[field]).join(', ');
  const text = changed.length === 0 ? m.updateResult.noChange : m.updateResult.fallback(input.accid, labels);
  return { text: escapeMrkdwn(clip(text, 1000)), blocks };
}

/** One field before → after (the values escaped; personal data masked unless `reveal`). */
export function cardChangeLine(
  m: Messages,
  field: UserCardChangeField,
  input: Pick<UpdateResultInput, 'before' | 'changes' | 'reveal'>,
): string {
  const before = input.before[field];
  const after = input.changes[field];
  const show = (value: string | number | undefined): string => {
    if (value === undefined) return m.common.absent;
    if (field === 'gender') return genderLabel(m, typeof value === 'number' ? value : Number(value));
    const text = String(value);
    if (text === '') return m.values.empty;
    return code(isPersonal(field) ? personalValue(field, text, input.reveal) : text, VALUE_MAX);
  };
  const line = `*${m.fields[field]}*\n${show(before)} → ${show(after)}`;
  return after === before ? `${line} ${m.updateResult.unchanged}` : line;
}

export function isPersonal(field: UserCardChangeField): field is PersonalField {
  return field === 'email' || field === 'mobile' || field === 'birth';
}
