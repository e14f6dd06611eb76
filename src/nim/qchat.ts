import { z } from 'zod';
import type { NimCaller } from './call.js';
import { InputError } from '../errors.js';
import { NimTransportError } from './errors.js';
import { getServerMember, memberChangesInPlace } from './qchat-members.js';
import { parseJsonKeepingLongs } from './response.js';
import { type ServerMember, serverMemberSchema, type ServerMemberUpdate } from './types.js';
import { accidProblems, serverMemberProblems } from './validate.js';

export const UPDATE_SERVER_MEMBER = 'qchat/updateServerMember.action';
export const UPDATE_OTHER_SERVER_MEMBER = 'qchat/updateOtherServerMember.action';

const memberAnswer = z.object({ serverMember: serverMemberSchema.optional() });

/** The card NetEase stored; `confirmedByReadBack` when the answer was unclear and reading back showed the change. */
export type ServerMemberResult = ServerMember & { confirmedByReadBack?: true };

export type ServerMemberWriteOptions = {
  correlationId?: string;
  /**
   * QCHAT_OPERATOR_ACCID: change the card through qchat/updateOtherServerMember.action as this operator, so the
   * server's own permissions apply (the operator needs the right to manage members there). Without it,
   * qchat/updateServerMember.action edits the card as the member itself, which the server API always allows.
   */
  operatorAccid?: string;
};

/**
 * Changes a member's card in one QChat server and returns the card NetEase stored. Checked before any network call
 * (the first problem is thrown). An ambiguous outcome is settled by reading the member back
 * (qchat/getServerMemberListPage.action): confirmed in place, not in place, or unknown when it cannot be read.
 * Through the operator endpoint only `nick` and `avatar` can change (NetEase's parameters).
 */
export async function updateServerMember(
  caller: NimCaller,
  update: ServerMemberUpdate,
  options: ServerMemberWriteOptions = {},
): Promise<ServerMemberResult> {
  const { operatorAccid } = options;
  const [problem] = [
    ...serverMemberProblems(update),
    ...(operatorAccid === undefined ? [] : accidProblems('operatorAccid', operatorAccid)),
    ...(operatorAccid !== undefined && update.custom !== undefined
      ? [new InputError('custom', 'cannot be changed by an operator (QCHAT_OPERATOR_ACCID): leave it empty', update.custom)]
      : []),
  ];
  if (problem) throw problem;
  const endpoint = operatorAccid === undefined ? UPDATE_SERVER_MEMBER : UPDATE_OTHER_SERVER_MEMBER;
  const form: Record<string, string> =
    operatorAccid === undefined
      ? { accid: update.accid, serverId: update.serverId }
      : { accid: operatorAccid, serverId: update.serverId, otherAccid: update.accid };
  for (const field of ['nick', 'avatar', 'custom'] as const) {
    const value = update[field];
    if (value !== undefined) form[field] = value;
  }
  const call = options.correlationId === undefined ? {} : { correlationId: options.correlationId };
  const readBack = async (): Promise<ServerMember | undefined> => {
    const read = await getServerMember(caller, { serverId: update.serverId, accid: update.accid }, call);
    return read.kind === 'member' ? read.member : undefined;
  };
  let confirmed: ServerMember | undefined;
  const result = await caller.write(endpoint, form, {
    ...call,
    verify: async () => {
      confirmed = await readBack();
      return confirmed !== undefined && memberChangesInPlace(confirmed, update);
    },
  });
  if (!('ok' in result)) return { ...confirmed!, confirmedByReadBack: true };
  // Parse the raw text again: a 64-bit serverId above 2^53 must not be rounded.
  const parsed = memberAnswer.safeParse(parseJsonKeepingLongs(result.ok.text, ['serverId']));
  if (!parsed.success) throw new NimTransportError(endpoint, 'malformed_response', undefined, { cause: parsed.error });
  if (parsed.data.serverMember) return parsed.data.serverMember;
  // Applied (code 200) but the card is not in the answer: read it, or at least show what was set.
  const member = await readBack().catch(() => undefined);
  return member ?? { serverId: update.serverId, accid: update.accid, ...withoutServerFields(update) };
}

function withoutServerFields(update: ServerMemberUpdate): Pick<ServerMember, 'nick' | 'avatar' | 'custom'> {
  const { nick, avatar, custom } = update;
  return {
    ...(nick === undefined ? {} : { nick }),
    ...(avatar === undefined ? {} : { avatar }),
    ...(custom === undefined ? {} : { custom }),
  };
}
