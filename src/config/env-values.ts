import { z } from 'zod';

/**
 * The kinds of value a setting can take, each with the plain-words message an operator sees when one is wrong.
 * An empty (or blank) variable counts as unset everywhere: a `FOO=` line in a .env file means "not set".
 */

export const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export const optionalString = z.preprocess(blankAsUnset, z.string().trim().optional());

export const intInRange = (min: number, max: number, fallback: number) =>
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
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
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

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** A string matching `pattern`, or unset. */
export const optionalMatching = (pattern: RegExp, what: string) => z.preprocess(blankAsUnset, z.string().regex(pattern, what).optional());

/** Ids separated by commas or spaces, each matching `pattern`; unset is the empty list. */
export const idList = (pattern: RegExp, what: string) =>
  z.preprocess(
    blankAsUnset,
    z
      .string()
      .optional()
      .transform((text) => (text ?? '').split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(z.string().regex(pattern, `must be ${what} separated by commas`))),
  );
