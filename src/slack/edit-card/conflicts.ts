import type { UserCard, UserCardChangeField, UserCardChanges } from '../../nim/types.js';
import { userCardChangeFields } from '../../nim/types.js';
import { valueDigest, type MetadataKey } from '../interaction/sealed-metadata.js';
import type { EditCardMetadata } from '../interaction/modal-metadata.js';
import { prefillGender, prefillText } from './view.js';

/**
 * No lost updates: the form carries (sealed) a digest of each field as it was when the form was opened. At submit the
 * card is read again; a field this person changed that someone else changed meanwhile — its value now is neither what
 * the form was opened with nor what this person typed — is a conflict, and nothing is sent until they choose.
 */

/** One field two people changed: what it is now (theirs) and what this person typed (yours), as the form shows them. */
export type Conflict = { field: UserCardChangeField; theirs: string; yours: string };

/** The card's value of a field as the form shows it ('' when unset, the gender as '0' | '1' | '2'). */
export function formValue(card: UserCard, field: UserCardChangeField): string {
  return field === 'gender' ? String(prefillGender(card)) : prefillText(card, field);
}

/** Keyed digests of every field of `card` as the form shows it: the sealed "as opened" state. */
export function prefillDigests(key: MetadataKey, card: UserCard): EditCardMetadata['prefill'] {
  return Object.fromEntries(
    userCardChangeFields.map((field) => [field, valueDigest(key, formValue(card, field))]),
  ) as EditCardMetadata['prefill'];
}

/** The fields of `changes` that someone else changed since the form was opened (to something else than yours). */
export function findConflicts(
  key: MetadataKey,
  opened: EditCardMetadata['prefill'],
  changes: UserCardChanges,
  current: UserCard,
): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const field of userCardChangeFields) {
    const wanted = changes[field];
    if (wanted === undefined) continue;
    const theirs = formValue(current, field);
    const yours = String(wanted);
    if (valueDigest(key, theirs) !== opened[field] && theirs !== yours) conflicts.push({ field, theirs, yours });
  }
  return conflicts;
}
