import { z } from 'zod';
import { accidKey } from './accid.js';
import type { NimCaller } from './call.js';
import { NimApiError, NimTransportError } from './errors.js';
import { parseJsonKeepingLongs } from './response.js';
import { type ServerMember, serverMemberSchema } from './types.js';
import { accidProblems, serverIdProblems } from './validate.js';

export const GET_SERVER_MEMBER_LIST_PAGE = 'qchat/getServerMemberListPage.action';

/** Pages of 200 read after the first before giving up on finding a member (1,001 newest members in all). */
const MAX_EXTRA_PAGES = 5;

const memberPageAnswer = z.object({
  pageInfo: z.object({ hasMore: z.boolean().optional(), nextTimetag: z.union([z.string(), z.number()]).optional() }).optional(),
  serverMembers: z.array(serverMemberSchema).default([]),
});

/** What reading one member of a QChat server found. */
export type MemberRead =
  | { kind: 'member'; member: ServerMember }
  /** NetEase says the account is not (or no longer) a member of the server. */
  | { kind: 'not_member' }
  /** Not among the newest `scanned` members, and more exist: neither found nor ruled out. */
  | { kind: 'not_reached'; scanned: number };

/**
 * One member's card in one QChat server, from qchat/getServerMemberListPage.action with `serverId`, `accid` (NetEase
 * checks that it is a member: 404 when not — assumed), `timetag=0` and `limit=1`. NetEase does not document whether
 * `accid` also narrows the page to that member, so the answer is searched for the accid; if it is not on the first
 * page, later pages of 200 are read (by `nextTimetag`), at most MAX_EXTRA_PAGES, and then 'not_reached' is honest.
 * A read: retried on transient failures like every read.
 */
export async function getServerMember(
  caller: NimCaller,
  query: { serverId: string; accid: string },
  options: { correlationId?: string } = {},
): Promise<MemberRead> {
  const [problem] = [...serverIdProblems(query.serverId), ...accidProblems('accid', query.accid)];
  if (problem) throw problem;
  const wanted = accidKey(query.accid);
  let timetag = '0';
  let scanned = 0;
  for (let page = 0; page <= MAX_EXTRA_PAGES; page++) {
    const form = { serverId: query.serverId, accid: query.accid, timetag, limit: page === 0 ? '1' : '200' };
    let answer: z.infer<typeof memberPageAnswer>;
    try {
      answer = await readPage(caller, form, options);
    } catch (error) {
      if (error instanceof NimApiError && error.nimCode === 404 && /member/i.test(error.desc)) return { kind: 'not_member' };
      throw error;
    }
    const member = answer.serverMembers.find((one) => accidKey(one.accid) === wanted);
    if (member) return member.validFlag === 0 ? { kind: 'not_member' } : { kind: 'member', member };
    scanned += answer.serverMembers.length;
    const next = answer.pageInfo?.nextTimetag;
    if (!answer.pageInfo?.hasMore || next === undefined || String(next) === timetag) return { kind: 'not_member' };
    timetag = String(next);
  }
  return { kind: 'not_reached', scanned };
}

async function readPage(caller: NimCaller, form: Record<string, string>, options: { correlationId?: string }) {
  const { text } = await caller.read(GET_SERVER_MEMBER_LIST_PAGE, form, options);
  // 64-bit ids and times as exact strings; serverMemberSchema turns serverId into a string either way.
  const parsed = memberPageAnswer.safeParse(parseJsonKeepingLongs(text, ['serverId', 'nextTimetag']));
  if (!parsed.success) {
    throw new NimTransportError(GET_SERVER_MEMBER_LIST_PAGE, 'malformed_response', undefined, { cause: parsed.error });
  }
  return parsed.data;
}

/** Whether a member read back shows every requested text field ('' clears: absent or empty both count). */
export function memberChangesInPlace(member: ServerMember, update: { nick?: string; avatar?: string; custom?: string }): boolean {
  return (['nick', 'avatar', 'custom'] as const).every((field) => {
    const wanted = update[field];
    if (wanted === undefined) return true;
    return wanted === '' ? !member[field] : member[field] === wanted;
  });
}
