import type { RollbackRecord } from '../audit/rollback-record.js';
import type { AuditStore } from '../audit/store/contract.js';
import { changeInPlace } from './inverse.js';
import type { RollbackPlan } from './rollback-plan.js';
import type { RollbackItemResult } from './rollback-run.js';

/**
 * What a Continue picks up after a process death: the changes not finished, and among them those the dead run did
 * undo (its undo is in place in the trail, naming this rollback) though it died before saving so — counted as undone
 * with that undo's id, never sent again.
 */

/** Statuses that end a change's part: a Continue never touches it again. A failed one is tried again, read afresh. */
const FINISHED: ReadonlySet<RollbackItemResult['status']> = new Set(['undone', 'skipped_changed_since', 'skipped']);

/** The changes a Continue undoes: those not settled, or failed, in the rollback's order. */
export function remainingChanges(run: RollbackRecord): string[] {
  return run.items.map((item) => item.original).filter((id) => !FINISHED.has(run.settled[id]?.status ?? 'failed'));
}

/** The plan's changes already undone by this very rollback (an earlier run), as results; the plan without them. */
export async function undoneByThisRollback(
  store: Pick<AuditStore, 'history'>,
  rollbackId: string,
  plan: RollbackPlan,
): Promise<{ done: RollbackItemResult[]; plan: RollbackPlan }> {
  const done: RollbackItemResult[] = [];
  for (const step of plan.steps.filter((candidate) => candidate.status === 'already_undone')) {
    const { id, target } = step.original.intent;
    const { items } = await store.history({ accid: target.accid, limit: 100 });
    const undo = items.filter(changeInPlace).find((item) => item.intent.undoes === id && item.intent.batch === rollbackId);
    if (undo) {
      const where = target.serverId === undefined ? {} : { serverId: target.serverId };
      done.push({ original: id, accid: target.accid, ...where, undoId: undo.intent.id, status: 'undone' });
    }
  }
  const ids = new Set(done.map((result) => result.original));
  return { done, plan: { ...plan, steps: plan.steps.filter((step) => !ids.has(step.original.intent.id)) } };
}
