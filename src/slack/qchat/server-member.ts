import type { KnownBlock, SectionBlock } from '@slack/types';
import type { ServerMember } from '../../nim/types.js';
import type { Locale, Messages } from '../i18n/catalog.js';
import { messages } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';
import { escapeMrkdwn } from '../ui/mrkdwn.js';
import { avatarImage, codeOrAbsent } from '../ui/fields.js';
import { clip, code, context, header, labelled, limits, mrkdwn, plain } from '../ui/text.js';

const CUSTOM_PREVIEW = 200;

export type ServerMemberInput = {
  member: ServerMember;
  locale: Locale;
  /** Say that NetEase saved the card (the `/qchat-nick` result). @default true */
  saved?: boolean;
  /** The card read before the change, and what was set: each set field is shown before → after. */
  change?: { before: ServerMember | undefined; set: Partial<Pick<ServerMember, 'nick' | 'avatar' | 'custom'>> };
  /** NetEase's answer was unclear and reading the member back showed the change in place. */
  confirmedByReadBack?: boolean;
  /** Set false to send again without the avatar after Slack failed to fetch it. @default true */
  withImages?: boolean;
};

/** A QChat member card as NetEase returned it: nickname, avatar, owner or member, when joined, still a member. */
export function renderServerMember(input: ServerMemberInput): SlackMessage {
  const m = messages(input.locale);
  const { member } = input;
  const nick = member.nick?.trim() ? member.nick.trim() : member.accid;
  const pairs: [string, string][] = [
    [m.fields.serverId, code(member.serverId, 40)],
    [m.fields.accid, code(member.accid, 64)],
    [m.fields.nick, codeOrAbsent(m, member.nick)],
    [m.fields.role, roleText(m, member.type)],
    [m.fields.joined, member.joinTime === undefined ? m.common.absent : slackDate(member.joinTime)],
    [m.fields.membership, membershipText(m, member.validFlag)],
  ];
  if (member.inviter?.trim()) pairs.push([m.fields.inviter, code(member.inviter, 64)]);
  const fields: SectionBlock = {
    type: 'section',
    fields: pairs.map(([label, value]) => mrkdwn(labelled(label, value), limits.field)),
  };
  const image = input.withImages === false ? undefined : avatarImage(m, member.avatar, nick);
  if (image) fields.accessory = image;

  const blocks: KnownBlock[] = [header(nick)];
  blocks.push(context(input.saved === false ? m.serverMember.current : m.serverMember.saved));
  if (input.change) blocks.push(memberChangeSection(m, input.change));
  blocks.push(fields);
  if (input.confirmedByReadBack) blocks.push(context(m.updateResult.confirmedByReadBack));
  if (member.custom?.trim()) {
    const custom = clip(member.custom.trim().replace(/\s+/g, ' '), CUSTOM_PREVIEW);
    blocks.push({ type: 'section', text: plain(m.common.inline(m.fields.custom, custom)) });
  }
  return { text: escapeMrkdwn(clip(m.serverMember.fallback(nick, member.serverId), 1000)), blocks };
}

const MEMBER_FIELDS = ['nick', 'avatar', 'custom'] as const;
const CHANGE_VALUE_MAX = 300;

/** Each field that was set, before → after; `(not read)` when the card could not be read first. */
export function memberChangeSection(m: Messages, change: NonNullable<ServerMemberInput['change']>): SectionBlock {
  const show = (value: string | undefined, known: boolean): string => {
    if (!known) return m.audit.notRead;
    if (value === undefined) return m.common.absent;
    return value === '' ? m.values.empty : code(value, CHANGE_VALUE_MAX);
  };
  const lines = MEMBER_FIELDS.filter((field) => change.set[field] !== undefined).map((field) => {
    const label = field === 'nick' ? m.fields.nick : field === 'avatar' ? m.fields.avatar : m.fields.custom;
    return `*${label}*: ${show(change.before?.[field], change.before !== undefined)} → ${show(change.set[field], true)}`;
  });
  return { type: 'section', text: mrkdwn(clip([m.serverMember.changes, ...lines].join('\n'), limits.sectionText)) };
}

function roleText(m: Messages, type: number | undefined): string {
  if (type === 1) return `:crown: ${m.serverMember.owner}`;
  if (type === 0) return m.serverMember.member;
  return m.values.unknown;
}

function membershipText(m: Messages, validFlag: number | undefined): string {
  if (validFlag === 1) return m.serverMember.stillMember;
  if (validFlag === 0) return `:x: ${m.serverMember.noLongerMember}`;
  return m.values.unknown;
}

/**
 * Slack's date token: each viewer sees the date in their own time zone and language; the fallback after `|` is the
 * UTC date for clients that cannot render it.
 */
export function slackDate(epochMs: number): string {
  if (!Number.isFinite(epochMs) || epochMs <= 0 || epochMs > 8.64e15) return '—';
  const seconds = Math.floor(epochMs / 1000);
  const fallback = new Date(seconds * 1000).toISOString().slice(0, 10);
  return `<!date^${seconds}^{date_short_pretty}|${fallback}>`;
}
