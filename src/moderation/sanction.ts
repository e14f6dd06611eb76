import { z } from 'zod';
import { accidKey, accidProblem } from '../nim/accid.js';
import { InputError } from '../errors.js';
import { KICK_NOTIFY_EXT_MAX } from '../nim/moderation-validate.js';
import { type MuteModule, muteModules } from '../nim/types.js';
import { DURATION_RULE, type Duration, looksLikeDuration, MAX_DURATION_MS, MIN_DURATION_MS } from './duration.js';

/**
 * A moderation action as a person asked for it, before anything is sent: what (mute, unmute, block, unblock), to
 * whom (up to 50 accounts), where (mutes: everywhere or some modules), for how long, and why. Slack-free: the Slack
 * forms and commands build one, sanctionProblems() checks it, execute.ts carries it out.
 */
export type SanctionKind = 'mute' | 'unmute' | 'block' | 'unblock';
export const sanctionKinds = ['mute', 'unmute', 'block', 'unblock'] as const satisfies readonly SanctionKind[];

/** `everywhere` is NetEase's global mute (user/mute.action); otherwise the module flags (user/muteModule.action). */
export type MuteScope = 'everywhere' | readonly MuteModule[];

export type Sanction = {
  kind: SanctionKind;
  /** As typed, de-duplicated case-insensitively. */
  accids: string[];
  /** Required for mute and block; optional for unmute and unblock ('' when none). */
  reason: string;
  /** Mutes only. */
  scope?: MuteScope;
  /** Mutes only. */
  duration?: Duration;
  /** Blocks only: log the account out of every device. */
  needkick?: boolean;
  /** Blocks only: the message delivered to the kicked devices ('' or absent: none). */
  kickNotifyExt?: string;
};

/** At most this many accounts per action (a spam wave; NetEase has no batch endpoint, so each is one call). */
export const MAX_ACCOUNTS = 50;
/** IM_BULK_MAX when unset: accounts per action, beyond MAX_ACCOUNTS run as a batch in the background. */
export const DEFAULT_BULK_MAX = 1000;
/** A reason is a note for the audit trail, not an essay; this also keeps a confirmation within Slack's limits. */
export const REASON_MAX = 500;

/**
 * Spaces of every script and the characters that draw nothing (soft hyphen, zero-width space and joiners, direction
 * marks, word joiner, BOM): a reason made only of these says nothing, so it is no reason.
 */
const BLANK_EDGES = /^[\s\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]+|[\s\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]+$/gu;

/** The reason as recorded: without the spaces and invisible characters around it ('' when nothing is left). */
export function cleanReason(reason: string): string {
  return reason.replace(BLANK_EDGES, '');
}

/** The rule told when a message to the devices is given but the devices are not to be logged out. */
export const KICK_MESSAGE_NEEDS_LOGOUT = 'is delivered only to devices being logged out: tick "log out of every device", or leave it empty';

/** Every problem with a sanction, each naming its field and limit; [] when it may be confirmed. */
export function sanctionProblems(sanction: Sanction, maxAccounts = MAX_ACCOUNTS): InputError[] {
  const problems: InputError[] = [];
  if (sanction.accids.length === 0) problems.push(new InputError('accids', 'name at least one account'));
  if (sanction.accids.length > maxAccounts) {
    problems.push(new InputError('accids', `at most ${maxAccounts} accounts at once (this is ${sanction.accids.length})`));
  }
  for (const accid of sanction.accids) {
    // `-1h` is a valid account id, but the person meant a duration: say so rather than look for the account.
    const problem = looksLikeDuration(accid) ? DURATION_RULE : accidProblem(accid);
    if (problem) problems.push(new InputError('accids', problem, accid));
  }
  const reason = cleanReason(sanction.reason);
  if ((sanction.kind === 'mute' || sanction.kind === 'block') && reason === '') {
    problems.push(new InputError('reason', 'is required: say why, for the audit trail'));
  }
  if (reason.length > REASON_MAX)
    problems.push(new InputError('reason', `at most ${REASON_MAX} characters (this is ${reason.length})`, reason));
  if (sanction.kind === 'mute') {
    if (sanction.scope === undefined || (sanction.scope !== 'everywhere' && sanction.scope.length === 0)) {
      problems.push(new InputError('scope', 'choose everywhere, or at least one of one-to-one, teams, chat rooms, QChat'));
    }
    if (sanction.duration === undefined) problems.push(new InputError('duration', DURATION_RULE));
  }
  const ext = sanction.kickNotifyExt ?? '';
  // NetEase delivers the message only with the logout: accepting it with devices left logged in would drop it silently,
  // and logging them out unasked does more than the person chose. So it is refused, saying what to do.
  if (ext !== '' && sanction.kind === 'block' && sanction.needkick !== true) {
    problems.push(new InputError('kickNotifyExt', KICK_MESSAGE_NEEDS_LOGOUT, ext));
  }
  if (ext.length > KICK_NOTIFY_EXT_MAX) {
    problems.push(new InputError('kickNotifyExt', `at most ${KICK_NOTIFY_EXT_MAX} characters (this is ${ext.length})`, ext));
  }
  return problems;
}

/** Accids split from typed text (spaces, commas, new lines), de-duplicated case-insensitively, first spelling kept. */
export function splitAccids(text: string): string[] {
  const seen = new Set<string>();
  const accids: string[] = [];
  for (const token of text.split(/[\s,，、]+/u)) {
    if (token === '' || seen.has(accidKey(token))) continue;
    seen.add(accidKey(token));
    accids.push(token);
  }
  return accids;
}

/** The module flags a mute scope sets (empty for everywhere, which is the global flag). */
export function scopeModules(scope: MuteScope): readonly MuteModule[] {
  return scope === 'everywhere' ? [] : muteModules.filter((module) => scope.includes(module));
}

/** Whether the action is one IM_PROTECTED_ACCIDS forbids (lifting a sanction from a protected account is fine). */
export function isRestrictive(kind: SanctionKind): boolean {
  return kind === 'mute' || kind === 'block';
}

const accidText = z.string().min(1).max(32);
const durationSchema = z.union([
  z.object({ forever: z.literal(true) }),
  z.object({
    forever: z.literal(false),
    ms: z.number().int().min(MIN_DURATION_MS).max(MAX_DURATION_MS),
    amount: z.number().int().positive(),
    unit: z.enum(['m', 'h', 'd', 'w']),
  }),
]);

/** A sanction as it travels in a sealed confirmation (checked again when it comes back, and by sanctionProblems). */
export const sanctionSchema = z.object({
  kind: z.enum(sanctionKinds),
  accids: z.array(accidText).min(1).max(MAX_ACCOUNTS),
  reason: z.string().max(REASON_MAX),
  scope: z.union([z.literal('everywhere'), z.array(z.enum(muteModules)).min(1).max(4).readonly()]).optional(),
  duration: durationSchema.optional(),
  needkick: z.boolean().optional(),
  kickNotifyExt: z.string().max(KICK_NOTIFY_EXT_MAX).optional(),
});
