import { changesInPlace } from '../nim/users.js';
import type { UserCardChanges, UserLookup } from '../nim/types.js';
import type { AuditVerify } from './outbox.js';
import type { IntentRecord } from './records.js';

/** The part of NimClient recovery needs. */
export type CardReader = { getUinfos(accids: readonly string[], options?: { correlationId?: string }): Promise<UserLookup> };

/**
 * The outbox's `verify` for recovery after a crash: reads the user card back and says whether every `after` of the
 * intent is in place. A QChat member card cannot be read back yet (the member list endpoint is not wired), so those
 * are 'unknown'; so is a card that cannot be read or no longer exists. Errors are the outbox's to log.
 */
export function readBackVerifier(reader: CardReader): AuditVerify {
  return async (intent) => {
    if (intent.action !== 'update_user_card') return 'unknown';
    const { found } = await reader.getUinfos([intent.target.accid], { correlationId: intent.id });
    const card = found[0];
    if (!card) return 'unknown';
    return changesInPlace(card, afterValues(intent)) ? 'in_place' : 'not_in_place';
  };
}

function afterValues(intent: IntentRecord): UserCardChanges {
  return Object.fromEntries(Object.entries(intent.changes).map(([field, { after }]) => [field, after])) as UserCardChanges;
}
