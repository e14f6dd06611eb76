import {
  userCardChangeFields,
  type ServerMember,
  type ServerMemberUpdate,
  type UserCard,
  type UserCardChanges,
} from '../nim/types.js';
import type { FieldChange } from './records.js';

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
export function serverMemberChanges(
  before: ServerMember | undefined,
  update: ServerMemberUpdate,
): Record<string, FieldChange> {
  const result: Record<string, FieldChange> = {};
  for (const field of serverMemberFields) {
    const after = update[field];
    if (after === undefined) continue;
    const previous = before?.[field];
    result[field] = previous === undefined ? { after } : { before: previous, after };
  }
  return result;
}

/**
 * Whether every `after` of a change is what a card (or member) read back now holds: the core of a recovery `verify`.
 * An absent field reads as '' (cleared) and an absent gender as 0 (unknown), as NetEase leaves unset fields out.
 */
export function changesInPlace(changes: Record<string, FieldChange>, current: Record<string, unknown>): boolean {
  return Object.entries(changes).every(([field, { after }]) => {
    const now = current[field] ?? (typeof after === 'number' ? 0 : '');
    return now === after;
  });
}
