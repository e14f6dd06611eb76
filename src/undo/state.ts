import type { ServerMember, UserCard } from '../nim/types.js';
import { muteModules, userCardChangeFields } from '../nim/types.js';

/**
 * An account as an undo compares it: every value a change can set, as text, keyed by the name the audit trail
 * records it under (`changes` of an intent). A user card gives its fields (unset as '', gender '0' | '1' | '2') and
 * its sanction flags (`mute`, `muteP2P`…, `valid`, 'true' | 'false'); a QChat member card its `nick`, `avatar`,
 * `custom`. The same shape for every kind lets one check ("still what the change left?") and one rollback
 * simulation serve them all.
 */
export type AccountState = Readonly<Record<string, string>>;

/** A user card (read with muteStatus) as state. */
export function cardState(card: UserCard): AccountState {
  const state: Record<string, string> = {};
  for (const field of userCardChangeFields) {
    state[field] = field === 'gender' ? String(card.gender === 1 || card.gender === 2 ? card.gender : 0) : (card[field] ?? '');
  }
  state.mute = String(card.mute ?? false);
  for (const module of muteModules) state[module] = String(card[module] ?? false);
  state.valid = String(card.valid !== false);
  return state;
}

/** A QChat member card as state. */
export function memberState(member: ServerMember): AccountState {
  return { nick: member.nick ?? '', avatar: member.avatar ?? '', custom: member.custom ?? '' };
}

/** A value as recorded in `changes` (a string or a number), as state compares it. */
export function stateValue(value: string | number | undefined): string {
  return value === undefined ? '' : String(value);
}
