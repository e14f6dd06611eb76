import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { pino, stdSerializers, type DestinationStream, type Logger as PinoLogger, type LoggerOptions } from 'pino';

/** What the Slack side logs through: pino, or anything shaped like it (tests pass a silent or capturing pino). */
export type AppLogger = Pick<PinoLogger, 'debug' | 'info' | 'warn' | 'error' | 'child'>;

/** What replaces a redacted value. */
export const REDACTED = '[REDACTED]';

/** Keys whose values are secrets wherever they appear (up to three levels deep in a logged object). */
const secretKeys = [
  'appSecret',
  'AppSecret',
  'CheckSum',
  'checkSum',
  'Nonce',
  'secret',
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'metadataSecret',
  'clientSecret',
  'password',
  'authorization',
  'Authorization',
  'cookie',
  '"x-slack-signature"',
];

/** Personal fields of a user card: never in the log, wherever they appear (cards, changes, before/after). */
const personalKeys = ['email', 'mobile', 'birth'];

/** Arrays of cards a logged object may hold. */
const cardArrays = ['found', 'cards', 'uinfos', 'users'];

function keyPath(prefix: string, key: string): string {
  const bracketed = key.startsWith('"');
  if (prefix === '') return bracketed ? `[${key}]` : key;
  return bracketed ? `${prefix}[${key}]` : `${prefix}.${key}`;
}

/** The pino `redact` paths: secrets and personal fields at the top level and up to three levels down, and in card arrays. */
export const redactPaths: string[] = (() => {
  const paths = new Set<string>();
  for (const key of [...secretKeys, ...personalKeys]) {
    for (const prefix of ['', '*', '*.*', '*.*.*']) paths.add(keyPath(prefix, key));
  }
  for (const key of personalKeys) {
    for (const array of cardArrays) {
      paths.add(`${array}[*].${key}`);
      paths.add(`*.${array}[*].${key}`);
    }
  }
  // Errors of the Slack Web API client keep the request they failed on.
  for (const prefix of ['*.config.headers', '*.*.config.headers', '*.*.*.config.headers']) {
    paths.add(`${prefix}.Authorization`);
    paths.add(`${prefix}.authorization`);
  }
  return [...paths];
})();

/** Slack tokens (bot, user, app-level, config) as they may appear inside a message or an error text. */
const slackTokenPattern = /\b(?:xox[abeoprs]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]+/g;

export type LoggerSettings = {
  /** pino level (LOG_LEVEL). @default 'info' */
  level?: string;
  /**
   * The configured secret values (AppSecret, bot token, signing secret, app token): replaced by [REDACTED] if they
   * ever turn up inside a message or an error's message or stack, where redact paths cannot reach.
   */
  secrets?: readonly (string | undefined)[];
};

/**
 * The production logger: JSON lines (pino), with secrets and personal fields redacted by pino's `redact` paths, and
 * Slack tokens and the configured secret values scrubbed out of messages and errors. `destination` defaults to stdout.
 */
export function createLogger(settings: LoggerSettings = {}, destination?: DestinationStream): PinoLogger {
  const scrub = scrubber(settings.secrets ?? []);
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    redact: { paths: redactPaths, censor: REDACTED },
    serializers: { err: (error: unknown) => serializeError(error, scrub) },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((arg: unknown) => (typeof arg === 'string' ? scrub(arg) : arg));
        method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

function scrubber(secrets: readonly (string | undefined)[]): (text: string) => string {
  // Short values would blank out ordinary words; real secrets are long.
  const values = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 8);
  return (text) => {
    let out = text.replace(slackTokenPattern, REDACTED);
    for (const value of values) out = out.split(value).join(REDACTED);
    return out;
  };
}

/** pino's error serializer, scrubbed; an input error about a personal field keeps the rule but not the value typed. */
function serializeError(error: unknown, scrub: (text: string) => string): unknown {
  if (!(error instanceof Error)) return error;
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  const field = (error as { field?: unknown }).field;
  if (typeof field === 'string' && personalKeys.includes(field) && 'value' in serialized) {
    delete serialized.value;
    const rule = (error as { rule?: unknown }).rule;
    serialized.message = `${field}: ${typeof rule === 'string' ? rule : 'invalid'}`;
    if (typeof serialized.stack === 'string') serialized.stack = serialized.stack.split('\n').slice(1).join('\n');
  }
  for (const key of ['message', 'stack'] as const) {
    if (typeof serialized[key] === 'string') serialized[key] = scrub(serialized[key]);
  }
  return serialized;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * The same logger with children that cost almost nothing. pino's own child() runs the bindings through the redact
 * paths at creation, and with wildcard paths (`*.email`, `*.*.email`…) that takes ~150 µs on an idle core, more on a
 * busy one: once per command, click and submission, whether or not it logs anything. These children keep their
 * bindings and merge them into each line they write instead, so redaction, serializers and the secret scrubbing
 * apply as before, once per line written; a child of a child merges both sets.
 */
export function lightChildren(logger: PinoLogger): AppLogger & { level: string } {
  return bound(logger, {});
}

function bound(logger: PinoLogger, bindings: Readonly<Record<string, unknown>>): AppLogger & { level: string } {
  const method =
    (level: Level) =>
    (first?: unknown, ...rest: unknown[]): void => {
      if (!logger.isLevelEnabled(level)) return;
      const log: (...args: unknown[]) => void = logger[level].bind(logger);
      if (first instanceof Error) log({ ...bindings, err: first }, ...rest);
      else if (first !== null && typeof first === 'object') log({ ...bindings, ...first }, ...rest);
      else log({ ...bindings }, first, ...rest);
    };
  const child = {
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    child: (more: Record<string, unknown>) => bound(logger, { ...bindings, ...more }),
    get level() {
      return logger.level;
    },
  };
  return child as unknown as AppLogger & { level: string };
}

const toBolt: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/**
 * Bolt's Logger interface over pino, so Bolt's and the WebClient's lines land in the same JSON log. Strings form the
 * message; anything else goes, as it is, into `details` (so the redact paths apply to it too).
 * The level stays pino's: Bolt's setLevel() (which it calls at construction) does not override LOG_LEVEL.
 */
export function boltLogger(logger: AppLogger & { level?: string }): BoltLogger {
  const bolt = logger.child({ component: 'bolt' });
  const emit = (level: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]) => {
    const text = parts.filter((part) => typeof part === 'string').join(' ');
    const details = parts.filter((part) => typeof part !== 'string').map(detail);
    if (details.length === 0) bolt[level](text);
    else bolt[level]({ details }, text);
  };
  return {
    debug: (...parts: unknown[]) => emit('debug', parts),
    info: (...parts: unknown[]) => emit('info', parts),
    warn: (...parts: unknown[]) => emit('warn', parts),
    error: (...parts: unknown[]) => emit('error', parts),
    setLevel: () => {},
    getLevel: () => toBolt[logger.level ?? 'info'] ?? LogLevel.INFO,
    setName: () => {},
  };
}

function detail(value: unknown): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message.replace(slackTokenPattern, REDACTED) };
  return value;
}
