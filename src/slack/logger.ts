import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger as PinoLogger } from 'pino';

/** What the Slack side logs through: pino, or anything shaped like it (tests pass a silent or capturing pino). */
export type AppLogger = Pick<PinoLogger, 'debug' | 'info' | 'warn' | 'error' | 'child'>;

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
 * Bolt's Logger interface over pino, so Bolt's and the WebClient's lines land in the same JSON log.
 * The level stays pino's: Bolt's setLevel() (which it calls at construction) does not override LOG_LEVEL.
 */
export function boltLogger(logger: AppLogger & { level?: string }): BoltLogger {
  const line = (parts: unknown[]) => parts.map((part) => (typeof part === 'string' ? part : safeJson(part))).join(' ');
  const bolt = logger.child({ component: 'bolt' });
  return {
    debug: (...parts: unknown[]) => bolt.debug(line(parts)),
    info: (...parts: unknown[]) => bolt.info(line(parts)),
    warn: (...parts: unknown[]) => bolt.warn(line(parts)),
    error: (...parts: unknown[]) => bolt.error(line(parts)),
    setLevel: () => {},
    getLevel: () => toBolt[logger.level ?? 'info'] ?? LogLevel.INFO,
    setName: () => {},
  };
}

function safeJson(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
