import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_ACCID_PATTERN } from '../src/lookup/find-accids.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts local mode with sensible defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.slack.mode).toBe('simulator');
    expect(config.nim).toMatchObject({ mode: 'emulator', rateLimit: 90, timeoutMs: 5000 });
    expect(config.nim.baseUrl).toBe('https://api.netease.im/nimserver');
    expect(config.port).toBe(3000);
    expect(config.access.writeMinRole).toBe('admin');
    expect(Object.isFrozen(config.nim)).toBe(true);
  });

  it('takes METRICS_TOKEN as a bearer token, and names the rule when it is too short', () => {
    expect(loadConfig({ METRICS_TOKEN: 'a-long-enough-token' }).metrics.token).toBe('a-long-enough-token');
    expect(loadConfig({}).metrics.token).toBeUndefined();
    const [problem] = problemsOf({ METRICS_TOKEN: 'short' });
    expect(problem).toMatch(/^METRICS_TOKEN must be 16 to 256 printable ASCII characters/);
    expect(problem).not.toContain('short');
  });

  it('keeps lookup cards 3 s and allows 1,000 accounts per action by default, and names a bad value', () => {
    expect(loadConfig({}).nim.cardCacheMs).toBe(3000);
    expect(loadConfig({ NIM_CARD_CACHE_MS: '0' }).nim.cardCacheMs).toBe(0);
    expect(loadConfig({}).moderation.bulkMax).toBe(1000);
    expect(loadConfig({ IM_BULK_MAX: '250' }).moderation.bulkMax).toBe(250);
    expect(problemsOf({ NIM_CARD_CACHE_MS: '-1', IM_BULK_MAX: '0' })).toEqual([
      expect.stringMatching(/^NIM_CARD_CACHE_MS must be a whole number from 0/),
      expect.stringMatching(/^IM_BULK_MAX must be a whole number from 1/),
    ]);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ NIM_APP_KEY: '', NIM_APP_SECRET: ' ', PORT: '' }).nim.mode).toBe('emulator');
  });

  it('lists every problem at once, naming each setting', () => {
    const problems = problemsOf({ PORT: 'abc', NIM_RATE_LIMIT: '0', SLACK_BOT_TOKEN: 'xoxb-1', NIM_APP_KEY: 'k' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT must be a whole number/),
        expect.stringMatching(/^NIM_RATE_LIMIT must be a whole number from 1/),
        expect.stringMatching(/^SLACK_SIGNING_SECRET is missing/),
        expect.stringMatching(/^NIM_APP_SECRET is missing/),
      ]),
    );
  });

  it('never falls back to demo data when only part of the credentials is set', () => {
    expect(problemsOf({ NIM_APP_SECRET: 'secret-value' })).toEqual([expect.stringMatching(/^NIM_APP_KEY is missing/)]);
  });

  it('keeps secrets out of the problems it reports', () => {
    const problems = problemsOf({ NIM_APP_SECRET: 'super-secret-value', SLACK_SIGNING_SECRET: 'slack-secret-value' });
    expect(problems.join('\n')).not.toMatch(/super-secret-value|slack-secret-value/);
  });

  it('takes the audit database URL, the lookup retention and the lease, naming the setting when one is wrong', () => {
    expect(loadConfig({}).audit).toEqual({
      dbPath: './data/audit.db',
      logPath: './data/audit.jsonl',
      lookupRetentionDays: 90,
      leaseMs: 30_000,
    });
    const url = 'postgres://im:pw@db.internal:5432/audit';
    const env = { AUDIT_DATABASE_URL: url, AUDIT_LOOKUP_RETENTION_DAYS: '30', AUDIT_LEASE_SECONDS: '10' };
    expect(loadConfig(env).audit).toMatchObject({ databaseUrl: url, lookupRetentionDays: 30, leaseMs: 10_000 });
    const problems = problemsOf({
      AUDIT_DATABASE_URL: 'mysql://im:hunter2@db/audit',
      AUDIT_LOOKUP_RETENTION_DAYS: '0',
      AUDIT_LEASE_SECONDS: '61',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^AUDIT_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/),
      expect.stringMatching(/^AUDIT_LOOKUP_RETENTION_DAYS must be a whole number from 1 to 36500/),
      expect.stringMatching(/^AUDIT_LEASE_SECONDS must be a whole number from 3 to 60/),
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('takes AUDIT_ACCEPT_HEAD as <count>:<sha256> (upper-case hex forgiven), naming the form when it is wrong', () => {
    const hash = 'ab'.repeat(32);
    expect(loadConfig({ AUDIT_ACCEPT_HEAD: `1200:${hash.toUpperCase()}` }).audit.acceptHead).toEqual({ count: 1200, hash });
    expect(loadConfig({}).audit.acceptHead).toBeUndefined();
    expect(problemsOf({ AUDIT_ACCEPT_HEAD: `1200 ${hash}` })).toEqual([
      expect.stringMatching(/^AUDIT_ACCEPT_HEAD must be <count>:<sha256>/),
    ]);
  });

  it('takes the SQLite file AUDIT_DB and the trail to import AUDIT_LOG, blank meaning the default', () => {
    expect(loadConfig({ AUDIT_DB: '/var/lib/im-admin/audit.db', AUDIT_LOG: ' ' }).audit).toMatchObject({
      dbPath: '/var/lib/im-admin/audit.db',
      logPath: './data/audit.jsonl',
    });
  });

  it('accepts real NetEase with the Slack simulator, and the reverse', () => {
    expect(loadConfig({ NIM_APP_KEY: 'k', NIM_APP_SECRET: 's' })).toMatchObject({
      slack: { mode: 'simulator' },
      nim: { mode: 'netease', appKey: 'k' },
    });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toMatchObject({
      slack: { mode: 'workspace' },
      nim: { mode: 'emulator' },
    });
  });

  it('names a bad role or log level with the allowed values in plain words, and forgives case', () => {
    const problems = problemsOf({
      IM_READ_MIN_ROLE: 'admins',
      IM_WRITE_MIN_ROLE: 'moderator',
      IM_MODERATE_MIN_ROLE: 'member',
      LOG_LEVEL: 'verbose',
    });
    expect(problems.sort()).toEqual([
      'IM_MODERATE_MIN_ROLE must be one of admin, owner, primary_owner (got "member")',
      'IM_READ_MIN_ROLE must be one of member, admin, owner (got "admins")',
      'IM_WRITE_MIN_ROLE must be one of admin, owner, primary_owner (got "moderator")',
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent (got "verbose")',
    ]);
    expect(problems.join('\n')).not.toMatch(/Invalid option|expected one of/);
    expect(loadConfig({ IM_WRITE_MIN_ROLE: ' Owner ', LOG_LEVEL: 'WARN' })).toMatchObject({
      access: { writeMinRole: 'owner' },
      logLevel: 'warn',
    });
  });

  it('parses writer lists', () => {
    const config = loadConfig({ IM_WRITE_USERGROUPS: 'S01, S02', IM_WRITE_USERS: 'U1\nW2' });
    expect(config.access.writeUsergroups).toEqual(['S01', 'S02']);
    expect(config.access.writeUsers).toEqual(['U1', 'W2']);
  });

  it('reads the moderation permission and the protected accounts, admin by default', () => {
    expect(loadConfig({}).access).toMatchObject({
      moderateMinRole: 'admin',
      moderateUsergroups: [],
      moderateUsers: [],
      protectedAccids: [],
    });
    const config = loadConfig({
      IM_MODERATE_MIN_ROLE: 'owner',
      IM_MODERATE_USERGROUPS: 'S0MODS',
      IM_MODERATE_USERS: 'U1, W2',
      IM_PROTECTED_ACCIDS: 'Support_Bot-01, ops@corp, support_bot-01',
    });
    expect(config.access).toMatchObject({
      moderateMinRole: 'owner',
      moderateUsergroups: ['S0MODS'],
      moderateUsers: ['U1', 'W2'],
      protectedAccids: ['support_bot-01', 'ops@corp'],
    });
  });

  it('finds account ids in messages with the default pattern unless IM_ACCID_PATTERN is set, and refuses a bad one at start', () => {
    expect(loadConfig({}).lookup.accidPattern).toBe(DEFAULT_ACCID_PATTERN);
    expect(loadConfig({ IM_ACCID_PATTERN: 'uid=(\\w+)' }).lookup.accidPattern).toBe('uid=(\\w+)');
    expect(problemsOf({ IM_ACCID_PATTERN: 'uid=(\\w+' })).toEqual([
      expect.stringMatching(/^IM_ACCID_PATTERN is not a valid regular expression \(.*\)$/),
    ]);
    expect(problemsOf({ IM_ACCID_PATTERN: '\\d*' })).toEqual(['IM_ACCID_PATTERN matches empty text: it must match at least one character']);
  });

  it('names a bad moderation setting and the allowed values', () => {
    const problems = problemsOf({ IM_MODERATE_MIN_ROLE: 'member', IM_PROTECTED_ACCIDS: 'ok, not valid!' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^IM_MODERATE_MIN_ROLE .*admin.*owner.*primary_owner/),
        expect.stringMatching(
          /^IM_PROTECTED_ACCIDS\.1 must be NetEase account ids .*"not"|^IM_PROTECTED_ACCIDS\.\d must be NetEase account ids/,
        ),
      ]),
    );
  });
});
