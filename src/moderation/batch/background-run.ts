import type { AuditTrail } from '../../audit/audited-write.js';
import type { BatchRecord } from '../../audit/batch-record.js';
import type { AuditStore } from '../../audit/store/contract.js';
import { accidKey } from '../../nim/accid.js';
import type { ModerationNim } from '../execute.js';
import { type Sanction, sanctionSchema } from '../sanction.js';
import { announcedPart, withAnnouncing } from '../../audit/run-announcer.js';
import { CoalescedSaves } from '../../audit/coalesced-saves.js';
import { BatchAnnouncer, type BatchChannel } from './announce.js';
import { type BatchOutcome, type BatchProgress, batchStatuses, emptyCounts } from './progress.js';
import { type BatchReport, runBatch } from './run-batch.js';

/**
 * One run of a batch in the background (BatchService launches it): the audit channel's message posted, the run
 * (runBatch) with the record saved as it goes — one save at a time, the newest last, each renewing the batch's lease —
 * and its end written: finished, stopped, or, cut short by a shutdown, left for the next start to report.
 */

export type BatchEvents = {
  /** At most every `progressEveryMs`, and once when the run ends (`progress.finished`). */
  progress?(batch: BatchRecord, progress: BatchProgress): void;
  /** A batch a dead process left: to tell the person who started it, with a Continue button. */
  interrupted?(batch: BatchRecord): void;
  /**
   * A run ended, finished or stopped or on an error (`failed`: its record as saved last), and nobody waits for its
   * report: once per run, to tell the person who started the batch. Not for a run paused by a shutdown (the next
   * start reports it as interrupted), nor for one whose starter awaits `settled` (it tells the person itself).
   */
  ended?(batch: BatchRecord, how: RunEnd): void;
};

export type RunEnd = 'finished' | 'stopped' | 'failed';

/** What the one who started a run watches, besides the service's events: its progress as it settles. */
export type BatchWatch = { onProgress?: (progress: BatchProgress) => void };

/** What every batch runs with: the trail, NetEase, the audit channel, the lift schedule, and who is told. */
export type BatchParts = {
  trail: AuditTrail;
  nim: ModerationNim;
  channel: BatchChannel;
  schedule?: Pick<AuditStore, 'pendingLifts' | 'finishLift'>;
  events?: BatchEvents;
  /** @default 2000 */
  progressEveryMs?: number;
};

/** What a run is given: the service's parts and the lease its record holds while it runs. */
export type RunParts = BatchParts & { leaseMs: number };

/** One run: the record as it starts, the accounts of this run, who runs it, its stop signal and who watches it. */
export type RunOf = { start: BatchRecord; accids: readonly string[]; actor: string; signal: AbortSignal; watch: BatchWatch };

/** How a run ended: each account's outcome in it, and the batch's record as saved last. */
export type EndedRun = { report: BatchReport; batch: BatchRecord };

export async function runInBackground(parts: RunParts, run: RunOf): Promise<EndedRun> {
  const { start, accids, actor, signal, watch } = run;
  const { trail, nim, channel, events, leaseMs } = parts;
  const announcer = new BatchAnnouncer({
    channel,
    now: trail.now,
    ...(parts.progressEveryMs === undefined ? {} : { everyMs: parts.progressEveryMs }),
    warn: (details, message) => trail.logger.warn(details, message),
  });
  let batch = await announcer.start(start, (attempting) => trail.store.saveBatch(attempting));
  // Saves one at a time, newest state last (those asked meanwhile join the waiting one); each renews the lease.
  let progressNow: BatchProgress | undefined;
  const saves = new CoalescedSaves(
    async (final) => {
      const now = trail.now();
      batch = { ...batch, counts: countsOf(batch), updatedAt: now, leaseUntil: now + leaseMs };
      if (final) batch = { ...batch, ...endOf(batch, signal, now) };
      const asked = batch;
      const paused = final && asked.pausedAt !== undefined;
      // Paused by a shutdown, the lease is given up first: the grace period may end before Slack answers.
      if (paused) await trail.store.saveBatch(batch);
      // Only the message and the replies the announcer posted join the newest state: taking its whole record back
      // would undo a save asked for meanwhile (the final "finished" replaced by this older "running", on screen for
      // good). What the channel still lacks when the run ends is marked for a later sweep (a paused run's waits for
      // the run that continues it).
      const announced = await announcer.progress(announcedPart(asked, batch), final && !paused, paused);
      batch = { ...batch, ...announcedPart(batch, announced) };
      if (final && !paused) batch = withAnnouncing(batch, announcer.complete(batch));
      // Not again once paused: another replica may have claimed it as interrupted meanwhile (a message posted just
      // now is found again by its postingSince).
      if (!paused) await trail.store.saveBatch(batch);
      if (progressNow) events?.progress?.(batch, progressNow);
    },
    (error) => trail.logger.warn({ batch: batch.id, err: error }, 'batch: its progress could not be saved'),
    trail.store.saveBatch(batch),
  );
  const save = (final: boolean, progress: BatchProgress) => {
    // A lease renewal after the last report must not take its place.
    if (!progressNow?.finished) progressNow = progress;
    saves.ask(final);
  };
  const renew = setInterval(() => save(false, progressOf(batch, accids.length)), leaseMs / 3);
  renew.unref();
  const positions = new Map(batch.accids.map((accid, index) => [accidKey(accid), index]));
  const sanction: Sanction = { ...sanctionSchema.omit({ accids: true }).parse(batch.sanction), accids: [...accids] };
  let report: BatchReport;
  try {
    report = await runBatch(
      {
        id: batch.id,
        sanction,
        actor,
        ...(batch.approvedBy === undefined ? {} : { approvedBy: batch.approvedBy }),
        command: batch.command,
        entryId: (index) => `${batch.id}.${batch.runs > 1 ? `r${batch.runs}.` : ''}${positions.get(accidKey(accids[index]!))! + 1}`,
      },
      {
        trail,
        nim,
        now: trail.now,
        signal,
        ...(parts.schedule ? { schedule: parts.schedule } : {}),
        ...(parts.progressEveryMs === undefined ? {} : { progressEveryMs: parts.progressEveryMs }),
        // The record's own copy: each save writes what has settled so far.
        onOutcome: (outcome: BatchOutcome) => void (batch.settled[accidKey(outcome.accid)] = outcome.status),
        onProgress: (progress) => {
          save(progress.finished, progress);
          watch.onProgress?.(progress);
        },
      },
    );
  } finally {
    clearInterval(renew);
    await saves.settled();
  }
  return { report, batch };
}

/**
 * Runs it (runInBackground) and, unless its starter awaits it (`awaited`: it tells the person itself), tells its end
 * once through `ended`: finished, stopped, or failed with the record as last saved; a run paused by a shutdown is not
 * told (still `running`: the next start reports it). Resolves with this run's report, undefined when it failed.
 */
export async function runAndTellEnd(parts: RunParts, run: RunOf, awaited: boolean): Promise<BatchReport | undefined> {
  const { trail, events } = parts;
  const tell = (ended: BatchRecord, end: RunEnd) => {
    if (awaited || !events?.ended) return;
    try {
      events.ended(ended, end);
    } catch (error) {
      trail.logger.warn({ batch: ended.id, err: error }, 'batch: its end could not be told');
    }
  };
  try {
    const { report, batch } = await runInBackground(parts, run);
    if (batch.state === 'finished' || batch.state === 'stopped') tell(batch, batch.state);
    return report;
  } catch (error) {
    trail.logger.error({ batch: run.start.id, err: error }, 'batch: the run failed');
    tell((await trail.store.batch(run.start.id).catch(() => undefined)) ?? run.start, 'failed');
    return undefined;
  }
}

/** Why a run is aborted when the process shuts down (a person's Stop aborts without a reason). */
export const SHUTTING_DOWN = 'shutting down';

/**
 * How a run ends in the record: finished; stopped by a person; or, cut short by a shutdown with accounts left, still
 * `running` with its lease ended now, for the next start (or a replica) to claim as interrupted and report. A
 * shutdown that came once every account was sent stopped nothing: the run finished.
 */
function endOf(batch: BatchRecord, signal: AbortSignal, now: number): Pick<BatchRecord, 'state' | 'leaseUntil' | 'pausedAt'> {
  if (!signal.aborted) return { state: 'finished', leaseUntil: batch.leaseUntil };
  const left = batch.accids.some((accid) => [undefined, 'stopped'].includes(batch.settled[accidKey(accid)]));
  if (signal.reason === SHUTTING_DOWN)
    return left ? { state: 'running', leaseUntil: now, pausedAt: now } : { state: 'finished', leaseUntil: batch.leaseUntil };
  return { state: 'stopped', leaseUntil: batch.leaseUntil };
}

/** The batch's counts over every run: each account's latest status; those not reached yet count as nothing. */
function countsOf(batch: BatchRecord): BatchRecord['counts'] {
  const counts = emptyCounts();
  for (const status of Object.values(batch.settled)) if (batchStatuses.includes(status)) counts[status] += 1;
  return counts;
}

function progressOf(batch: BatchRecord, total: number): BatchProgress {
  const counts = countsOf(batch);
  return { total, settled: Object.values(counts).reduce((a, b) => a + b, 0), counts, finished: false };
}
