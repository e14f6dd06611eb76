import pLimit from 'p-limit';
import { settleStored, settleUnsent, storeIntents, type AuditTrail } from '../../audit/index.js';
import type { IntentRecord } from '../../audit/records.js';
import { intentRecordOf } from '../../audit/audited-write.js';
import type { AuditStore, IntentWithLift, ScheduledLift } from '../../audit/store/contract.js';
import { accidKey } from '../../nim/accid.js';
import { GET_UINFOS_MAX_ACCIDS } from '../../nim/lookup-plan.js';
import type { UserCard } from '../../nim/types.js';
import { ImAdminError } from '../../errors.js';
import { type AccountResult, accountFailure, cancelLifts, type ModerationNim, NOTHING_SENT, sanctionDetails } from '../execute.js';
import { covers } from '../mute-flags.js';
import { planFor, type Plan, unmutedCopy } from '../plan.js';
import type { Sanction } from '../sanction.js';
import { type BatchOutcome, type BatchProgress, ProgressTally } from './progress.js';

/**
 * Carries out one action on many accounts (a spam wave) in the background, at the NetEase budget's pace: the
 * accounts are read fresh 200 at a time (never from the card cache), and each group's accounts that need the change
 * are written in chunks: the chunk's intents in one durable write, then one call per account, each settling its own
 * intent. Stopping (`signal`) sends nothing more: what is done stays done, intents stored but not sent are settled as
 * not applied, accounts not reached are reported as stopped.
 */

export type BatchWork = {
  /** The batch's id: every account's intent names it, and its entry id is `<id>.<position>` unless `entryId` says. */
  id: string;
  /** What to do; `accids` are the accounts of this run (all of them, or what was left when continuing). */
  sanction: Sanction;
  actor: string;
  /** Who approved it (IM_APPROVAL_FOR), recorded on every account's intent beside `actor`. */
  approvedBy?: string;
  /** How the person asked, for the audit trail. */
  command: string;
  /** The audit entry id of the account at `index` in `sanction.accids`. @default `<id>.<index + 1>` */
  entryId?: (index: number) => string;
};

export type BatchDeps = {
  trail: AuditTrail;
  nim: ModerationNim;
  now: () => number;
  /** The lift schedule (timed mutes); as in carryOut. */
  schedule?: Pick<AuditStore, 'pendingLifts' | 'finishLift'>;
  /** Stop: nothing more is sent once it aborts. */
  signal?: AbortSignal;
  /** At most one progress report per this many ms. @default 2000 */
  progressEveryMs?: number;
  onProgress?: (progress: BatchProgress) => void;
  onOutcome?: (outcome: BatchOutcome) => void;
  /** Calls in flight at once; the client's budget paces them whatever this is. @default 16 */
  concurrency?: number;
  /** Intents stored per durable write. @default 50 */
  chunkSize?: number;
};

/** How a run ended: each account's outcome in the run's order, and when a timed mute lifts. */
export type BatchReport = { outcomes: BatchOutcome[]; progress: BatchProgress; stopped: boolean; liftAt?: number };

type Account = { index: number; accid: string };
type Planned = Account & { card: UserCard; plan: Plan; pending: readonly ScheduledLift[]; intent: IntentRecord };
/** An account the group's read showed needs nothing sent: it still gets its own entry (an intent without changes). */
type LeftAlone = Account & { why: keyof typeof NOTHING_SENT; intent: IntentRecord };

export async function runBatch(work: BatchWork, deps: BatchDeps): Promise<BatchReport> {
  const { sanction } = work;
  const accounts = sanction.accids.map((accid, index) => ({ index, accid }));
  const outcomes = new Array<BatchOutcome | undefined>(accounts.length);
  const tally = new ProgressTally({
    total: accounts.length,
    now: deps.now,
    ...(deps.progressEveryMs === undefined ? {} : { everyMs: deps.progressEveryMs }),
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    ...(deps.onOutcome ? { onOutcome: deps.onOutcome } : {}),
  });
  const settle = (account: Account, outcome: BatchOutcome) => {
    outcomes[account.index] = outcome;
    tally.add(outcome);
  };
  const stopped = () => deps.signal?.aborted === true;
  const liftAt =
    sanction.kind === 'mute' && sanction.duration && !sanction.duration.forever ? deps.now() + sanction.duration.ms : undefined;
  const details = sanctionDetails(sanction, liftAt);
  const entryId = work.entryId ?? ((index: number) => `${work.id}.${index + 1}`);
  const chunkSize = deps.chunkSize ?? 50;
  const limit = pLimit(deps.concurrency ?? 16);
  const leases = new LeaseKeeper(deps.trail);
  const running = new Set<Promise<void>>();

  const send = async (account: Planned) => {
    if (stopped()) {
      await settleUnsent(deps.trail, account.intent, {
        status: 'not_applied',
        errorCode: 'stopped',
        detail: 'the batch was stopped first',
      });
      settle(account, { accid: account.accid, status: 'stopped', auditId: account.intent.id });
      return;
    }
    try {
      const result = await settleStored(deps.trail, account.intent, ({ correlationId }) =>
        account.plan.send(deps.nim, account.card.accid, correlationId),
      );
      await cancelLifts(deps, account.pending, sanction.kind === 'mute' ? 'replaced' : 'unmuted', account.intent.id);
      settle(account, {
        accid: account.accid,
        status: 'done',
        confirmedByReadBack: result.confirmedByReadBack,
        auditId: account.intent.id,
      });
    } catch (error) {
      const result = accountFailure(error);
      if (liftAt !== undefined && result.status === 'failed')
        await cancelLifts(deps, [{ sanctionId: account.intent.id }], 'not_applied', '');
      settle(account, { accid: account.accid, auditId: account.intent.id, ...result });
    } finally {
      leases.release(account.intent.id);
    }
  };

  try {
    for (let start = 0; start < accounts.length && !stopped(); start += GET_UINFOS_MAX_ACCIDS) {
      const group = accounts.slice(start, start + GET_UINFOS_MAX_ACCIDS);
      let planned: Planned[];
      try {
        const decided = await planGroup(group, { work, deps, details, liftAt, entryId });
        planned = decided.planned;
        await recordLeftAlone(decided.leftAlone, deps, settle);
      } catch (error) {
        // The group could not be read: nothing was sent for it; the next group may fare better.
        for (const account of group) if (!outcomes[account.index]) settle(account, { accid: account.accid, ...unsent(error) });
        continue;
      }
      for (let at = 0; at < planned.length; at += chunkSize) {
        if (stopped()) break;
        const chunk = planned.slice(at, at + chunkSize);
        // Keep about one chunk waiting for the budget: the next chunk's intents are stored while this one's calls go.
        while (limit.pendingCount > chunkSize) await Promise.race(running);
        try {
          await storeIntents(deps.trail, chunk.map(intentWithLift(liftAt)), deps.now() + leases.leaseMs);
        } catch (error) {
          for (const account of chunk) settle(account, { accid: account.accid, ...unsent(error) });
          continue;
        }
        leases.hold(chunk.map((account) => account.intent.id));
        for (const account of chunk) {
          const task: Promise<void> = limit(() => send(account)).finally(() => running.delete(task));
          running.add(task);
        }
      }
    }
    await Promise.all(running);
  } finally {
    leases.close();
  }
  for (const account of accounts) if (!outcomes[account.index]) settle(account, { accid: account.accid, status: 'stopped' });
  return {
    outcomes: outcomes as BatchOutcome[],
    progress: tally.finish(),
    stopped: stopped(),
    ...(liftAt === undefined ? {} : { liftAt }),
  };
}

/** A failure before anything was sent for an account (its read, or storing its intent): failed, never unknown. */
function unsent(error: unknown): AccountResult {
  const result = accountFailure(error);
  if (result.status === 'failed') return result;
  return { status: 'failed', errorCode: error instanceof ImAdminError ? error.code : 'unexpected_error' };
}

type GroupContext = {
  work: BatchWork;
  deps: BatchDeps;
  details: ReturnType<typeof sanctionDetails>;
  liftAt: number | undefined;
  entryId: (index: number) => string;
};

/**
 * Every account of the batch gets its own entry, findable by its id in /im-audit, also when nothing is sent: the
 * group's left-alone accounts are stored in one durable write and settled at once as not applied (already so, not
 * found). They are part of the batch, so the batch's one message reports them, not a message each.
 */
async function recordLeftAlone(
  leftAlone: readonly LeftAlone[],
  deps: BatchDeps,
  settle: (account: Account, outcome: BatchOutcome) => void,
): Promise<void> {
  if (leftAlone.length === 0) return;
  try {
    await storeIntents(
      deps.trail,
      leftAlone.map(({ intent }) => ({ intent })),
      deps.now() + 60_000,
    );
    for (const account of leftAlone)
      await settleUnsent(deps.trail, account.intent, { status: 'not_applied', ...NOTHING_SENT[account.why] });
  } catch (error) {
    // Nothing was to be sent for them either way; an intent stored but not settled is settled by the settlement round.
    deps.trail.logger.error({ err: error }, 'audit store: the entries of accounts left alone could not all be stored');
  }
  for (const account of leftAlone) settle(account, { accid: account.accid, status: account.why, auditId: account.intent.id });
}

/** Reads one group fresh and decides each account: not found, already so (left alone), or a plan and its intent. */
async function planGroup(group: readonly Account[], context: GroupContext): Promise<{ planned: Planned[]; leftAlone: LeftAlone[] }> {
  const { work, deps, details } = context;
  const intentOf = (account: Account, accid: string, changes: IntentRecord['changes']) =>
    intentRecordOf(
      deps.trail,
      {
        id: context.entryId(account.index),
        actor: work.actor,
        ...(work.approvedBy === undefined ? {} : { approvedBy: work.approvedBy }),
        action: sanction.kind,
        command: work.command,
        target: { accid: accid.slice(0, 128) },
        changes,
        sanction: details,
        batch: work.id,
      },
      deps.now(),
    );
  const { sanction } = work;
  const lookup = await deps.nim.getUinfos(
    group.map((account) => account.accid),
    { muteStatus: true, correlationId: work.id },
  );
  const cards = new Map(lookup.found.map((card) => [accidKey(card.accid), card]));
  const lifts =
    deps.schedule && (sanction.kind === 'mute' || sanction.kind === 'unmute') && lookup.found.length > 0
      ? await deps.schedule.pendingLifts(lookup.found.map((card) => accidKey(card.accid)))
      : [];
  const planned: Planned[] = [];
  const leftAlone: LeftAlone[] = [];
  for (const account of group) {
    const card = cards.get(accidKey(account.accid));
    if (!card) {
      leftAlone.push({ ...account, why: 'not_found', intent: intentOf(account, account.accid, {}) });
      continue;
    }
    // A mute replaces only the lifts it covers (it sets every flag they would clear; mute-flags.ts); an unmute ends all.
    const pending = lifts.filter(
      (lift) => accidKey(lift.intent.target.accid) === accidKey(account.accid) && (sanction.kind !== 'mute' || covers(details.scope, lift)),
    );
    // Muting again replaces a covered lift: an account already muted is muted again so that the new end is recorded.
    const plan =
      planFor(sanction, card) ?? (sanction.kind === 'mute' && pending.length > 0 ? planFor(sanction, unmutedCopy(card)) : undefined);
    if (!plan) {
      if (sanction.kind === 'unmute') await cancelLifts(deps, pending, 'unmuted', context.entryId(account.index));
      leftAlone.push({ ...account, why: 'already', intent: intentOf(account, card.accid, {}) });
      continue;
    }
    planned.push({ ...account, card, plan, pending, intent: intentOf(account, card.accid, plan.changes) });
  }
  return { planned, leftAlone };
}

function intentWithLift(liftAt: number | undefined): (account: Planned) => IntentWithLift {
  return (account) => ({ intent: account.intent, ...(liftAt === undefined ? {} : { lift: { liftAt } }) });
}

/** Keeps the leases of the batch's stored, unsent intents alive with one renewal for all, every third of the lease. */
class LeaseKeeper {
  readonly leaseMs: number;
  private readonly held = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly trail: AuditTrail) {
    this.leaseMs = trail.leaseMs ?? 30_000;
    this.timer = setInterval(() => this.renew(), this.leaseMs / 3);
    this.timer.unref();
  }

  hold(ids: readonly string[]): void {
    for (const id of ids) this.held.add(id);
  }

  release(id: string): void {
    this.held.delete(id);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private renew(): void {
    if (this.held.size === 0) return;
    const { store, owner, now, logger } = this.trail;
    store.renewLeases(owner, [...this.held], now() + this.leaseMs).catch((error: unknown) => {
      logger.warn({ batch: [...this.held][0], err: error }, 'audit store: could not renew the leases of a batch in flight');
    });
  }
}
