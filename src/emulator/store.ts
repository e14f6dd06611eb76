import { accidKey } from '../nim/accid.js';
import type { UserCard } from '../nim/types.js';
import { canonicalServerId } from './server-id.js';
import type { EmulatedServerMember, EmulatorSeed } from './types.js';

export type StoredServer = { serverId: string; name?: string; members: Map<string, EmulatedServerMember> };

/** The flags NetEase always knows for an account; a card from a seed or a test may leave them out. */
const ACCOUNT_DEFAULTS = {
  valid: true,
  mute: false,
  muteP2P: false,
  muteTeam: false,
  muteRoom: false,
  muteQChat: false,
} as const satisfies Partial<UserCard>;

/**
 * The emulator's in-memory NetEase: user cards and QChat servers. Accids are case-insensitive, so every map is keyed
 * by the lower-cased accid and cards are stored with it, as NetEase stores them. Handlers mutate the live objects;
 * what leaves through the public Emulator API is copied.
 */
export class EmulatorStore {
  readonly #users = new Map<string, UserCard>();
  readonly #servers = new Map<string, StoredServer>();

  constructor(seed: EmulatorSeed) {
    for (const card of seed.users) this.putUser(card);
    for (const server of seed.qchatServers) {
      const serverId = canonicalServerId(server.serverId);
      if (serverId === undefined) throw new Error(`seed: QChat server id ${server.serverId} is not a 64-bit integer`);
      const members = new Map<string, EmulatedServerMember>();
      for (const member of server.members) {
        const accid = accidKey(member.accid);
        members.set(accid, { ...structuredClone(member), accid });
      }
      this.#servers.set(serverId, { serverId, ...(server.name === undefined ? {} : { name: server.name }), members });
    }
  }

  /** The live card, for handlers. */
  user(accid: string): UserCard | undefined {
    return this.#users.get(accidKey(accid));
  }

  putUser(card: UserCard): void {
    const accid = accidKey(card.accid);
    this.#users.set(accid, { ...ACCOUNT_DEFAULTS, ...structuredClone(card), accid });
  }

  /** The live server, for handlers; `serverId` must be canonical (see canonicalServerId). */
  server(serverId: string): StoredServer | undefined {
    return this.#servers.get(serverId);
  }

  /** The live member, for handlers; `serverId` may be any decimal spelling of the id. */
  member(serverId: string, accid: string): EmulatedServerMember | undefined {
    const canonical = canonicalServerId(serverId);
    return canonical === undefined ? undefined : this.#servers.get(canonical)?.members.get(accidKey(accid));
  }

  /** Everything it holds, in the seed's shape (what a state file keeps; loading it back gives the same store). */
  snapshot(): EmulatorSeed {
    return {
      users: [...this.#users.values()].map((card) => structuredClone(card)),
      qchatServers: [...this.#servers.values()].map((server) => ({
        serverId: server.serverId,
        ...(server.name === undefined ? {} : { name: server.name }),
        members: [...server.members.values()].map((member) => structuredClone(member)),
      })),
    };
  }
}
