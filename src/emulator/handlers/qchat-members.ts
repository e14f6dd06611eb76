import { z } from 'zod';
import { accidKey } from '../../nim/accid.js';
import type { Reply } from '../http-io.js';
import { canonicalServerId } from '../server-id.js';
import type { EmulatedServerMember } from '../types.js';
import type { Handler } from './handler.js';
import { accidField, bidField, chars, NimFailure, notFound, parseForm, required } from './form.js';
import { memberJson } from './qchat.js';

const serverIdField = required('serverId').transform((text, ctx) => {
  const serverId = canonicalServerId(text);
  if (serverId === undefined) {
    ctx.issues.push({ code: 'custom', message: 'serverId must be a 64-bit unsigned integer', input: text });
    return z.NEVER;
  }
  return serverId;
});

const memberPageForm = z.object({
  serverId: serverIdField,
  timetag: required('timetag')
    .regex(/^\d{1,16}$/, 'timetag must be epoch milliseconds (0 for the first page)')
    .transform(Number),
  limit: required('limit')
    .regex(/^\d{1,3}$/, 'limit must be from 1 to 200')
    .transform(Number)
    .refine((limit) => limit >= 1 && limit <= 200, 'limit must be from 1 to 200'),
  accid: accidField.optional(),
});

/**
 * qchat/getServerMemberListPage.action, as NetEase documents it: the server's members newest joiner first, `limit` of
 * them (≤ 200) joined before `timetag` (0: from the newest), with `pageInfo` {hasMore, nextTimetag}. With `accid`,
 * NetEase "checks that the account is a member of the server": this emulator answers 404 when it is not, and
 * otherwise the same page as without it — the stricter reading, so that a client must find the member in the page
 * and page on (whether NetEase filters the page to that member is not documented).
 */
export const getServerMemberListPage: Handler = ({ form, store }) => {
  const query = parseForm(memberPageForm, form);
  const server = store.server(query.serverId);
  if (!server) throw notFound('server');
  const current = [...server.members.values()].filter((member) => member.validFlag === 1);
  if (query.accid !== undefined && !current.some((member) => member.accid === accidKey(query.accid!))) {
    throw notFound('server member');
  }
  const newestFirst = current
    .filter((member) => query.timetag === 0 || member.joinTime < query.timetag)
    .sort((a, b) => b.joinTime - a.joinTime || a.accid.localeCompare(b.accid));
  const page = newestFirst.slice(0, query.limit);
  const hasMore = newestFirst.length > page.length;
  const nextTimetag = page.at(-1)?.joinTime ?? 0;
  const members = page.map((member) => memberJson(server.serverId, member)).join(',');
  const text = `{"code":200,"pageInfo":{"hasMore":${hasMore},"nextTimetag":${nextTimetag}},"serverMembers":[${members}]}`;
  return { kind: 'json', status: 200, code: 200, text } satisfies Reply;
};

const updateOtherForm = z.object({
  accid: accidField,
  serverId: serverIdField,
  otherAccid: required('otherAccid').pipe(accidField),
  nick: chars('nick', 64),
  avatar: chars('avatar', 1024),
  bid: bidField,
});

/**
 * qchat/updateOtherServerMember.action: `accid` (the operator) changes `otherAccid`'s nickname or avatar. The operator
 * needs the permission in that server: the emulator grants it to the server's owner only (NetEase's roles are richer)
 * and answers 403 otherwise; an unknown server or a member who is not (or no longer) one is 404.
 */
export const updateOtherServerMember: Handler = ({ form, store, now }) => {
  const changes = parseForm(updateOtherForm, form);
  const server = store.server(changes.serverId);
  if (!server) throw notFound('server');
  const operator = server.members.get(accidKey(changes.accid));
  if (!operator || operator.validFlag !== 1 || operator.type !== 1) throw new NimFailure(403, 'no permission');
  const member = server.members.get(accidKey(changes.otherAccid));
  if (!member || member.validFlag !== 1) throw notFound('server member');
  applyText(member, changes);
  member.updateTime = now();
  return { kind: 'json', status: 200, code: 200, text: `{"code":200,"serverMember":${memberJson(server.serverId, member)}}` };
};

function applyText(member: EmulatedServerMember, changes: { nick?: string | undefined; avatar?: string | undefined }): void {
  if (changes.nick !== undefined) member.nick = changes.nick;
  if (changes.avatar !== undefined) member.avatar = changes.avatar;
}
