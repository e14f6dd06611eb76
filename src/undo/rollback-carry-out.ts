import type { AuditTrail } from '../audit/audited-write.js';
import type { RollbackRecord } from '../audit/rollback-record.js';
import { announcedPart, withAnnouncing } from '../audit/run-announcer.js';
import type { AuditStore } from '../audit/store/contract.js';
import type { UndoNim } from './apply.js';
import type { StateReader } from './read-state.js';
import type { RollbackPlan } from './rollback-plan.js';
import { rollbackAnnouncer, withResult, type RollbackChannel } from './rollback-progress.js';
import { runRollback, type RollbackItemResult } from './rollback-run.js';
import { CoalescedSaves } from '../audit/coalesced-saves.js';

/**
 * One run of a rollback (RollbackService launches it): its one audit channel message posted (or adopted), the undos
 * (runRollback) with the record saved as each change settles — one save at a time, the newest last, each renewing the
 * lease — and its end written: finished, or, stopped by a shutdown with changes left, still running with its lease
 * given up, for the next start to report as interrupted.
 */

/**
 * How a run ended: its record as saved last, and each change of this run's plan as it ended. `paused`: a shutdown
 * stopped it with changes left (the record still running, its lease given up): the next start reports it.
 */
export type RollbackOutcome = { run: RollbackRecord; results: RollbackItemResult[]; paused?: true };
export type RollbackWatch = { onProgress?: (settled: number, total: number) => void };

/** What a run is given: the service's parts and the lease its record holds while it runs. */
export type CarryOutParts = {
  trail: AuditTrail;
  nim: UndoNim;
  reader: StateReader;
  channel: RollbackChannel;
  schedule?: Pick<AuditStore, 'finishLift' | 'pendingLifts'>;
  qchatOperatorAccid?: string;
  /** @default 2000 */
  progressEveryMs?: number;
  leaseMs: number;
};

/** The record as the run starts, its plan, who rolls back, who watches, and what stops it (a shutdown). */
export type RollbackToCarryOut = { start: RollbackRecord; plan: RollbackPlan; lead: string; watch: RollbackWatch; signal: AbortSignal };

export async function carryOutRollback(parts: CarryOutParts, run: RollbackToCarryOut): Promise<RollbackOutcome> {
  const { start, plan, lead, watch, signal } = run;
  const { trail, leaseMs } = parts;
  const announcer = rollbackAnnouncer({
    channel: parts.channel,
    now: trail.now,
    ...(parts.progressEveryMs === undefined ? {} : { everyMs: parts.progressEveryMs }),
    warn: (details, message) => trail.logger.warn(details, message),
  });
  let record = await announcer.start(start, (attempting) => trail.store.saveRollback(attempting));
  // The message is known to the record before the first undo: a Continue updates it, never posts a second.
  if (record.posted) await trail.store.saveRollback(record);
  // Saves one at a time, newest state last (those asked meanwhile join the waiting one); each renews the lease.
  const saves = new CoalescedSaves(
    async (final) => {
      const now = trail.now();
      const asked = { ...record, updatedAt: now, leaseUntil: now + leaseMs };
      const announced = await announcer.progress(asked, final);
      record = { ...announcedPart(record, announced), updatedAt: now, leaseUntil: asked.leaseUntil };
      // What the channel still lacks at the end is marked for a later sweep (announceLeftovers).
      if (final) record = withAnnouncing(record, announcer.complete(record));
      await trail.store.saveRollback(record);
    },
    (error) => trail.logger.warn({ rollback: start.id, err: error }, 'rollback: its progress could not be saved'),
  );
  const save = (final: boolean) => saves.ask(final);
  const renew = setInterval(() => save(false), leaseMs / 3);
  renew.unref();
  const positions = new Map(start.items.map((item, n) => [item.original, n]));
  const prefix = start.runs > 1 ? `${start.id}.r${start.runs}.` : `${start.id}.`;
  try {
    const results = await runRollback(plan, {
      trail,
      nim: parts.nim,
      reader: parts.reader,
      actor: lead,
      ...(start.approvedBy === undefined ? {} : { approvedBy: start.approvedBy }),
      command: 'rollback',
      rollbackId: start.id,
      now: trail.now,
      ...(parts.qchatOperatorAccid ? { qchatOperatorAccid: parts.qchatOperatorAccid } : {}),
      ...(parts.schedule ? { schedule: parts.schedule } : {}),
      undoId: (n) => `${prefix}${(positions.get(plan.steps[n]!.original.intent.id) ?? n) + 1}`,
      onResult: (result) => {
        record = withResult(record, result);
        save(false);
      },
      ...(watch.onProgress ? { onProgress: watch.onProgress } : {}),
      signal,
    });
    if (signal.aborted && record.items.some((item) => record.settled[item.original] === undefined)) {
      clearInterval(renew);
      await saves.settled();
      // The lease is given up first: the grace period may end before Slack answers the message's update.
      const now = trail.now();
      record = { ...record, updatedAt: now, leaseUntil: now, pausedAt: now };
      await trail.store.saveRollback(record);
      await announcer.progress(record, false, true);
      return { run: record, results, paused: true };
    }
    record = { ...record, state: 'finished' };
    save(true);
    await saves.last();
    return { run: record, results };
  } finally {
    clearInterval(renew);
    await saves.settled();
  }
}
