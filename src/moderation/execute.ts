import { auditedWrite, AuditStoreError, type AuditTrail, type SanctionDetails } from '../audit/index.js';
import type { AuditStore, ScheduledLift } from '../audit/store/contract.js';
import { accidKey } from '../nim/accid.js';
import { NimAccountNotFoundError, NimApiError, NimAuthError, NimRateLimitedError, NimWriteUnconfirmedError } from '../nim/errors.js';
import type { UserCard } from '../nim/types.js';
import { covers } from './mute-flags.js';
import { planFor, unmutedCopy } from './plan.js';
import { cleanReason, type Sanction } from './sanction.js';
import type { ModerationNim } from './moderation-nim.js';

export type { ModerationNim } from './moderation-nim.js';

/** How one account's action ended. */
export type AccountResult =
  | { status: 'done'; confirmedByReadBack: boolean }
  | { status: 'already' }
  | { status: 'not_found' }
  /** NetEase refused (its code), or nothing was sent (rate limited, audit store down): not applied. */
  | { status: 'failed'; nimCode?: number; errorCode: string; retryAfterMs?: number }
  /** It may or may not have been applied, and reading back could not tell. */
  | { status: 'unknown' }
  /** Never sent: the batch it was part of was stopped first (Stop, or the process shutting down). */
  | { status: 'stopped' };

/** What happened to one account. `card` is its state as NetEase reported it afterwards (absent if it could not be read). */
export type AccountOutcome = { accid: string; card?: UserCard; auditId?: string } & AccountResult;

export type ModerationRun = {
  trail: AuditTrail;
  nim: ModerationNim;
  /** The Slack person who confirmed it (who asked, when it needed approval). */
  actor: string;
  /** The second person who approved it (IM_APPROVAL_FOR), recorded on the intent beside `actor`. */
  approvedBy?: string;
  /** How they asked, for the audit trail. */
  command: string;
  /** The confirmation's correlation id; the account's audit entry is `<id>.1`. */
  correlationId: string;
  now: () => number;
  /**
   * The audit store's lift schedule. With it, a timed mute's lift is scheduled with its intent, muting again replaces
   * an account's pending lift (an account already muted is muted again, so the new end is recorded durably), and
   * unmuting cancels it. Without it nothing is scheduled.
   */
  schedule?: Pick<AuditStore, 'pendingLifts' | 'finishLift'>;
};

export type ModerationReport = { outcomes: AccountOutcome[]; liftAt?: number };

/**
 * Carries a confirmed sanction on one account out: reads it first (a failure here sends nothing), then, when it is
 * found and not already so, one audited write (the intent with reason, scope and duration is durable before the
 * call), then reads it again so the person sees its state as NetEase reports it. An account found already so, or not
 * found, gets its entry too (nothing sent). More than one account is a batch (carryOutAsBatch, runBatch), with one
 * audit channel message for the action: this never loops over accounts.
 */
export async function carryOut(sanction: Sanction, run: ModerationRun): Promise<ModerationReport> {
  const [accid, ...more] = sanction.accids;
  if (accid === undefined || more.length > 0)
    throw new RangeError(`carryOut acts on one account, not ${sanction.accids.length}: more run as a batch (carryOutAsBatch)`);
  const before = await run.nim.getUinfos([accid], { muteStatus: true, correlationId: run.correlationId });
  const card = before.found.find((found) => accidKey(found.accid) === accidKey(accid));
  const liftAt = sanction.kind === 'mute' && sanction.duration && !sanction.duration.forever ? run.now() + sanction.duration.ms : undefined;
  const details = sanctionDetails(sanction, liftAt);
  const pending =
    run.schedule && (sanction.kind === 'mute' || sanction.kind === 'unmute') && card
      ? (await run.schedule.pendingLifts([accidKey(card.accid)])).filter((lift) => accidKey(lift.intent.target.accid) === accidKey(accid))
      : [];
  const outcomes = [await one(sanction, run, accid, card, `${run.correlationId}.1`, details, pending)];
  await readStatesAfter(run.nim, outcomes, run.correlationId);
  return { outcomes, ...(liftAt === undefined ? {} : { liftAt }) };
}

async function one(
  sanction: Sanction,
  run: ModerationRun,
  accid: string,
  card: UserCard | undefined,
  id: string,
  sanctionDetails: SanctionDetails,
  pending: readonly ScheduledLift[],
): Promise<AccountOutcome> {
  if (!card) {
    await recordNothingSent(run, { id, accid, sanction, details: sanctionDetails, why: 'not_found' });
    return { accid, status: 'not_found', auditId: id };
  }
  // Muting again replaces a pending lift it covers (mute-flags.ts: it sets every flag that lift would clear; a
  // one-to-one mute does not cover a global one): an account already muted is muted again so the new end is recorded.
  const replaceable = sanction.kind === 'mute' ? pending.filter((other) => covers(sanctionDetails.scope, other)) : [];
  const plan = planFor(sanction, card) ?? (replaceable.length > 0 ? planFor(sanction, unmutedCopy(card)) : undefined);
  if (!plan) {
    if (sanction.kind === 'unmute') await cancelLifts(run, pending, 'unmuted', id);
    await recordNothingSent(run, { id, accid: card.accid, sanction, details: sanctionDetails, why: 'already' });
    return { accid, status: 'already', card, auditId: id };
  }
  const lift = sanction.kind === 'mute' && sanctionDetails.liftAt ? { lift: { liftAt: Date.parse(sanctionDetails.liftAt) } } : {};
  try {
    const result = await auditedWrite(
      run.trail,
      {
        id,
        actor: run.actor,
        ...(run.approvedBy === undefined ? {} : { approvedBy: run.approvedBy }),
        action: sanction.kind,
        command: run.command,
        target: { accid: card.accid },
        changes: plan.changes,
        sanction: sanctionDetails,
        ...lift,
      },
      ({ correlationId }) => plan.send(run.nim, card.accid, correlationId),
    );
    // A mute replaces only the lifts whose flags it sets itself: a one-to-one mute leaves a global mute's lift alone.
    await cancelLifts(run, sanction.kind === 'mute' ? replaceable : pending, sanction.kind === 'mute' ? 'replaced' : 'unmuted', id);
    return { accid, status: 'done', confirmedByReadBack: result.confirmedByReadBack, auditId: id };
  } catch (error) {
    const result = accountFailure(error);
    // A timed mute that provably did not happen has nothing to lift; an unknown outcome stays for the scheduler to read.
    if ('lift' in lift && result.status === 'failed') await cancelLifts(run, [{ sanctionId: id }], 'not_applied', '');
    return { accid, auditId: id, ...result };
  }
}

/** Why nothing was sent for an account that was asked for: it was already so, or NetEase has no such account. */
export const NOTHING_SENT = {
  already: { errorCode: 'already_so', detail: 'already so when read first: nothing sent' },
  not_found: { errorCode: 'account_not_found', detail: 'NetEase has no such account: nothing sent' },
} as const;

/**
 * Every account of an attempt gets its own entry, findable by its id in /im-audit, also when nothing was sent: an
 * intent without changes, settled at once as not applied. A store failure here is logged: nothing was to be sent.
 */
async function recordNothingSent(
  run: ModerationRun,
  input: { id: string; accid: string; sanction: Sanction; details: SanctionDetails; why: keyof typeof NOTHING_SENT },
): Promise<void> {
  const intent = {
    id: input.id,
    actor: run.actor,
    ...(run.approvedBy === undefined ? {} : { approvedBy: run.approvedBy }),
    action: input.sanction.kind,
    command: run.command,
    target: { accid: input.accid.slice(0, 128) },
    changes: {},
    sanction: input.details,
  };
  try {
    await auditedWrite(
      run.trail,
      intent,
      () => Promise.resolve(undefined),
      () => ({ status: 'not_applied', ...NOTHING_SENT[input.why] }),
    );
  } catch (error) {
    run.trail.logger.error({ id: input.id, err: error }, 'audit store: the entry of an account left alone could not be stored');
  }
}

/** Ends the account's earlier pending lifts (never the one just scheduled); a failure is left for the scheduler. */
export async function cancelLifts(
  run: Pick<ModerationRun, 'schedule' | 'now'>,
  pending: readonly Pick<ScheduledLift, 'sanctionId'>[],
  why: 'replaced' | 'unmuted' | 'not_applied',
  by: string,
): Promise<void> {
  for (const lift of pending) {
    if (lift.sanctionId === by && why !== 'not_applied') continue;
    try {
      await run.schedule?.finishLift(lift.sanctionId, { status: 'cancelled', at: run.now(), why, ...(by ? { by } : {}) });
    } catch {
      // The scheduler reads the account first when the lift falls due: a replaced or unmuted one sends nothing.
    }
  }
}

/** What is recorded with each intent: reason, scope, duration and when it lifts. */
export function sanctionDetails(sanction: Sanction, liftAt: number | undefined): SanctionDetails {
  const details: SanctionDetails = {};
  const reason = cleanReason(sanction.reason);
  if (reason !== '') details.reason = reason;
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
export function accountFailure(error: unknown): AccountResult {
  if (error instanceof NimAccountNotFoundError) return { status: 'not_found' };
  if (error instanceof NimRateLimitedError)
    return { status: 'failed', nimCode: 416, errorCode: error.code, retryAfterMs: error.retryAfterMs };
  // Read back once and not (yet) in place is still unknown: NetEase may apply it late, and it is read again later.
  if (error instanceof NimWriteUnconfirmedError) return { status: 'unknown' };
  if (error instanceof NimApiError || error instanceof NimAuthError)
    return { status: 'failed', nimCode: error.nimCode, errorCode: error.code };
  if (error instanceof AuditStoreError) return { status: 'failed', errorCode: error.code };
  return { status: 'unknown' };
}

/**
 * Sets each outcome's `card` to the account's state afterwards, as NetEase reports it (one read per 200 accounts,
 * never from the card cache); left out when the read fails (the outcomes stand).
 */
export async function readStatesAfter(nim: ModerationNim, outcomes: AccountOutcome[], correlationId: string): Promise<void> {
  const asked = outcomes.filter((outcome) => outcome.status !== 'not_found').map((outcome) => outcome.accid);
  if (asked.length === 0) return;
  try {
    const after = await nim.getUinfos(asked, { muteStatus: true, correlationId });
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
