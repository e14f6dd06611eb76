import type { AccountResult } from '../execute.js';

/**
 * How far a batch is: the counts the person and the audit channel see ("412 of 734 — 3 failed"), and each account's
 * result as it settles (for the per-account list).
 */

/** `stopped`: never sent, because the batch was stopped (or its process died) first. */
export type BatchStatus = AccountResult['status'];
export const batchStatuses = ['done', 'already', 'not_found', 'failed', 'unknown', 'stopped'] as const satisfies readonly BatchStatus[];

export type BatchCounts = Record<BatchStatus, number>;

/** One account of a batch as it ended; `auditId` is its own audit entry, when one was written. */
export type BatchOutcome = { accid: string; auditId?: string } & AccountResult;

export type BatchProgress = {
  /** Accounts in this run. */
  total: number;
  /** Accounts settled so far (every status, stopped included). */
  settled: number;
  counts: BatchCounts;
  /** Set on the last report of a run. */
  finished: boolean;
};

export function emptyCounts(): BatchCounts {
  return { done: 0, already: 0, not_found: 0, failed: 0, unknown: 0, stopped: 0 };
}

export type ProgressOptions = {
  total: number;
  now: () => number;
  /** At most one report per this many ms (Slack's views.update / chat.update limits), the last one always. @default 2000 */
  everyMs?: number;
  onProgress?: (progress: BatchProgress) => void;
  /** Each account as it settles. */
  onOutcome?: (outcome: BatchOutcome) => void;
};

/** Counts the outcomes of one run and reports them, at most every `everyMs`, and once more at the end. */
export class ProgressTally {
  readonly counts = emptyCounts();
  private settled = 0;
  private lastReportAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ProgressOptions) {}

  add(outcome: BatchOutcome): void {
    this.counts[outcome.status] += 1;
    this.settled += 1;
    this.options.onOutcome?.(outcome);
    const now = this.options.now();
    if (now - this.lastReportAt < (this.options.everyMs ?? 2000)) return;
    this.lastReportAt = now;
    this.report(false);
  }

  finish(): BatchProgress {
    return this.report(true);
  }

  private report(finished: boolean): BatchProgress {
    const progress: BatchProgress = { total: this.options.total, settled: this.settled, counts: { ...this.counts }, finished };
    this.options.onProgress?.(progress);
    return progress;
  }
}
