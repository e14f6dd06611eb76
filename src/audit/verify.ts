import { changesInPlace } from '../nim/users.js';
import { memberChangesInPlace, type MemberRead } from '../nim/qchat-members.js';
import type { UserCardChanges, UserLookup } from '../nim/types.js';
import type { AuditVerify } from './outbox.js';
import type { IntentRecord } from './records.js';

/** The part of NimClient recovery needs. */
export type CardReader = {
  getUinfos(accids: readonly string[], options?: { correlationId?: string; muteStatus?: boolean }): Promise<UserLookup>;
  getServerMember(query: { serverId: string; accid: string }, options?: { correlationId?: string }): Promise<MemberRead>;
};

/**
 * The outbox's `verify` for recovery after a crash: reads the user card (or the QChat member card, through
 * qchat/getServerMemberListPage.action), or a sanction's flags, back and says whether every `after` of the intent is
 * in place. A card that
 * cannot be read or no longer exists is 'unknown'. Errors are the outbox's to log.
 */
export function readBackVerifier(reader: CardReader): AuditVerify {
  return async (intent) => {
    if (intent.action === 'qchat_update_member') return memberInPlace(reader, intent);
    if (SANCTIONS.has(intent.action)) return flagsInPlace(reader, intent);
    if (intent.action !== 'update_user_card') return 'unknown';
    const { found } = await reader.getUinfos([intent.target.accid], { correlationId: intent.id });
    const card = found[0];
    if (!card) return 'unknown';
    return changesInPlace(card, afterValues(intent)) ? 'in_place' : 'not_in_place';
  };
}

const SANCTIONS = new Set(['mute', 'unmute', 'block', 'unblock']);

/** A mute, unmute, block or unblock: every flag it changed (`mute`, `muteP2P`…, `valid`) reads as its `after`. */
async function flagsInPlace(reader: CardReader, intent: IntentRecord): Promise<'in_place' | 'not_in_place' | 'unknown'> {
  const fields = Object.entries(intent.changes);
  if (fields.length === 0) return 'unknown';
  const { found } = await reader.getUinfos([intent.target.accid], { correlationId: intent.id, muteStatus: true });
  const card = found[0];
  if (!card) return 'unknown';
  // An account NetEase does not say is blocked is valid; a flag it does not report is off.
  const flags: Record<string, unknown> = { ...card, valid: card.valid ?? true };
  const flag = (field: string) => (flags[field] === true ? 'true' : 'false');
  return fields.every(([field, { after }]) => flag(field) === String(after)) ? 'in_place' : 'not_in_place';
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
