import { z } from 'zod';
import { compileAccidPattern, DEFAULT_ACCID_PATTERN } from './lookup/find-accids.js';
import { approvalForSchema, DEFAULT_APPROVAL_MINUTES, type ApprovalPolicy } from './approval/policy.js';
import { accidKey, accidProblem } from './nim/accid.js';

/**
 * Settings, read once at start from the environment (passed in, never read from process.env elsewhere), validated
 * with zod, every problem reported at once, empty strings treated as unset, returned frozen. Modelled on t3-env.
 */

export type Role = 'member' | 'admin' | 'owner' | 'primary_owner';

const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(blankAsUnset, z.string().trim().optional());
const intInRange = (min: number, max: number, fallback: number) =>
  z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int({ error: `must be a whole number from ${min} to ${max}` })
      .min(min, { error: `must be a whole number from ${min} to ${max}` })
      .max(max, { error: `must be a whole number from ${min} to ${max}` })
      .default(fallback),
  );
/**
 * One of a few words (a role, a log level), case and spaces forgiven. A bad value is named with the allowed ones in
 * plain words, like every other setting, rather than zod's "Invalid option".
 */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.preprocess(
    (value) => {
      const set = blankAsUnset(value);
      return typeof set === 'string' ? set.trim().toLowerCase() : set;
    },
    z
      .enum(values, {
        error: (issue) => `must be one of ${values.join(', ')} (got ${JSON.stringify(String(issue.input).slice(0, 40))})`,
      })
      .default(fallback),
  );
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const idList = (pattern: RegExp, what: string) =>
  z.preprocess(
    blankAsUnset,
    z
      .string()
      .optional()
      .transform((text) => (text ?? '').split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(z.string().regex(pattern, `must be ${what} separated by commas`))),
  );

const envSchema = z.object({
  PORT: intInRange(0, 65_535, 3000),
  LOG_LEVEL: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'info'),

  SLACK_BOT_TOKEN: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^xoxb-/, 'must be a bot token (xoxb-…)')
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^xapp-/, 'must be an app-level token (xapp-…)')
      .optional(),
  ),
  SLACK_API_URL: z.preprocess(blankAsUnset, httpUrl.optional()),

  NIM_APP_KEY: optionalString,
  NIM_APP_SECRET: optionalString,
  NIM_BASE_URL: z.preprocess(blankAsUnset, httpUrl.default('https://api.netease.im/nimserver')),
  NIM_BACKUP_BASE_URL: z.preprocess(blankAsUnset, httpUrl.optional()),
  NIM_RATE_LIMIT: intInRange(1, 100_000, 90),
  NIM_TIMEOUT_MS: intInRange(100, 120_000, 5000),
  NIM_CARD_CACHE_MS: intInRange(0, 60_000, 3000),
  IM_BULK_MAX: intInRange(1, 5000, 1000),
  IM_APPROVAL_FOR: z.preprocess(blankAsUnset, approvalForSchema),
  IM_APPROVAL_MINUTES: intInRange(1, 10_080, DEFAULT_APPROVAL_MINUTES),
  IM_APPROVAL_CHANNEL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[CG][A-Z0-9]+$/, 'must be a channel id (C… or G…)')
      .optional(),
  ),
  NIM_REPLICAS: intInRange(1, 1000, 1),
  NIM_EMULATOR_STATE: optionalString,
  REDIS_URL: z.preprocess(blankAsUnset, z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional()),

  IM_READ_MIN_ROLE: oneOf(['member', 'admin', 'owner'], 'member'),
  IM_WRITE_MIN_ROLE: oneOf(['admin', 'owner', 'primary_owner'], 'admin'),
  IM_WRITE_USERGROUPS: idList(/^S[A-Z0-9]+$/, 'Slack user group ids (S…)'),
  IM_WRITE_USERS: idList(/^[UW][A-Z0-9]+$/, 'Slack user ids (U… or W…)'),

  IM_MODERATE_MIN_ROLE: oneOf(['admin', 'owner', 'primary_owner'], 'admin'),
  IM_MODERATE_USERGROUPS: idList(/^S[A-Z0-9]+$/, 'Slack user group ids (S…)'),
  IM_MODERATE_USERS: idList(/^[UW][A-Z0-9]+$/, 'Slack user ids (U… or W…)'),
  IM_PROTECTED_ACCIDS: z.preprocess(
    blankAsUnset,
    z
      .string()
      .optional()
      .transform((text) => (text ?? '').split(/[\s,]+/).filter(Boolean))
      .pipe(
        z.array(
          z.string().refine((accid) => accidProblem(accid) === undefined, {
            error: (issue) =>
              `must be NetEase account ids separated by commas: ${JSON.stringify(String(issue.input).slice(0, 40))} ${accidProblem(String(issue.input)) ?? ''}`,
          }),
        ),
      )
      .transform((accids) => [...new Set(accids.map(accidKey))]),
  ),

  IM_ACCID_PATTERN: z.preprocess(
    blankAsUnset,
    z
      .string()
      .default(DEFAULT_ACCID_PATTERN)
      .superRefine((source, context) => {
        const compiled = compileAccidPattern(source);
        if ('problem' in compiled) context.addIssue({ code: 'custom', message: compiled.problem });
      }),
  ),

  AUDIT_CHANNEL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[CG][A-Z0-9]+$/, 'must be a channel id (C… or G…)')
      .optional(),
  ),
  AUDIT_DB: z.preprocess(blankAsUnset, z.string().default('./data/audit.db')),
  AUDIT_LOG: z.preprocess(blankAsUnset, z.string().default('./data/audit.jsonl')),
  AUDIT_DATABASE_URL: z.preprocess(
    blankAsUnset,
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  ),
  AUDIT_LOOKUP_RETENTION_DAYS: intInRange(1, 36_500, 90),
  AUDIT_ACCEPT_HEAD: z.preprocess(
    blankAsUnset,
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^\d{1,15}:[0-9a-f]{64}$/, 'must be <count>:<sha256> (the count, a colon, 64 hex digits), as the start-up error prints it')
      .optional(),
  ),
  AUDIT_LEASE_SECONDS: intInRange(3, 60, 30),

  QCHAT_OPERATOR_ACCID: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9_@.-]{1,32}$/, 'must be a NetEase accid: letters, digits, _ @ . - and at most 32 characters')
      .optional(),
  ),
  DRAIN_TIMEOUT_MS: intInRange(1000, 3_600_000, 25_000),

  METRICS_TOKEN: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[\x21-\x7e]{16,256}$/, 'must be 16 to 256 printable ASCII characters without spaces (a bearer token)')
      .optional(),
  ),
});

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

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`im-admin cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The actions whose Slack flow asks for approval (the moderation confirmation); the rest refuse the start. */
const approvalWiredActions: readonly string[] = ['mute', 'unmute', 'block', 'unblock'];

/** Parses the environment. Throws ConfigError listing every problem at once. Secrets never appear in a problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  const isSet = (name: string) => blankAsUnset(env[name]) !== undefined;
  problems.push(...partialSet('Slack', ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'], isSet));
  if (isSet('SLACK_APP_TOKEN') && !isSet('SLACK_BOT_TOKEN')) problems.push('SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is missing');
  problems.push(...partialSet('NetEase', ['NIM_APP_KEY', 'NIM_APP_SECRET'], isSet));
  // Only moderation asks for approval so far: refusing to start beats a second pair of eyes that is not there.
  if (parsed.success) {
    const policy = parsed.data.IM_APPROVAL_FOR;
    const unwired = policy.actions.filter((action) => !approvalWiredActions.includes(action));
    if (unwired.length > 0) {
      problems.push(
        `IM_APPROVAL_FOR: ${unwired.join(', ')} cannot ask for approval in this version yet (only ${approvalWiredActions.join(', ')} and bulk>N): leave ${unwired.length === 1 ? 'it' : 'them'} out`,
      );
    }
    const asksAny = policy.actions.length > 0 || policy.bulkOver !== undefined;
    if (asksAny && !isSet('IM_APPROVAL_CHANNEL') && !isSet('AUDIT_CHANNEL')) {
      problems.push('IM_APPROVAL_FOR needs IM_APPROVAL_CHANNEL or AUDIT_CHANNEL: where approval requests are posted');
    }
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;

  const slack: SlackSettings =
    e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET
      ? {
          mode: 'workspace',
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
          ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}),
        }
      : { mode: 'simulator' };

  const nim: NimSettings = {
    mode: e.NIM_APP_KEY ? 'netease' : 'emulator',
    ...(e.NIM_APP_KEY ? { appKey: e.NIM_APP_KEY, appSecret: e.NIM_APP_SECRET } : {}),
    baseUrl: e.NIM_BASE_URL,
    ...(e.NIM_BACKUP_BASE_URL ? { backupBaseUrl: e.NIM_BACKUP_BASE_URL } : {}),
    rateLimit: e.NIM_RATE_LIMIT,
    timeoutMs: e.NIM_TIMEOUT_MS,
    cardCacheMs: e.NIM_CARD_CACHE_MS,
    replicas: e.NIM_REPLICAS,
    ...(e.NIM_EMULATOR_STATE ? { emulatorState: e.NIM_EMULATOR_STATE } : {}),
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
  };

  return deepFreeze({
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    slack,
    nim,
    access: {
      readMinRole: e.IM_READ_MIN_ROLE,
      writeMinRole: e.IM_WRITE_MIN_ROLE,
      writeUsergroups: e.IM_WRITE_USERGROUPS,
      writeUsers: e.IM_WRITE_USERS,
      moderateMinRole: e.IM_MODERATE_MIN_ROLE,
      moderateUsergroups: e.IM_MODERATE_USERGROUPS,
      moderateUsers: e.IM_MODERATE_USERS,
      protectedAccids: e.IM_PROTECTED_ACCIDS,
    },
    lookup: { accidPattern: e.IM_ACCID_PATTERN },
    audit: {
      ...(e.AUDIT_CHANNEL ? { channel: e.AUDIT_CHANNEL } : {}),
      dbPath: e.AUDIT_DB,
      logPath: e.AUDIT_LOG,
      ...(e.AUDIT_DATABASE_URL ? { databaseUrl: e.AUDIT_DATABASE_URL } : {}),
      lookupRetentionDays: e.AUDIT_LOOKUP_RETENTION_DAYS,
      leaseMs: e.AUDIT_LEASE_SECONDS * 1000,
      ...(e.AUDIT_ACCEPT_HEAD ? { acceptHead: acceptedHead(e.AUDIT_ACCEPT_HEAD) } : {}),
    },
    metrics: e.METRICS_TOKEN ? { token: e.METRICS_TOKEN } : {},
    moderation: { bulkMax: e.IM_BULK_MAX },
    approval: {
      policy: e.IM_APPROVAL_FOR,
      minutes: e.IM_APPROVAL_MINUTES,
      ...(e.IM_APPROVAL_CHANNEL ? { channel: e.IM_APPROVAL_CHANNEL } : {}),
    },
    qchat: e.QCHAT_OPERATOR_ACCID ? { operatorAccid: e.QCHAT_OPERATOR_ACCID } : {},
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
  });
}

/** Either all of a group is set or none: never a silent fall-back to demo data when the operator meant production. */
function partialSet(service: string, group: string[], isSet: (name: string) => boolean): string[] {
  const missing = group.filter((name) => !isSet(name));
  if (missing.length === 0 || missing.length === group.length) return [];
  return missing.map((name) => `${name} is missing: set every ${service} setting or none (none starts local mode)`);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function acceptedHead(text: string): { count: number; hash: string } {
  const [count, hash] = text.split(':');
  return { count: Number(count), hash: hash! };
}
