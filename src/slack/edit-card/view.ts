import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { UserCard, UserCardChangeField } from '../../nim/types.js';
import { cardFieldLimits } from '../../nim/validate.js';
import { code, context, plain, section } from '../ui/text.js';
import type { Locale, Messages } from '../i18n/catalog.js';
import { messages } from '../i18n/catalog.js';
import { conflictChoiceBlocks, conflictValueText } from '../ui/conflict-choice.js';
import { modalLimits, textInput } from '../ui/modal.js';
import { callbackIds, INPUT_ACTION_ID } from '../ids.js';

export type EditCardViewInput = {
  card: UserCard;
  locale: Locale;
  /** Sealed private_metadata (interaction/sealed-metadata.ts). */
  privateMetadata: string;
  /**
   * Shown again after a conflict (conflicts.ts): the fields hold what the person typed (`typed`) over the
   * current card, and each conflicting field shows theirs beside yours with a choice to keep theirs or overwrite.
   */
  conflict?: {
    typed: Partial<Record<UserCardChangeField, string>>;
    fields: readonly { field: UserCardChangeField; theirs: string; yours: string }[];
  };
  /** IM_APPROVAL_FOR covers card edits: the button asks for approval instead of saving. */
  needsApproval?: boolean;
};

/** Block id of the keep-or-overwrite choice under a conflicting field. */
export const conflictBlockId = (field: UserCardChangeField) => `conflict.${field}`;

type TextField = keyof typeof cardFieldLimits;

/** The card's current value of a text field as the form shows it ('' when unset). */
export function prefillText(card: UserCard, field: TextField): string {
  return card[field] ?? '';
}

/** The card's gender as the select shows it: 0 when unset or not one NetEase defines. */
export function prefillGender(card: UserCard): 0 | 1 | 2 {
  return card.gender === 1 || card.gender === 2 ? card.gender : 0;
}

/**
 * The "Edit user card" modal, prefilled with the card: nickname, avatar URL, signature, email, birthday, mobile,
 * gender (a select) and ex (multi-line). Every field is optional: emptying one clears it, and its hint says so along
 * with NetEase's limit. Shown only to people who may edit, so personal fields are prefilled in full.
 */
export function editCardView(input: EditCardViewInput): ModalView {
  const m = messages(input.locale);
  const { card, conflict } = input;
  const typed = conflict?.typed ?? {};
  const text = (field: TextField, extra?: string, multiline = false): KnownBlock[] => [
    textInput({
      blockId: field,
      label: m.fields[field],
      hint: [limitText(m, field), extra, m.editCard.emptyClears].filter(Boolean).join(' '),
      initial: typed[field] ?? prefillText(card, field),
      multiline,
      optional: true,
    }),
    ...conflictBlocks(m, conflict, field),
  ];
  const gender =
    typed.gender === '1' || typed.gender === '2' || typed.gender === '0' ? (Number(typed.gender) as 0 | 1 | 2) : prefillGender(card);
  const blocks: KnownBlock[] = [
    ...(conflict ? [section(m.editCard.conflictIntro)] : []),
    section(m.editCard.intro(code(card.accid, 64))),
    context(m.editCard.revealedNote),
    ...text('name'),
    ...text('icon'),
    ...text('sign'),
    ...text('email'),
    ...text('birth', m.editCard.birthHint),
    ...text('mobile', m.editCard.mobileHint),
    genderSelect(m, gender),
    ...conflictBlocks(m, conflict, 'gender'),
    ...text('ex', m.editCard.exHint, true),
    ...(input.needsApproval ? [context(m.approval.needsNote)] : []),
  ];
  return {
    type: 'modal',
    callback_id: callbackIds.editCard,
    title: plain(m.editCard.title, modalLimits.title),
    submit: plain(input.needsApproval ? m.approval.request : m.modal.save, modalLimits.button),
    close: plain(m.modal.cancel, modalLimits.button),
    private_metadata: input.privateMetadata,
    blocks,
  };
}

/** Under a conflicting field: theirs beside yours, and the choice (no default: the person must say). */
function conflictBlocks(m: Messages, conflict: EditCardViewInput['conflict'], field: UserCardChangeField): KnownBlock[] {
  const found = conflict?.fields.find((one) => one.field === field);
  if (!found) return [];
  const show = (value: string) => (field === 'gender' ? genderText(m, value) : conflictValueText(m, value));
  return conflictChoiceBlocks(m, {
    blockId: conflictBlockId(field),
    label: m.fields[field],
    theirs: show(found.theirs),
    yours: show(found.yours),
  });
}

function genderText(m: Messages, value: string): string {
  return value === '1' ? m.values.genderMale : value === '2' ? m.values.genderFemale : m.values.genderUnknown;
}

function genderSelect(m: Messages, gender: 0 | 1 | 2): InputBlock {
  const options: PlainTextOption[] = [
    { text: plain(m.values.genderUnknown, 75), value: '0' },
    { text: plain(m.values.genderMale, 75), value: '1' },
    { text: plain(m.values.genderFemale, 75), value: '2' },
  ];
  return {
    type: 'input',
    block_id: 'gender',
    optional: true,
    label: plain(m.fields.gender),
    hint: plain(m.editCard.genderHint),
    element: { type: 'static_select', action_id: INPUT_ACTION_ID, options, initial_option: options[gender]! },
  };
}

function limitText(m: Messages, field: TextField): string {
  const limit = cardFieldLimits[field];
  return limit.unit === 'bytes' ? m.modal.limitBytes(limit.max) : m.modal.limitChars(limit.max);
}
