import type { AuditTarget } from '../audit/records.js';
import type { MemberRead } from '../nim/qchat-members.js';
import type { UserLookup } from '../nim/types.js';
import { cardState, memberState, type AccountState } from './state.js';

/** The reads an undo makes first: the user card with its mute flags, or the QChat member card. */
export type StateReader = {
  getUinfos(accids: readonly string[], options?: { muteStatus?: boolean; correlationId?: string }): Promise<UserLookup>;
  getServerMember(query: { serverId: string; accid: string }, options?: { correlationId?: string }): Promise<MemberRead>;
};

export type StateRead =
  | { kind: 'found'; state: AccountState }
  /** The account, or its membership of the QChat server, is gone: nothing to undo. */
  | { kind: 'not_found' }
  /** A very large QChat server, the member not among those scanned: its nick cannot be compared, so nothing is sent. */
  | { kind: 'not_reached' };

/** Reads the target of a change as it is now. Rejects with the client's typed error when NetEase cannot be read. */
export async function readState(reader: StateReader, target: AuditTarget, correlationId: string): Promise<StateRead> {
  if (target.serverId !== undefined) {
    const read = await reader.getServerMember({ serverId: target.serverId, accid: target.accid }, { correlationId });
    if (read.kind === 'member') return { kind: 'found', state: memberState(read.member) };
    return { kind: read.kind === 'not_member' ? 'not_found' : 'not_reached' };
  }
  const { found } = await reader.getUinfos([target.accid], { muteStatus: true, correlationId });
  return found[0] ? { kind: 'found', state: cardState(found[0]) } : { kind: 'not_found' };
}
