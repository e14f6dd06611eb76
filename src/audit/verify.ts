import { changesInPlace } from '../nim/users.js';
import { memberChangesInPlace, type MemberRead } from '../nim/qchat-members.js';
import type { UserCardChanges, UserLookup } from '../nim/types.js';
import type { AuditVerify } from './outbox.js';
import type { IntentRecord } from './records.js';

/** The part of NimClient recovery needs. */
export type CardReader = {
  getUinfos(accids: readonly string[], options?: { correlationId?: string }): Promise<UserLookup>;
  getServerMember(query: { serverId: string; accid: string }, options?: { correlationId?: string }): Promise<MemberRead>;
};

/**
 * The outbox's `verify` for recovery after a crash: reads the user card (or the QChat member card, through
 * qchat/getServerMemberListPage.action) back and says whether every `after` of the intent is in place. A card that
 * cannot be read or no longer exists is 'unknown'. Errors are the outbox's to log.
 */
export function readBackVerifier(reader: CardReader): AuditVerify {
  return async (intent) => {
    if (intent.action === 'qchat_update_member') return memberInPlace(reader, intent);
    if (intent.action !== 'update_user_card') return 'unknown';
    const { found } = await reader.getUinfos([intent.target.accid], { correlationId: intent.id });
    const card = found[0];
    if (!card) return 'unknown';
    return changesInPlace(card, afterValues(intent)) ? 'in_place' : 'not_in_place';
  };
}

async function memberInPlace(reader: CardReader, intent: IntentRecord): Promise<'in_place' | 'not_in_place' | 'unknown'> {
  const { serverId, accid } = intent.target;
  if (serverId === undefined) return 'unknown';
  const read = await reader.getServerMember({ serverId, accid }, { correlationId: intent.id });
  if (read.kind !== 'member') return 'unknown';
  const after = Object.fromEntries(Object.entries(intent.changes).map(([field, { after: value }]) => [field, String(value)]));
  return memberChangesInPlace(read.member, after) ? 'in_place' : 'not_in_place';
}

function afterValues(intent: IntentRecord): UserCardChanges {
  return Object.fromEntries(Object.entries(intent.changes).map(([field, { after }]) => [field, after]));
}
