import { z } from 'zod';
import type { NimCaller } from './call.js';
import { NimTransportError } from './errors.js';
import { parseJsonKeepingLongs } from './response.js';
import { type ServerMember, serverMemberSchema, type ServerMemberUpdate } from './types.js';
import { serverMemberProblems } from './validate.js';

export const UPDATE_SERVER_MEMBER = 'qchat/updateServerMember.action';

const updateServerMemberAnswer = z.object({ serverMember: serverMemberSchema });

/**
 * qchat/updateServerMember.action: the member (`accid`, acting on itself) changes its card in one QChat server.
 * Checked before any network call; the first problem is thrown.
 *
 * An ambiguous outcome is reported as NimWriteUnconfirmedError with inPlace 'unknown': no endpoint in scope reads a
 * single member back (getServerMemberListPage pages through the whole server), so the client cannot verify it.
 */
export async function updateServerMember(
  caller: NimCaller,
  update: ServerMemberUpdate,
  options: { correlationId?: string } = {},
): Promise<ServerMember> {
  const [problem] = serverMemberProblems(update);
  if (problem) throw problem;
  const form: Record<string, string> = { accid: update.accid, serverId: update.serverId };
  for (const field of ['nick', 'avatar', 'custom'] as const) {
    const value = update[field];
    if (value !== undefined) form[field] = value;
  }
  const result = await caller.write(UPDATE_SERVER_MEMBER, form, {
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
  });
  if (!('ok' in result)) throw new Error('unreachable: a write without verify is never confirmed by read-back');
  // Parse the raw text again: a 64-bit serverId above 2^53 must not be rounded.
  const parsed = updateServerMemberAnswer.safeParse(parseJsonKeepingLongs(result.ok.text, ['serverId']));
  if (!parsed.success) {
    throw new NimTransportError(UPDATE_SERVER_MEMBER, 'malformed_response', undefined, { cause: parsed.error });
  }
  return parsed.data.serverMember;
}
