import type { ParsedEnv } from './env-schema.js';
import type { Config, NimSettings, SlackSettings } from './settings.js';

/**
 * Arranges the parsed environment into the Config the program uses: grouped, derived values worked out (which Slack
 * and NetEase modes, the lease in ms), unset optional settings left out rather than undefined, and frozen all through.
 */
export function assembleConfig(e: ParsedEnv): Config {
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
