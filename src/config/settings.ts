import type { ApprovalPolicy } from '../approval/policy.js';

/** The settings as the program uses them: grouped by what they configure, typed, documented with their defaults. */

export type Role = 'member' | 'admin' | 'owner' | 'primary_owner';

export type SlackSettings =
  /** A real workspace (or a proxy in front of one). */
  | { mode: 'workspace'; botToken: string; signingSecret: string; appToken?: string; apiUrl?: string }
  /** Local mode: the browser Slack simulator plays Slack. */
  | { mode: 'simulator' };

export type NimSettings = {
  /** 'emulator': local mode starts the NetEase emulator and fills in the credentials and base URL. */
  mode: 'netease' | 'emulator';
  appKey?: string;
  appSecret?: string;
  baseUrl: string;
  backupBaseUrl?: string;
  /** Calls per rolling second, shared by every caller. @default 90 */
  rateLimit: number;
  /** Per-attempt timeout in ms. @default 5000 */
  timeoutMs: number;
  /** NIM_CARD_CACHE_MS: how long a card read for a lookup answers repeats, in ms; 0 turns the cache off. @default 3000 (0 when absent) */
  cardCacheMs?: number;
  /** Replicas sharing the NetEase app; the local fall-back budget when Redis is down is rateLimit ÷ replicas. @default 1 */
  replicas: number;
  redisUrl?: string;
  /**
   * NIM_EMULATOR_STATE: in local mode, the file the emulator keeps its state in (a path, or `off` to keep it in
   * memory only). @default emulator-state.json beside AUDIT_DB (./data/emulator-state.json)
   */
  emulatorState?: string;
};

export type Config = Readonly<{
  port: number;
  logLevel: string;
  slack: SlackSettings;
  nim: NimSettings;
  access: {
    readMinRole: 'member' | 'admin' | 'owner';
    writeMinRole: 'admin' | 'owner' | 'primary_owner';
    writeUsergroups: string[];
    writeUsers: string[];
    /** Who may mute, unmute, block and unblock: its own permission, separate from editing cards. */
    moderateMinRole: 'admin' | 'owner' | 'primary_owner';
    moderateUsergroups: string[];
    moderateUsers: string[];
    /** Accounts never muted or blocked from Slack (lower-cased accids). */
    protectedAccids: string[];
  };
  lookup: {
    /**
     * IM_ACCID_PATTERN: the regular expression (source, compiled with the flags g, i, u) that finds account ids in a
     * message for the "Look up IM accounts" shortcut. Checked at start. @default DEFAULT_ACCID_PATTERN
     */
    accidPattern: string;
  };
  audit: {
    channel?: string;
    /** AUDIT_DB: the SQLite store's file (used when AUDIT_DATABASE_URL is not set). @default ./data/audit.db */
    dbPath: string;
    /**
     * AUDIT_LOG: the JSON Lines trail of the file store of earlier versions, imported into AUDIT_DB at start when it
     * exists and is not yet imported (never written). @default ./data/audit.jsonl
     */
    logPath: string;
    /** AUDIT_DATABASE_URL: the PostgreSQL store, shared by every replica. Holds the password: never log it. */
    databaseUrl?: string;
    /** AUDIT_LOOKUP_RETENTION_DAYS: lookups (who looked at whom) older than this are deleted. @default 90 */
    lookupRetentionDays: number;
    /**
     * AUDIT_LEASE_SECONDS in ms: an update's lease, renewed while NetEase is in flight; once a dead process's lease
     * runs out, another process settles its update. @default 30 s
     */
    leaseMs: number;
    /**
     * AUDIT_ACCEPT_HEAD: accepts a trail that holds fewer records than the head last posted to the audit channel, when
     * its current head is this one (the start-up error names it). Unset: such a trail fails /readyz.
     */
    acceptHead?: { count: number; hash: string };
  };
  /** GET /metrics needs `Authorization: Bearer <token>` when set. */
  metrics: { token?: string };
  /** IM_BULK_MAX: at most this many accounts in one mute, unmute, block or unblock. @default 1000 */
  moderation: { bulkMax: number };
  /**
   * IM_APPROVAL_FOR: which actions need a second person (default: none); IM_APPROVAL_MINUTES: how long a request
   * waits (default 30); IM_APPROVAL_CHANNEL: where requests are posted (default: the audit channel).
   */
  approval: { policy: ApprovalPolicy; minutes: number; channel?: string };
  /** QCHAT_OPERATOR_ACCID: change QChat member cards as this operator (qchat/updateOtherServerMember.action). */
  qchat: { operatorAccid?: string };
  /**
   * DRAIN_TIMEOUT_MS: after SIGTERM, how long work in flight and the audit outbox get before the process exits
   * (src/lifecycle/drain.ts). Keep it below the orchestrator's grace period. @default 25000
   */
  drainTimeoutMs: number;
}>;

/** The access settings when nothing is set (tests and tools that build the app without loadConfig). */
export const defaultAccess: Config['access'] = Object.freeze({
  readMinRole: 'member',
  writeMinRole: 'admin',
  writeUsergroups: [],
  writeUsers: [],
  moderateMinRole: 'admin',
  moderateUsergroups: [],
  moderateUsers: [],
  protectedAccids: [],
});
