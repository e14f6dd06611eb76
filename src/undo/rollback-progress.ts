import { rollbackItemStatuses, type RollbackRecord } from '../audit/rollback-record.js';
import { RunAnnouncer, type RunChannel } from '../audit/run-announcer.js';
import type { RollbackPlan } from './rollback-plan.js';
import type { RollbackItemResult } from './rollback-run.js';

/**
 * A rollback's record as it runs: built from the plan before the first undo, each change's result folded in as it
 * settles, what a Continue still has to do, and the one audit channel message (RunAnnouncer) with the per-change list
 * in thread replies.
 */

/** The changes of one thread reply: positions `from` (inclusive) to `to` (exclusive) of the rollback. */
export type RollbackSlice = { from: number; to: number; items: (RollbackRecord['items'][number] & { result?: RollbackItemResult })[] };
export type RollbackChannel = RunChannel<RollbackRecord, RollbackSlice>;

export type RollbackStart = {
  id: string;
  /** Who rolls back (who asked, when it was approved). */
  lead: string;
  approvedBy?: string;
  /** Whose changes, from `since` to `until` (the preview's time), epoch ms; with `only`, those listed. */
  subject: string;
  since: number;
  until: number;
  only?: ReadonlySet<string>;
  origin: RollbackRecord['origin'];
};

/** The record of a rollback about to start: stored before its first undo. */
export function startingRecord(
  input: RollbackStart,
  plan: RollbackPlan,
  process: { owner: string; now: number; leaseMs: number },
): RollbackRecord {
  const { now } = process;
  return {
    kind: 'rollback',
    id: input.id,
    actor: input.lead,
    ...(input.approvedBy === undefined ? {} : { approvedBy: input.approvedBy }),
    command: 'rollback',
    subject: input.subject,
    since: input.since,
    until: input.until,
    ...(input.only ? { only: [...input.only] } : {}),
    items: itemsOf(plan),
    state: 'running',
    owner: process.owner,
    leaseUntil: now + process.leaseMs,
    createdAt: now,
    updatedAt: now,
    counts: { undone: 0, skipped_changed_since: 0, skipped: 0, failed: 0 },
    settled: {},
    origin: input.origin,
    replies: 0,
    runs: 1,
  };
}

function itemsOf(plan: RollbackPlan): RollbackRecord['items'] {
  return plan.steps.map(({ original: { intent } }) => ({
    original: intent.id,
    accid: intent.target.accid,
    ...(intent.target.serverId === undefined ? {} : { serverId: intent.target.serverId }),
  }));
}

/** The record with one more change settled (its counts over every run: each change's latest result). */
export function withResult(run: RollbackRecord, result: RollbackItemResult): RollbackRecord {
  const settled = {
    ...run.settled,
    [result.original]: {
      status: result.status,
      ...(result.undoId === undefined ? {} : { undoId: result.undoId }),
      ...(result.detail === undefined ? {} : { detail: result.detail.slice(0, 80) }),
    },
  };
  const counts = Object.fromEntries(rollbackItemStatuses.map((status) => [status, 0])) as RollbackRecord['counts'];
  for (const { status } of Object.values(settled)) counts[status] += 1;
  return { ...run, settled, counts };
}

/** Each change as its result, where it has one (for the report and the thread replies). */
export function resultOf(run: RollbackRecord, item: RollbackRecord['items'][number]): RollbackItemResult | undefined {
  const settled = run.settled[item.original];
  return settled ? { ...item, ...settled } : undefined;
}

export function rollbackAnnouncer(options: {
  channel: RollbackChannel;
  now: () => number;
  everyMs?: number;
  warn: (details: Record<string, unknown>, message: string) => void;
}): RunAnnouncer<RollbackRecord, RollbackSlice> {
  return new RunAnnouncer<RollbackRecord, RollbackSlice>({
    ...options,
    noun: 'rollback',
    // A reply's lines are long (the change, the account, how it ended): fewer per reply than a batch's accounts.
    perReply: 50,
    size: (run) => run.items.length,
    sliceOf: (run, from, to) => ({
      from,
      to,
      items: run.items.slice(from, to).map((item) => {
        const result = resultOf(run, item);
        return result ? { ...item, result } : item;
      }),
    }),
    complete: (slice) => slice.items.every((item) => item.result !== undefined),
  });
}
