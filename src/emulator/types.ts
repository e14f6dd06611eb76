import type { UserCard } from '../nim/types.js';

/** The public face of the NetEase emulator, shared by the client's tests, the Slack tests, local mode and the bench. */

export type EmulatorEndpoint =
  | 'user/getUinfos.action'
  | 'user/updateUinfo.action'
  | 'qchat/updateServerMember.action'
  | 'qchat/updateOtherServerMember.action'
  | 'qchat/getServerMemberListPage.action'
  | 'user/mute.action'
  | 'user/muteModule.action'
  | 'user/block.action'
  | 'user/unblock.action';

/** A QChat server member as the emulator stores it. */
export type EmulatedServerMember = {
  accid: string;
  nick?: string;
  avatar?: string;
  custom?: string;
  /** 0 member, 1 owner. */
  type: 0 | 1;
  joinTime: number;
  inviter?: string;
  validFlag: 0 | 1;
  createTime: number;
  updateTime: number;
};

/** The JSON seed file's shape (src/emulator/demo-data.json is the demo set used by local mode). */
export type EmulatorSeed = {
  users: UserCard[];
  qchatServers: { serverId: string; name?: string; members: EmulatedServerMember[] }[];
};

/**
 * One injected fault, applied to matching requests while `remaining` lasts (default: until cleared).
 *
 * Without `afterApply`, a latency fault delays the request before anything else (auth, rate limit, handler), and the
 * other kinds replace the answer before auth: the request never reaches "NetEase", nothing changes, nothing counts
 * against the rate limit. With `afterApply: true` the request is handled normally (the change is applied) and only
 * then is the answer delayed or replaced: "applied, but the answer was lost", which a client proves by reading back.
 */
export type Fault =
  | { kind: 'latency'; ms: number; afterApply?: boolean }
  | { kind: 'http_status'; status: number; afterApply?: boolean }
  | { kind: 'code'; code: number; desc?: string; afterApply?: boolean }
  | { kind: 'malformed_json'; afterApply?: boolean }
  | { kind: 'drop_connection'; afterApply?: boolean };

export type EmulatorOptions = {
  /** @default a single app { appKey: 'demo-app-key', appSecret: 'demo-app-secret' } */
  apps?: { appKey: string; appSecret: string }[];
  /** @default the demo data set */
  seed?: EmulatorSeed;
  /** Calls per rolling window per app and endpoint, counted on arrival. @default 100 */
  rateLimit?: number;
  /** @default 1000 */
  rateWindowMs?: number;
  /** How long a 416 blocks the app. @default 10000 */
  blockMs?: number;
  /** Allowed CurTime skew in ms. @default 300000 */
  maxSkewMs?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /**
   * De-duplicate by the RequestId header: a RequestId the same app already sent within this many ms is answered
   * 431 "http request repeated" and not applied (NetEase's behaviour as its SDK docs describe it; the code is
   * assumed). Requests without RequestId are never affected; 0 turns it off. @default 600000 (10 minutes)
   */
  requestIdWindowMs?: number;
  /**
   * Keep the state in this JSON file: loaded at start instead of the seed when it exists, written after changes
   * (see `stateSaveDelayMs`), atomically. Another emulator already keeping the same file makes this one run in memory
   * only (`Emulator.stateFile.kept` false). @default none: the state lives in memory and is lost at exit
   */
  statePath?: string;
  /** How long after a change the state file is written (changes meanwhile are written together). @default 250 */
  stateSaveDelayMs?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
};

export type ReceivedRequest = {
  endpoint: string;
  appKey: string | undefined;
  /** The decoded form fields, exactly as they arrived. */
  form: Record<string, string>;
  /** The signing headers as they arrived (a test of the client asserts on them). */
  headers: { AppKey?: string; Nonce?: string; CurTime?: string; CheckSum?: string; RequestId?: string };
  /**
   * The NetEase code answered (or the HTTP status for injected transport faults and requests refused at the HTTP
   * level, e.g. 405 for a GET); 0 when no code could be read: a dropped connection or malformed JSON.
   */
  answeredCode: number;
  receivedAt: number;
  /** The kind of the injected fault that shaped the answer, if any. */
  fault?: Fault['kind'];
};

export interface Emulator {
  /** Base URL ending in /nimserver, e.g. http://127.0.0.1:40123/nimserver */
  readonly url: string;
  /** Requests in arrival order (the last 100,000). */
  readonly received: readonly ReceivedRequest[];
  /** Count of requests, optionally for one endpoint and/or one answered code. */
  count(filter?: { endpoint?: string; code?: number }): number;
  /** Forget what was received. */
  resetCounters(): void;
  /** Inject a fault on an endpoint ('*' for all) for the next `times` requests (default: until cleared). */
  injectFault(endpoint: EmulatorEndpoint | '*', fault: Fault, times?: number): void;
  clearFaults(): void;
  /** Direct state access for test set-up and assertions. Accids are case-insensitive. */
  getUser(accid: string): UserCard | undefined;
  putUser(card: UserCard): void;
  getServerMember(serverId: string, accid: string): EmulatedServerMember | undefined;
  /** Where the state is kept, with `statePath`; undefined when it lives in memory only. */
  readonly stateFile?: StateFileStatus;
  /** Stops answering, and writes the state file's pending changes. */
  close(): Promise<void>;
}

/**
 * The emulator's state kept in a JSON file (the seed's shape), so that what was changed survives a restart as the
 * audit trail does. Written after changes, at most once per `delayMs`, as a new file renamed over the old one: a
 * crash leaves the old state or the new, never half of one. One process at a time keeps a file: it holds
 * `<file>.lock` (its pid); another emulator on the same file runs in memory only and says who holds it, since two
 * writers would undo each other's changes.
 */

export type StateFileStatus = {
  path: string;
  /** False when another process (or another emulator in this one) holds the file: this one keeps its state in memory. */
  kept: boolean;
  /** The pid holding the file when not kept. */
  heldBy?: number;
};
