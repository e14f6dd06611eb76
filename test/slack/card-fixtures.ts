import type { UserCard, UserLookup } from '../../src/nim/types.js';

export const alice: UserCard = {
  accid: 'alice',
  name: 'Alice',
  icon: 'https://cdn.example/alice.png',
  sign: 'Hello *world*',
  email: 'alice.smith@example.com',
  mobile: '18612344545',
  birth: '1990-12-23',
  ex: JSON.stringify({ level: 3, tags: ['vip'], note: 'x'.repeat(900) }),
  gender: 2,
  valid: true,
  mute: false,
  muteP2P: false,
  muteTeam: true,
  muteRoom: false,
  muteQChat: false,
};

export const hostile: UserCard = {
  accid: 'evil',
  name: '<!channel> <https://evil.example|click> & <@U1>',
  sign: '<!here> sign',
  ex: '<!everyone>',
  email: '<@U2>@x.com',
  valid: false,
  mute: true,
};

/** A card with nothing but the accid, as NetEase returns an account without a card. */
export const bare: UserCard = { accid: 'bare' };

export function cards(n: number, make: (i: number) => Partial<UserCard> = () => ({})): UserCard[] {
  return Array.from({ length: n }, (_, i) => ({ accid: `user${i}`, name: `User number ${i}`, valid: true, ...make(i) }));
}

export function lookup(found: UserCard[], notFound: string[] = []): UserLookup {
  return { found, notFound };
}

export const json = (value: unknown): string => JSON.stringify(value);

type TextObject = { type: string; text: string };

/** Every text object in the blocks, in order. */
export function textObjects(value: unknown): TextObject[] {
  if (Array.isArray(value)) return value.flatMap(textObjects);
  if (!value || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') return [o as TextObject];
  return Object.values(o).flatMap(textObjects);
}

/** What Slack parses for mentions and links: mrkdwn texts and the fallback `text`. */
export function parsedTexts(message: { text: string; blocks: unknown[] }): string {
  return [
    message.text,
    ...textObjects(message.blocks)
      .filter((t) => t.type === 'mrkdwn')
      .map((t) => t.text),
  ].join('\n');
}

/** Every text a person sees, raw, for "contains" checks. */
export function allText(message: { text: string; blocks: unknown[] }): string {
  return [message.text, ...textObjects(message.blocks).map((t) => t.text)].join('\n');
}

/** Mentions, specials and links as Slack's mrkdwn parser would find them. */
export const LIVE_MARKUP = /<[!@#]|<https?:/;
