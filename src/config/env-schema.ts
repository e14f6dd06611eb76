import { z } from 'zod';
import { approvalForSchema, DEFAULT_APPROVAL_MINUTES } from '../approval/policy.js';
import { compileAccidPattern, DEFAULT_ACCID_PATTERN } from '../lookup/find-accids.js';
import { accidKey, accidProblem } from '../nim/accid.js';
import { blankAsUnset, httpUrl, idList, intInRange, oneOf, optionalMatching, optionalString } from './env-values.js';

/** Each environment variable on its own: its kind, its range and its default. What they mean together: cross-checks. */

const channelId = optionalMatching(/^[CG][A-Z0-9]+$/, 'must be a channel id (C… or G…)');
const usergroupIds = () => idList(/^S[A-Z0-9]+$/, 'Slack user group ids (S…)');
const userIds = () => idList(/^[UW][A-Z0-9]+$/, 'Slack user ids (U… or W…)');

/** Account ids that moderation never touches, lower-cased and without repeats, each checked as NetEase checks it. */
const protectedAccids = z.preprocess(
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
);

/** Compiled at start, so that a bad pattern stops the start rather than the first shortcut. */
const accidPattern = z.preprocess(
  blankAsUnset,
  z
    .string()
    .default(DEFAULT_ACCID_PATTERN)
    .superRefine((source, context) => {
      const compiled = compileAccidPattern(source);
      if ('problem' in compiled) context.addIssue({ code: 'custom', message: compiled.problem });
    }),
);

export const envSchema = z.object({
  PORT: intInRange(0, 65_535, 3000),
  LOG_LEVEL: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'info'),

  SLACK_BOT_TOKEN: optionalMatching(/^xoxb-/, 'must be a bot token (xoxb-…)'),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalMatching(/^xapp-/, 'must be an app-level token (xapp-…)'),
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
  IM_APPROVAL_CHANNEL: channelId,
  NIM_REPLICAS: intInRange(1, 1000, 1),
  NIM_EMULATOR_STATE: optionalString,
  REDIS_URL: z.preprocess(blankAsUnset, z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional()),

  IM_READ_MIN_ROLE: oneOf(['member', 'admin', 'owner'], 'member'),
  IM_WRITE_MIN_ROLE: oneOf(['admin', 'owner', 'primary_owner'], 'admin'),
  IM_WRITE_USERGROUPS: usergroupIds(),
  IM_WRITE_USERS: userIds(),

  IM_MODERATE_MIN_ROLE: oneOf(['admin', 'owner', 'primary_owner'], 'admin'),
  IM_MODERATE_USERGROUPS: usergroupIds(),
  IM_MODERATE_USERS: userIds(),
  IM_PROTECTED_ACCIDS: protectedAccids,

  IM_ACCID_PATTERN: accidPattern,

  AUDIT_CHANNEL: channelId,
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

  QCHAT_OPERATOR_ACCID: optionalMatching(
    /^[A-Za-z0-9_@.-]{1,32}$/,
    'must be a NetEase accid: letters, digits, _ @ . - and at most 32 characters',
  ),
  DRAIN_TIMEOUT_MS: intInRange(1000, 3_600_000, 25_000),

  METRICS_TOKEN: optionalMatching(/^[\x21-\x7e]{16,256}$/, 'must be 16 to 256 printable ASCII characters without spaces (a bearer token)'),
});

/** The environment as parsed, before it is arranged into a Config. */
export type ParsedEnv = z.infer<typeof envSchema>;
