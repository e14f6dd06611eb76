import { userCardChangeFields, type ServerMember, type ServerMemberUpdate, type UserCard, type UserCardChanges } from '../nim/types.js';
import type { FieldChange } from './records.js';

// Recovery compares these with a card read back: see verify.ts.

/** The `changes` of an update_user_card intent: each field the update sets, with the card's value before (if read). */
export function cardChanges(before: UserCard | undefined, changes: UserCardChanges): Record<string, FieldChange> {
  const result: Record<string, FieldChange> = {};
  for (const field of userCardChangeFields) {
    const after = changes[field];
    if (after === undefined) continue;
    const previous = before?.[field];
    result[field] = previous === undefined ? { after } : { before: previous, after };
  }
  return result;
}

const serverMemberFields = ['nick', 'avatar', 'custom'] as const;

/** The `changes` of a qchat_update_member intent. */
export function serverMemberChanges(before: ServerMember | undefined, update: ServerMemberUpdate): Record<string, FieldChange> {
  const result: Record<string, FieldChange> = {};
  for (const field of serverMemberFields) {
    const after = update[field];
    if (after === undefined) continue;
    const previous = before?.[field];
    result[field] = previous === undefined ? { after } : { before: previous, after };
  }
  return result;
}
