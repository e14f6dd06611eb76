import { InputError } from '../errors.js';

/**
 * How long a mute lasts, as people type it: `30m`, `2h`, `7d`, `1w` (a whole number and a unit), or `forever`.
 * NetEase's mutes have no duration: a timed one is lifted by the app (src/moderation/scheduler.ts).
 */
export type DurationUnit = 'm' | 'h' | 'd' | 'w';
export type Duration = { forever: true } | { forever: false; ms: number; amount: number; unit: DurationUnit };

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
/** The shortest timed mute: a minute. */
export const MIN_DURATION_MS = UNIT_MS.m;
/** The longest timed mute: a year; longer is `forever`. */
export const MAX_DURATION_MS = 365 * UNIT_MS.d;
const FOREVER_WORDS = new Set(['forever', 'permanent', '永久']);
const PATTERN = /^(\d{1,6})\s*(m|min|h|d|w)$/i;
/**
 * Meant as a duration but not one: a sign, a fraction, or digits of another script (full-width `１h`, Arabic-Indic
 * `١h`). NFKC folds full-width letters; `\p{Nd}` is any script's digits.
 */
const MISTYPED = /^[-+−]?[\p{Nd}]+([.,]\p{Nd}*)?\s*(m|min|h|d|w)$/iu;
/** The rule a wrong duration is told, naming what is accepted. */
export const DURATION_RULE = 'is not a duration: type a whole number (digits 0-9) and m, h, d or w, like 30m, 2h, 7d, 1w, or forever';

/**
 * Whether a token is meant as a duration (so a command can tell where the accids end). A mistyped one (`-1h`,
 * `1.5h`, `１h`) counts too, so that parseDuration says what is wrong with it instead of taking it for an account.
 */
export function isDurationToken(token: string): boolean {
  return FOREVER_WORDS.has(token.toLowerCase()) || PATTERN.test(token) || looksLikeDuration(token);
}

/** A token shaped like a duration that parseDuration does not accept (`-1h`, `1.5h`, `１h`, `١h`). */
export function looksLikeDuration(token: string): boolean {
  return !PATTERN.test(token) && MISTYPED.test(token.normalize('NFKC'));
}

/** Parses a duration; throws InputError naming the field `duration`, the accepted forms and the limits. */
export function parseDuration(text: string): Duration {
  const trimmed = text.trim();
  if (FOREVER_WORDS.has(trimmed.toLowerCase())) return { forever: true };
  const match = PATTERN.exec(trimmed);
  if (!match) throw new InputError('duration', DURATION_RULE, trimmed);
  const unit = match[2]!.toLowerCase().slice(0, 1) as DurationUnit;
  const amount = Number(match[1]);
  const ms = amount * UNIT_MS[unit];
  if (ms < MIN_DURATION_MS || ms > MAX_DURATION_MS) {
    throw new InputError('duration', 'must be from 1 minute to 365 days (longer: forever)', trimmed);
  }
  return { forever: false, ms, amount, unit };
}

/** The typed form again, e.g. `24h`: what the modal is prefilled with. */
export function durationText(duration: Duration): string {
  return duration.forever ? 'forever' : `${duration.amount}${duration.unit}`;
}

/** The UTC time a person reads, to the minute: "2026-12-01 14:00 UTC". */
export function utcMinute(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
