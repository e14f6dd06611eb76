import { auditedWrite, AuditWriteError, type AuditTrail, type FieldChange, type SanctionDetails } from '../audit/index.js';
import { accidKey } from '../nim/accid.js';
import {
  NimAccountNotFoundError,
  NimApiError,
  NimAuthError,
  NimRateLimitedError,
  NimWriteUnconfirmedError,
} from '../nim/errors.js';
import type { BlockOptions, ModuleMuteResult } from '../nim/moderation.js';
import { type ModuleMutes, type MuteModule, muteModules, type UserCard, type UserLookup, type WriteResult } from '../nim/types.js';
import { type Sanction, scopeModules } from './sanction.js';

/** The part of the NetEase client moderation uses. */
export type ModerationNim = {
  getUinfos(accids: readonly string[], options?: { muteStatus?: boolean; correlationId?: string }): Promise<UserLookup>;
  setGlobalMute(accid: string, mute: boolean, options?: { correlationId?: string }): Promise<WriteResult>;
  setModuleMutes(accid: string, modules: ModuleMutes, options?: { correlationId?: string }): Promise<ModuleMuteResult>;
  blockAccount(accid: string, block?: BlockOptions, options?: { correlationId?: string }): Promise<WriteResult>;
  unblockAccount(accid: string, options?: { correlationId?: string }): Promise<WriteResult>;
};

/** How one account's action ended. */
export type AccountResult =
  | { status: 'done'; confirmedByReadBack: boolean }
  | { status: 'already' }
  | { status: 'not_found' }
  /** NetEase refused (its code), or nothing was sent (rate limited, audit store down): not applied. */
  | { status: 'failed'; nimCode?: number; errorCode: string; retryAfterMs?: number }
  /** It may or may not have been applied, and reading back could not tell. */
  | { status: 'unknown' };

/** What happened to one account. `card` is its state as NetEase reported it afterwards (absent if it could not be read). */
export type AccountOutcome = { accid: string; card?: UserCard; auditId?: string } & AccountResult;

export type ModerationRun = {
  trail: AuditTrail;
  nim: ModerationNim;
  /** The Slack person who confirmed it. */
  actor: string;
  /** How they asked, for the audit trail. */
  command: string;
  /** The confirmation's correlation id; account n's audit entry is `<id>.<n>`. */
  correlationId: string;
  now: () => number;
  /** Called after each account is settled (for progress). */
  onProgress?: (settled: number, total: number) => void;
  /** Accounts worked on at once; the client's budget paces the calls whatever this is. @default 8 */
  concurrency?: number;
};

export type ModerationReport = { outcomes: AccountOutcome[]; liftAt?: number };

/**
 * Carries a confirmed sanction out: reads every account first (one call per 200; a failure here sends nothing), then
 * for each account that is found and not already so, one audited write (the intent with reason, scope and duration is
 * durable before the call), then reads them all again so the person sees each account's state as NetEase reports it.
 */
export async function carryOut(sanction: Sanction, run: ModerationRun): Promise<ModerationReport> {
  const before = await run.nim.getUinfos(sanction.accids, { muteStatus: true, correlationId: run.correlationId });
  const cards = new Map(before.found.map((card) => [accidKey(card.accid), card]));
  const liftAt = sanction.kind === 'mute' && sanction.duration && !sanction.duration.forever ? run.now() + sanction.duration.ms : undefined;
  const details = sanctionDetails(sanction, liftAt);
  const outcomes: AccountOutcome[] = new Array(sanction.accids.length);
  let settled = 0;
  let next = 0;
  const worker = async () => {
    while (next < sanction.accids.length) {
      const index = next++;
      const accid = sanction.accids[index]!;
      outcomes[index] = await one(sanction, run, accid, cards.get(accidKey(accid)), `${run.correlationId}.${index + 1}`, details);
      run.onProgress?.(++settled, sanction.accids.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency ?? 8, sanction.accids.length) }, worker));
  await readAfter(run, outcomes);
  return { outcomes, ...(liftAt === undefined ? {} : { liftAt }) };
}

async function one(
  sanction: Sanction,
  run: ModerationRun,
  accid: string,
  card: UserCard | undefined,
  id: string,
  sanctionDetails: SanctionDetails,
): Promise<AccountOutcome> {
  if (!card) return { accid, status: 'not_found' };
  const plan = planFor(sanction, card);
  if (!plan) return { accid, status: 'already', card };
  try {
    const result = await auditedWrite(
      run.trail,
      { id, actor: run.actor, action: sanction.kind, command: run.command, target: { accid: card.accid }, changes: plan.changes, sanction: sanctionDetails },
      ({ correlationId }) => plan.send(run.nim, card.accid, correlationId),
    );
    return { accid, status: 'done', confirmedByReadBack: result.confirmedByReadBack, auditId: id };
  } catch (error) {
    return { accid, auditId: id, ...failure(error) };
  }
}

type Plan = {
  changes: Record<string, FieldChange>;
  send: (nim: ModerationNim, accid: string, correlationId: string) => Promise<WriteResult>;
};

/** What to send for one account, from its state read first; undefined when it is already so. */
export function planFor(sanction: Sanction, card: UserCard): Plan | undefined {
  const flag = (value: boolean | undefined) => String(value ?? false);
  switch (sanction.kind) {
    case 'mute': {
      if (sanction.scope === 'everywhere' || sanction.scope === undefined) {
        if (card.mute === true) return undefined;
        return { changes: { mute: { before: flag(card.mute), after: 'true' } }, send: (nim, a, c) => nim.setGlobalMute(a, true, { correlationId: c }) };
      }
      const modules = scopeModules(sanction.scope).filter((module) => card[module] !== true);
      return modulePlan(card, modules, true);
    }
    case 'unmute': {
      const modules = muteModules.filter((module) => card[module] === true);
      if (card.mute !== true) return modulePlan(card, modules, false);
      const global: Plan = { changes: { mute: { before: 'true', after: 'false' } }, send: (nim, a, c) => nim.setGlobalMute(a, false, { correlationId: c }) };
      const rest = modulePlan(card, modules, false);
      if (!rest) return global;
      return {
        changes: { ...global.changes, ...rest.changes },
        send: async (nim, a, c) => {
          const first = await global.send(nim, a, c);
          const second = await rest.send(nim, a, c);
          return { confirmedByReadBack: first.confirmedByReadBack || second.confirmedByReadBack };
        },
      };
    }
    case 'block':
      if (card.valid === false) return undefined;
      return {
        changes: { valid: { before: 'true', after: 'false' } },
        send: (nim, a, c) => {
          const options: BlockOptions = { needkick: sanction.needkick ?? false };
          if (sanction.kickNotifyExt) options.kickNotifyExt = sanction.kickNotifyExt;
          return nim.blockAccount(a, options, { correlationId: c });
        },
      };
    case 'unblock':
      if (card.valid !== false) return undefined;
      return { changes: { valid: { before: 'false', after: 'true' } }, send: (nim, a, c) => nim.unblockAccount(a, { correlationId: c }) };
  }
}

function modulePlan(card: UserCard, modules: readonly MuteModule[], muted: boolean): Plan | undefined {
  if (modules.length === 0) return undefined;
  const flags: ModuleMutes = Object.fromEntries(modules.map((module) => [module, muted]));
  const changes = Object.fromEntries(modules.map((module) => [module, { before: String(card[module] ?? false), after: String(muted) }]));
  return { changes, send: (nim, accid, correlationId) => nim.setModuleMutes(accid, flags, { correlationId }) };
}

/** What is recorded with each intent: reason, scope, duration and when it lifts. */
function sanctionDetails(sanction: Sanction, liftAt: number | undefined): SanctionDetails {
  const details: SanctionDetails = {};
  if (sanction.reason.trim() !== '') details.reason = sanction.reason.trim();
  if (sanction.kind === 'mute' && sanction.scope) details.scope = sanction.scope === 'everywhere' ? 'everywhere' : [...sanction.scope];
  if (sanction.kind === 'mute' && sanction.duration) {
    if (sanction.duration.forever) details.forever = true;
    else details.durationMs = sanction.duration.ms;
  }
  if (liftAt !== undefined) details.liftAt = new Date(liftAt).toISOString();
  if (sanction.kind === 'block') {
    details.needkick = sanction.needkick ?? false;
    if (sanction.kickNotifyExt) details.kickNotifyExt = sanction.kickNotifyExt;
  }
  return details;
}

/** An error of one account's write as the person is told it. */
function failure(error: unknown): AccountResult {
  if (error instanceof NimAccountNotFoundError) return { status: 'not_found' };
  if (error instanceof NimRateLimitedError) return { status: 'failed', nimCode: 416, errorCode: error.code, retryAfterMs: error.retryAfterMs };
  if (error instanceof NimWriteUnconfirmedError) {
    return error.inPlace === false ? { status: 'failed', errorCode: error.code } : { status: 'unknown' };
  }
  if (error instanceof NimApiError || error instanceof NimAuthError) return { status: 'failed', nimCode: error.nimCode, errorCode: error.code };
  if (error instanceof AuditWriteError) return { status: 'failed', errorCode: error.code };
  return { status: 'unknown' };
}

/** Each account's state afterwards, as NetEase reports it; left out when the read fails (the outcomes stand). */
async function readAfter(run: ModerationRun, outcomes: AccountOutcome[]): Promise<void> {
  const asked = outcomes.filter((outcome) => outcome.status !== 'not_found').map((outcome) => outcome.accid);
  if (asked.length === 0) return;
  try {
    const after = await run.nim.getUinfos(asked, { muteStatus: true, correlationId: run.correlationId });
    const cards = new Map(after.found.map((card) => [accidKey(card.accid), card]));
    for (const outcome of outcomes) {
      const card = cards.get(accidKey(outcome.accid));
      if (card) outcome.card = card;
      else delete outcome.card;
    }
  } catch {
    for (const outcome of outcomes) delete outcome.card;
  }
}
