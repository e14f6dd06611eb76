import { z } from 'zod';
import type { NimCaller } from './call.js';
import { NimTransportError } from './errors.js';
import { mergeLookup, planLookup } from './lookup-plan.js';
import { type UserCard, type UserCardChanges, type UserLookup, userCardSchema, type WriteResult } from './types.js';
import { updateUinfoProblems } from './validate.js';

export const GET_UINFOS = 'user/getUinfos.action';
export const UPDATE_UINFO = 'user/updateUinfo.action';

const getUinfosAnswer = z.object({ uinfos: z.array(userCardSchema) });

export type GetUinfosOptions = { muteStatus?: boolean; correlationId?: string };

/** user/getUinfos.action for any number of accids: chunks of 200 run concurrently under the shared budget. */
export async function getUinfos(caller: NimCaller, accids: readonly string[], options: GetUinfosOptions = {}): Promise<UserLookup> {
  const { unique, chunks } = planLookup(accids);
  const call = options.correlationId === undefined ? {} : { correlationId: options.correlationId };
  // When one chunk fails the lookup has failed: chunks still waiting for the budget are not sent.
  const siblingFailed = new AbortController();
  const answers = await Promise.all(
    chunks.map(async (chunk) => {
      const form: Record<string, string> = { accids: JSON.stringify(chunk) };
      if (options.muteStatus) form.muteStatus = 'true';
      try {
        const { body } = await caller.read(GET_UINFOS, form, { ...call, signal: siblingFailed.signal });
        const parsed = getUinfosAnswer.safeParse(body);
        if (!parsed.success) throw new NimTransportError(GET_UINFOS, 'malformed_response', undefined, { cause: parsed.error });
        return parsed.data.uinfos;
      } catch (error) {
        siblingFailed.abort(error);
        throw error;
      }
    }),
  );
  return mergeLookup(unique, answers.flat());
}

/** user/updateUinfo.action. Every field is checked before any network call; the first problem is thrown. */
export async function updateUinfo(
  caller: NimCaller,
  accid: string,
  changes: UserCardChanges,
  options: { correlationId?: string } = {},
): Promise<WriteResult> {
  const [problem] = updateUinfoProblems(accid, changes);
  if (problem) throw problem;
  const form: Record<string, string> = { accid };
  for (const [field, value] of Object.entries(changes)) {
    if (value !== undefined) form[field] = String(value);
  }
  const call = options.correlationId === undefined ? {} : { correlationId: options.correlationId };
  const result = await caller.write(UPDATE_UINFO, form, {
    ...call,
    verify: async () => {
      const { found } = await getUinfos(caller, [accid], call);
      return found[0] !== undefined && changesInPlace(found[0], changes);
    },
  });
  return { confirmedByReadBack: 'confirmedByReadBack' in result };
}

/** Whether a card read back shows every requested change ('' clears: absent or empty both count). */
export function changesInPlace(card: UserCard, changes: UserCardChanges): boolean {
  return Object.entries(changes).every(([field, wanted]) => {
    if (wanted === undefined) return true;
    const actual = (card as Record<string, unknown>)[field];
    if (field === 'gender') return (actual ?? 0) === wanted;
    return wanted === '' ? actual === undefined || actual === '' : actual === wanted;
  });
}
