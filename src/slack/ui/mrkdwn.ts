/**
 * Slack mrkdwn treats `&`, `<` and `>` as control characters: `<!channel>`, `<@U123>` and `<https://x|label>` are
 * mentions and links. Anything that comes from NetEase or from a person goes through here before it is put into
 * mrkdwn, so a nickname like `<!channel>` shows as text and pings nobody. Slack asks for exactly these three
 * entities and no others (an escaped `*` would show as `&ast;`).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack sends slash-command text with `&`, `<` and `>` already escaped; this undoes exactly that, so what we parse
 * (and later show, escaped again) is what the person typed.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
