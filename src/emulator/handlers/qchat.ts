import { z } from 'zod';
import { accidKey } from '../../nim/accid.js';
import type { Reply } from '../http-io.js';
import { canonicalServerId } from '../server-id.js';
import type { EmulatedServerMember } from '../types.js';
import type { Handler } from './handler.js';
import { accidField, bidField, chars, notFound, parseForm, required } from './form.js';

const updateServerMemberForm = z.object({
  accid: accidField,
  serverId: required('serverId').transform((text, ctx) => {
    const serverId = canonicalServerId(text);
    if (serverId === undefined) {
      ctx.issues.push({ code: 'custom', message: 'serverId must be a 64-bit unsigned integer', input: text });
      return z.NEVER;
    }
    return serverId;
  }),
  nick: chars('nick', 64),
  avatar: chars('avatar', 1024),
  custom: chars('custom', 1024),
  bid: bidField,
});

const MEMBER_TEXT_FIELDS = ['nick', 'avatar', 'custom'] as const;

/**
 * The member changes its own card in one server. An unknown server, or an accid that is not (or no longer) a member,
 * is 404. Absent keeps a field; an empty string is stored as given (QChat keeps empty strings).
 */
export const updateServerMember: Handler = ({ form, store, now }) => {
  const changes = parseForm(updateServerMemberForm, form);
  const server = store.server(changes.serverId);
  if (!server) throw notFound('server');
  const member = server.members.get(accidKey(changes.accid));
  if (!member || member.validFlag !== 1) throw notFound('server member');
  for (const field of MEMBER_TEXT_FIELDS) {
    const value = changes[field];
    if (value !== undefined) member[field] = value;
  }
  member.updateTime = now();
  return serverMemberReply(server.serverId, member);
};

/**
 * NetEase writes serverId as a JSON number (a Java Long). Ids above 2^53 cannot pass through a JS number exactly, so
 * that part of the JSON text is written by hand from the decimal digits.
 */
export function serverMemberReply(serverId: string, member: EmulatedServerMember): Reply {
  return { kind: 'json', status: 200, code: 200, text: `{"code":200,"serverMember":${memberJson(serverId, member)}}` };
}

/** One member as NetEase writes it, serverId as a bare JSON number. */
export function memberJson(serverId: string, member: EmulatedServerMember): string {
  const { accid, nick, avatar, custom, type, joinTime, inviter, validFlag, createTime, updateTime } = member;
  const rest = JSON.stringify({ accid, nick, avatar, custom, type, joinTime, inviter, validFlag, createTime, updateTime });
  return `{"serverId":${serverId},${rest.slice(1)}`;
}
