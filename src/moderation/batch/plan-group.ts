import { intentRecordOf } from '../../audit/audited-write.js';
import { finishAll, storeIntents } from '../../audit/index.js';
import type { IntentRecord } from '../../audit/records.js';
import type { IntentWithLift, ScheduledLift } from '../../audit/store/contract.js';
import { accidKey } from '../../nim/accid.js';
import type { UserCard } from '../../nim/types.js';
import { cancelLifts, NOTHING_SENT, type sanctionDetails } from '../execute.js';
import { covers } from '../mute-flags.js';
import { planFor, type Plan, unmutedCopy } from '../plan.js';
import type { BatchOutcome } from './progress.js';
import type { BatchDeps, BatchWork } from './batch-work.js';

/**
 * One group of a batch (as many accounts as one read takes), read fresh and decided: each account found and not
 * already so gets a plan and its intent (sent later, a chunk at a time); the others are left alone, with entries of
 * their own.
 */

export type Account = { index: number; accid: string };
export type Planned = Account & { card: UserCard; plan: Plan; pending: readonly ScheduledLift[]; intent: IntentRecord };
/** An account the group's read showed needs nothing sent: it still gets its own entry (an intent without changes). */
export type LeftAlone = Account & { why: keyof typeof NOTHING_SENT; intent: IntentRecord };

export type GroupContext = {
  work: BatchWork;
  deps: BatchDeps;
  details: ReturnType<typeof sanctionDetails>;
  liftAt: number | undefined;
  entryId: (index: number) => string;
};

/**
 * Every account of the batch gets its own entry, findable by its id in /im-audit, also when nothing is sent: the
 * group's left-alone accounts are stored in one durable write and settled at once, in one more, as not applied
 * (already so, not found). They are part of the batch, so the batch's one message reports them, not a message each.
 */
export async function recordLeftAlone(
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
    await finishAll(
      deps.trail,
      leftAlone.map(({ intent, why }) => ({ intent, description: { status: 'not_applied', ...NOTHING_SENT[why] } })),
    );
  } catch (error) {
    // Nothing was to be sent for them either way; an intent stored but not settled is settled by the settlement round.
    deps.trail.logger.error({ err: error }, 'audit store: the entries of accounts left alone could not all be stored');
  }
  for (const account of leftAlone) settle(account, { accid: account.accid, status: account.why, auditId: account.intent.id });
}

/** Reads one group fresh and decides each account: not found, already so (left alone), or a plan and its intent. */
export async function planGroup(group: readonly Account[], context: GroupContext): Promise<{ planned: Planned[]; leftAlone: LeftAlone[] }> {
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

export function intentWithLift(liftAt: number | undefined): (account: Planned) => IntentWithLift {
  return (account) => ({ intent: account.intent, ...(liftAt === undefined ? {} : { lift: { liftAt } }) });
}
