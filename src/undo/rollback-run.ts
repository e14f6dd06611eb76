import { describeFailure } from '../audit/audited-write.js';
import { applyUndo, type UndoRun } from './apply.js';
import { afterUndo, checkUndo } from './changed-since.js';
import { readState, type StateReader } from './read-state.js';
import { stepsByAccount, type RollbackPlan, type RollbackStep } from './rollback-plan.js';
import type { AccountState } from './state.js';

/** Why a change was skipped when its undo would mute or block a protected account (IM_PROTECTED_ACCIDS). */
export const PROTECTED_ACCOUNT = 'protected_account';

/** How one change of a rollback ended. */
export type RollbackItemResult = {
  /** The change undone. */
  original: string;
  accid: string;
  serverId?: string;
  /** The undo's own entry, when one was sent. */
  undoId?: string;
  status: 'undone' | 'skipped_changed_since' | 'skipped' | 'failed';
  /** Why skipped or failed, in the audit trail's words (`already_undone`, `not_found`, a typed error code). */
  detail?: string;
};

export type RollbackRun = Omit<UndoRun, 'id' | 'batch'> & {
  reader: StateReader;
  /**
   * The rollback's own id: undo n is `<id>.<n>`, n counting the plan's steps newest first. Each undo names it as its
   * batch, so the undos are audited one by one but not posted one by one: the rollback's one message stands for them.
   */
  rollbackId: string;
  /** Accounts rolled back at once; the NetEase budget paces the calls whatever this is. @default 4 */
  concurrency?: number;
  /** After each change is settled (for progress). */
  onProgress?: (settled: number, total: number) => void;
  /** Each change as it settles, before onProgress (the rollback's record keeps it). */
  onResult?: (result: RollbackItemResult) => void;
  /** The undo id of the plan's step `n` (from 0). @default `<rollbackId>.<n + 1>` */
  undoId?: (n: number) => string;
  /**
   * Aborted (a shutdown): no more undos start; those in flight are answered and recorded, and the steps not reached
   * are left unsettled, for a Continue.
   */
  signal?: AbortSignal;
};

/**
 * Carries a rollback out in the background: each account is read again just before its undos (the preview may be
 * minutes old) and its changes are undone newest first, each checked against the account as the undo before it left
 * it. Something changed since by someone else is skipped, never overwritten. Accounts run side by side; the NetEase
 * client's budget sets the pace. Returns one result per step of the plan, in the plan's order (aborted: per step
 * settled, in that order).
 */
export async function runRollback(plan: RollbackPlan, run: RollbackRun): Promise<RollbackItemResult[]> {
  const results = new Array<RollbackItemResult>(plan.steps.length);
  const index = new Map(plan.steps.map((step, n) => [step, n]));
  const accounts = [...stepsByAccount(plan).values()];
  let settled = 0;
  let next = 0;
  const worker = async () => {
    while (next < accounts.length && !run.signal?.aborted) {
      const steps = accounts[next++]!;
      await rollBackAccount(
        steps,
        run,
        (step, result) => {
          results[index.get(step)!] = result;
          run.onResult?.(result);
          run.onProgress?.(++settled, plan.steps.length);
        },
        index,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency ?? 4, accounts.length) }, worker));
  return run.signal?.aborted ? results.filter(Boolean) : results;
}

async function rollBackAccount(
  steps: readonly RollbackStep[],
  run: RollbackRun,
  settle: (step: RollbackStep, result: RollbackItemResult) => void,
  index: ReadonlyMap<RollbackStep, number>,
): Promise<void> {
  const target = steps[0]!.original.intent.target;
  const base = (step: RollbackStep) => ({
    original: step.original.intent.id,
    accid: target.accid,
    ...(target.serverId === undefined ? {} : { serverId: target.serverId }),
  });
  let state: AccountState | undefined;
  let readProblem: string | undefined;
  try {
    const read = await readState(run.reader, target, `${run.rollbackId}.read`);
    if (read.kind === 'found') state = read.state;
    else readProblem = read.kind;
  } catch (error) {
    readProblem = describeFailure(error).errorCode ?? 'read_failed';
  }
  for (const step of steps) {
    // Stopped between two undos of an account: its older changes wait for a Continue, read afresh then.
    if (run.signal?.aborted) return;
    if (step.status === 'already_undone' || step.status === 'not_undoable' || !step.inverse) {
      settle(step, { ...base(step), status: 'skipped', detail: step.status });
      continue;
    }
    if (step.status === 'protected') {
      settle(step, { ...base(step), status: 'skipped', detail: PROTECTED_ACCOUNT });
      continue;
    }
    if (!state) {
      settle(step, { ...base(step), status: readProblem === 'not_found' ? 'skipped' : 'failed', detail: readProblem ?? 'not_found' });
      continue;
    }
    const check = checkUndo(step.inverse, state);
    if (check.status !== 'ready') {
      settle(step, { ...base(step), status: check.status === 'changed_since' ? 'skipped_changed_since' : 'skipped', detail: check.status });
      continue;
    }
    const n = index.get(step)!;
    const undoId = run.undoId ? run.undoId(n) : `${run.rollbackId}.${n + 1}`;
    try {
      await applyUndo(step.inverse, state, check.send, { ...run, id: undoId, batch: run.rollbackId });
      state = afterUndo(state, check.send);
      settle(step, { ...base(step), undoId, status: 'undone' });
    } catch (error) {
      settle(step, { ...base(step), undoId, status: 'failed', detail: describeFailure(error).errorCode ?? 'unexpected_error' });
      // What the account is now is not known: its older changes are not undone on a guess.
      state = undefined;
      readProblem = 'earlier_undo_failed';
    }
  }
}
