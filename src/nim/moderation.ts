import { z } from 'zod';
import type { NimCaller, Ok } from './call.js';
import { NimAccountNotFoundError, NimApiError } from './errors.js';
import { moderationProblems } from './moderation-validate.js';
import { type ModuleMutes, type MuteModule, muteModules, type UserCard, type WriteResult } from './types.js';
import { getUinfos } from './users.js';

/**
 * The moderation endpoint family: global mute, module mutes, block and unblock (nim-api.md, "Beyond the seeds").
 * Every limit is checked before any call; each write is sent once under the shared budget, and an ambiguous outcome
 * is settled by reading the card back with muteStatus=true (every mute flag and `valid`), never by sending again.
 */

export const MUTE = 'user/mute.action';
export const MUTE_MODULE = 'user/muteModule.action';
export const BLOCK = 'user/block.action';
export const UNBLOCK = 'user/unblock.action';

export type BlockOptions = {
  /** Log the account out of every device. NetEase's default is false: a logged-in account stays logged in. */
  needkick?: boolean;
  /** Delivered to the kicked devices; at most 256 characters. */
  kickNotifyExt?: string;
};

export type ModuleMuteResult = WriteResult & {
  /**
   * The four flags as NetEase now reports them: its answer's `data`, or the card read back. A flag NetEase did not
   * report is absent (an answer without `data` reports only what was asked).
   */
  modules: Partial<Record<MuteModule, boolean>>;
};

type CallOptions = { correlationId?: string };

const moduleFlags = z.object({
  muteP2P: z.boolean().optional(),
  muteTeam: z.boolean().optional(),
  muteRoom: z.boolean().optional(),
  muteQChat: z.boolean().optional(),
});
const muteModuleAnswer = z.object({ data: moduleFlags.optional() });

/** user/mute.action: mutes (or unmutes) `accid` everywhere. */
export async function setGlobalMute(caller: NimCaller, accid: string, mute: boolean, options: CallOptions = {}): Promise<WriteResult> {
  throwFirst(moderationProblems({ accid }));
  const result = await write(caller, MUTE, accid, { accid, mute: String(mute) }, options, (card) => (card.mute ?? false) === mute);
  return { confirmedByReadBack: !('ok' in result) };
}

/** user/muteModule.action: sets the named module flags; answers all four as NetEase now has them. */
export async function setModuleMutes(
  caller: NimCaller,
  accid: string,
  modules: ModuleMutes,
  options: CallOptions = {},
): Promise<ModuleMuteResult> {
  throwFirst(moderationProblems({ accid, modules }));
  const form: Record<string, string> = { accid };
  for (const module of muteModules) if (modules[module] !== undefined) form[module] = String(modules[module]);
  let readBack: UserCard | undefined;
  const result = await write(caller, MUTE_MODULE, accid, form, options, (card) => {
    readBack = card;
    return muteModules.every((module) => modules[module] === undefined || (card[module] ?? false) === modules[module]);
  });
  if ('ok' in result) return { confirmedByReadBack: false, modules: answeredModules(result.ok, modules) };
  return { confirmedByReadBack: true, modules: flagsOf(readBack ?? { accid }) };
}

/** user/block.action: disables `accid` (getUinfos then shows `valid: false`). */
export async function blockAccount(
  caller: NimCaller,
  accid: string,
  block: BlockOptions = {},
  options: CallOptions = {},
): Promise<WriteResult> {
  throwFirst(moderationProblems({ accid, ...(block.kickNotifyExt === undefined ? {} : { kickNotifyExt: block.kickNotifyExt }) }));
  const form: Record<string, string> = { accid, needkick: String(block.needkick ?? false) };
  if (block.kickNotifyExt) form.kickNotifyExt = block.kickNotifyExt;
  const result = await write(caller, BLOCK, accid, form, options, (card) => card.valid === false);
  return { confirmedByReadBack: !('ok' in result) };
}

/** user/unblock.action: enables `accid` again. */
export async function unblockAccount(caller: NimCaller, accid: string, options: CallOptions = {}): Promise<WriteResult> {
  throwFirst(moderationProblems({ accid }));
  const result = await write(caller, UNBLOCK, accid, { accid }, options, (card) => card.valid !== false);
  return { confirmedByReadBack: !('ok' in result) };
}

/** One write, its ambiguous outcome settled by reading the card back; an unknown account becomes NimAccountNotFoundError. */
async function write(
  caller: NimCaller,
  endpoint: string,
  accid: string,
  form: Record<string, string>,
  options: CallOptions,
  inPlace: (card: UserCard) => boolean,
): Promise<{ ok: Ok } | { confirmedByReadBack: true }> {
  const call = options.correlationId === undefined ? {} : { correlationId: options.correlationId };
  try {
    return await caller.write(endpoint, form, {
      ...call,
      verify: async () => {
        const card = (await getUinfos(caller, [accid], { ...call, muteStatus: true })).found[0];
        return card !== undefined && inPlace(card);
      },
    });
  } catch (error) {
    if (error instanceof NimApiError && isUnknownAccount(error)) {
      throw new NimAccountNotFoundError(endpoint, error.nimCode, error.desc, accid, { cause: error });
    }
    throw error;
  }
}

/** 414 `<accid> is not registered` (NetEase's wording for block.action), or 404. */
function isUnknownAccount(error: NimApiError): boolean {
  return error.nimCode === 404 || (error.nimCode === 414 && /is not registered/i.test(error.desc));
}

/** The flags in the answer's `data`; without `data`, what was asked (NetEase applied it: it answered 200). */
function answeredModules(ok: Ok, asked: ModuleMutes): Partial<Record<MuteModule, boolean>> {
  const parsed = muteModuleAnswer.safeParse(ok.body);
  const data = parsed.success ? parsed.data.data : undefined;
  return data ? { ...asked, ...data } : { ...asked };
}

function flagsOf(card: UserCard): Partial<Record<MuteModule, boolean>> {
  const flags: Partial<Record<MuteModule, boolean>> = {};
  for (const module of muteModules) if (card[module] !== undefined) flags[module] = card[module];
  return flags;
}

function throwFirst(problems: readonly Error[]): void {
  if (problems[0]) throw problems[0];
}
