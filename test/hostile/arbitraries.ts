import fc from 'fast-check';

/**
 * Hostile text for the property tests: Slack's control characters and entities, mrkdwn and link syntax, zero-width and
 * right-to-left characters, surrogate pairs (whole and lone), separators and NUL, mixed with ordinary characters.
 */
export const HOSTILE_UNITS = [
  '<',
  '>',
  '&',
  '&lt;',
  '&gt;',
  '&amp;',
  '<!channel>',
  '<!here>',
  '<@U0ADMIN>',
  '<#C0GENERAL>',
  '<https://evil.example|click>',
  '*',
  '_',
  '~',
  '`',
  '```',
  '>',
  '|',
  '\\',
  '"',
  "'",
  '%',
  '$',
  '{',
  '}',
  '[',
  ']',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2067',
  '\u2069',
  '\u061c',
  '\u200f',
  '\ud83d\ude00',
  '\ud83d',
  '\ude00',
  '\u0000',
  '\u0007',
  '\u2028',
  '\u2029',
  '\u00a0',
  '\u3000',
  ' ',
  '\n',
  '\r',
  '\t',
  ',',
  '，',
  '、',
  'a',
  'Z',
  '0',
  '9',
  '_',
  '@',
  '.',
  '-',
  '名',
  'ي',
  'help',
  '帮助',
  '?',
] as const;

export const hostileString = (maxLength = 80): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...HOSTILE_UNITS), maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
  );

/** Valid NetEase accids. */
export const validAccid = fc.stringMatching(/^[A-Za-z0-9_@.-]{1,32}$/);

/** Keep property runs bounded: two cores, other suites running beside this one. */
export const RUNS = { numRuns: 300 } as const;

/** Anything JSON could carry, and a few things it cannot (bigint, symbol, functions, objects without a prototype). */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 2, withBigInt: true, withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true }),
  fc.constantFrom(Symbol('s'), () => 1, Object.create(null) as unknown, Number.NaN, Number.POSITIVE_INFINITY, -0),
);
