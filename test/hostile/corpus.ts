/**
 * Hostile strings: mrkdwn mentions, links and formatting, entities, zero-width and right-to-left characters, control
 * characters, emoji and lone surrogates. The markers below are what must never reach Slack unescaped in mrkdwn.
 */
export const INJECTION_CORPUS = [
  '<!channel>',
  '<!here|here>',
  '<!everyone>',
  '<!subteam^S0WRITERS|@writers>',
  '<@U0EVIL>',
  '<#C0GENERAL|general>',
  '<https://evil.example/login|Click to verify your account>',
  '<javascript:alert(1)|innocent>',
  '<mailto:x@evil.example|mail me>',
  '*bold* _italic_ ~strike~ `code` ```block```',
  '> quoted\n>>> all quoted',
  '[link](https://evil.example)',
  'https://evil.example/?q=<x>&y=1',
  '&lt;!channel&gt; &amp;lt; &#60;!here&#62;',
  'zero\u200bwidth\u200c\u200d\u2060\ufeff',
  '\u202eevil.exe\u202c',
  'abc\u2067\u05e9\u05dc\u05d5\u05dd\u2069\u202d',
  '\u061c\u0645\u0631\u062d\u0628\u0627 \u200f',
  ':no_entry: :white_check_mark: @here @channel #general',
  'tab\tnew\nline\r\ncarriage\rreturn\u2028\u2029',
  'nul\u0000bell\u0007esc\u001b[31m',
  '😀👩‍👩‍👧 \ud83d lone \ude00',
  '"; DROP TABLE users; --',
  '{"$ne":null}',
  '%s%n%x %00 ../../etc/passwd',
] as const;

/** Substrings that would ping, link or mention if Slack saw them in mrkdwn. */
export const INJECTION_MARKERS = [
  '<!channel',
  '<!here',
  '<!everyone',
  '<!subteam',
  '<@U0EVIL',
  '<#C0GENERAL',
  '<https://evil',
  '<javascript:',
  '<mailto:',
  '&#60;',
] as const;

/** What Slack sends for what a person typed in a slash command: `&`, `<` and `>` as entities. */
export function asSlackSends(typed: string): string {
  return typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function unescapedMarkers(mrkdwnTexts: string[]): string[] {
  const joined = mrkdwnTexts.join('\n');
  return INJECTION_MARKERS.filter((marker) => joined.includes(marker));
}

/** `text` with lone surrogates as U+FFFD, as they arrive after crossing a UTF-8 form body (String#toWellFormed). */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
