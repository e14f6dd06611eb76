import pLimit from 'p-limit';
import { storeIntents } from '../../audit/index.js';
import { GET_UINFOS_MAX_ACCIDS } from '../../nim/lookup-plan.js';
import { ImAdminError } from '../../errors.js';
import { type AccountResult, accountFailure, sanctionDetails } from '../execute.js';
import type { BatchDeps, BatchReport, BatchWork } from './batch-work.js';
import { LeaseKeeper } from './lease-keeper.js';
import { type Account, intentWithLift, type Planned, planGroup, recordLeftAlone } from './plan-group.js';
import { type BatchOutcome, ProgressTally } from './progress.js';
import { sendChunk } from './send-chunk.js';

export type { BatchDeps, BatchReport, BatchWork } from './batch-work.js';

/**
 * Carries out one action on many accounts (a spam wave) in the background, at the NetEase budget's pace: the
 * accounts are read fresh 200 at a time (never from the card cache), and each group's accounts that need the change
 * are written in chunks: the chunk's intents in one durable write, then one call per account, then the chunk's
 * outcomes in one more. Stopping (`signal`) sends nothing more: what is done stays done, intents stored but not sent
 * are settled as not applied, accounts not reached are reported as stopped.
 */
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
  const chunks = { deps, kind: sanction.kind, liftAt, limit, stopped, leases, settle };
  const running = new Set<Promise<void>>();
  let readError: Error | undefined;

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
        readError ??= error instanceof Error ? error : new Error(String(error), { cause: error });
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
        const task: Promise<void> = sendChunk(chunk, chunks).finally(() => running.delete(task));
        running.add(task);
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
    ...(readError ? { readError } : {}),
    ...(liftAt === undefined ? {} : { liftAt }),
  };
}

/** A failure before anything was sent for an account (its read, or storing its intent): failed, never unknown. */
function unsent(error: unknown): AccountResult {
  const result = accountFailure(error);
  if (result.status === 'failed') return result;
  return { status: 'failed', errorCode: error instanceof ImAdminError ? error.code : 'unexpected_error' };
}
