import type { InputError } from '../../errors.js';
import { userCardChangeFields, type UserCardChanges } from '../../nim/types.js';
import { cardChangeProblems } from '../../nim/validate.js';
import { valueDigest, type MetadataKey } from '../interaction/sealed-metadata.js';
import type { EditCardMetadata } from '../interaction/modal-metadata.js';
import { chosenOption, typedText, type SubmittedValues } from '../interaction/submitted.js';

/**
 * The fields of the edit form the person changed, compared with what the form was prefilled with (kept as keyed
 * digests in the sealed metadata): only those are sent, so a field someone else changed meanwhile is not overwritten
 * with the old value. An emptied text field is '' (clears it). Every problem is returned at once.
 */
export function changedFields(
  key: MetadataKey,
  prefill: EditCardMetadata['prefill'],
  values: SubmittedValues,
): { changes: UserCardChanges; problems: InputError[] } {
  const changes: Record<string, string | number> = {};
  for (const field of userCardChangeFields) {
    const typed = field === 'gender' ? chosenOption(values, field) : typedText(values, field);
    if (typed === undefined || valueDigest(key, typed) === prefill[field]) continue;
    // A forged option value (e.g. "3") is kept as typed so validation names it under the select.
    changes[field] = field === 'gender' ? (/^\d{1,3}$/.test(typed) ? Number(typed) : typed) : typed;
  }
  const cardChanges = changes as UserCardChanges;
  return { changes: cardChanges, problems: cardChangeProblems(cardChanges) };
}
