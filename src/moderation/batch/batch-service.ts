import type { BatchRecord } from '../../audit/batch-record.js';
import { adoptPosted } from '../../audit/run-announcer.js';
import type { Sanction } from '../sanction.js';
import { announceLeftovers } from '../../audit/announce-leftovers.js';
import { BatchAnnouncer } from './announce.js';
import { type BatchParts, type BatchWatch, runAndTellEnd, SHUTTING_DOWN } from './background-run.js';
import { emptyCounts } from './progress.js';
import { remainingAccounts } from './resume.js';
import type { BatchReport } from './run-batch.js';
import { RepeatingTask } from '../../audit/repeating-task.js';

export type { BatchEvents, BatchWatch, RunEnd } from './background-run.js';

/**
 * Batches in the background, Slack-free: starts a confirmed action on many accounts and returns at once; keeps its
 * record in the audit store (progress, lease) as it runs; stops it on request; finds at start (and every
 * `pollMs`) the batches a dead process left running and reports them, never continuing one by itself; continues
 * one when a person asks. The Slack side renders what it is told through `events` and `channel`.
 */

export type BatchServiceOptions = BatchParts & {
  /** How often interrupted batches are looked for after the first look at start, in ms. @default 10000 */
  pollMs?: number;
};

export type BatchStart = {
  id: string;
  sanction: Sanction;
  actor: string;
  /** Who approved it (IM_APPROVAL_FOR): on the record and every account's intent. */
  approvedBy?: string;
  command: string;
  origin: BatchRecord['origin'];
};

export class BatchService {
  private readonly running = new Map<string, { stop: AbortController; done: Promise<BatchReport | undefined> }>();
  /** The look for runs a dead process left, then for what the channel still lacks of ended ones: at start, every `pollMs`. */
  private readonly looks: RepeatingTask;

  constructor(private readonly options: BatchServiceOptions) {
    this.looks = new RepeatingTask(() => this.findInterrupted().then(() => this.announceLeftovers()), options.pollMs ?? 10_000);
  }

  /**
   * Stores the batch as running and starts it in the background, for a caller that waits for its end (`settled`) and
   * tells the person itself: no `ended` event. Rejects (nothing sent) when the store cannot take it.
   */
  async start(input: BatchStart, watch: BatchWatch = {}): Promise<BatchRecord> {
    const batch: BatchRecord = { ...this.recordOf(input), state: 'running' };
    await this.options.trail.store.saveBatch(batch);
    this.launch(batch, input.sanction.accids, { watch, awaited: true });
    return batch;
  }

  /**
   * Stores the accounts of a batch about to be confirmed (too many to travel in the confirmation itself); nothing runs.
   * `confirm` starts it.
   */
  async prepare(input: BatchStart): Promise<BatchRecord> {
    const batch: BatchRecord = { ...this.recordOf(input), state: 'draft' };
    await this.options.trail.store.saveBatch(batch);
    return batch;
  }

  /**
   * Starts a prepared batch, once whoever confirms and however often (across every process sharing the store), and
   * only for the person who prepared it. Undefined when there is no such draft, or it was started already. With
   * `approvedBy` (an approval of the draft as a request), every account's intent names the approver too.
   */
  async confirm(id: string, actor: string, options: { approvedBy?: string } = {}): Promise<BatchRecord | undefined> {
    const { store, now } = this.options.trail;
    const draft = await store.batch(id);
    if (!draft || draft.state !== 'draft' || draft.actor !== actor) return undefined;
    if (!(await store.claimOnce(`batch-start:${id}`, id, now())).first) return undefined;
    const at = now();
    const batch: BatchRecord = {
      ...draft,
      state: 'running',
      owner: this.options.trail.owner,
      leaseUntil: at + this.leaseMs,
      updatedAt: at,
      ...(options.approvedBy === undefined ? {} : { approvedBy: options.approvedBy }),
    };
    await store.saveBatch(batch);
    this.launch(batch, batch.accids);
    return batch;
  }

  private recordOf(input: BatchStart): BatchRecord {
    const now = this.options.trail.now();
    return {
      id: input.id,
      actor: input.actor,
      ...(input.approvedBy === undefined ? {} : { approvedBy: input.approvedBy }),
      action: input.sanction.kind,
      command: input.command.slice(0, 200),
      sanction: withoutAccids(input.sanction),
      accids: [...input.sanction.accids],
      state: 'running',
      owner: this.options.trail.owner,
      leaseUntil: now + this.leaseMs,
      createdAt: now,
      updatedAt: now,
      counts: emptyCounts(),
      settled: {},
      origin: input.origin,
      replies: 0,
      runs: 1,
    };
  }

  /**
   * Continues a stopped or interrupted batch with the accounts it has not finished, once per stop or interruption
   * whoever clicks and however often (across every process sharing the store). Undefined when there is none such.
   */
  async continue(id: string, actor: string): Promise<BatchRecord | undefined> {
    const { store } = this.options.trail;
    const stored = await store.batch(id);
    if (!stored || (stored.state !== 'stopped' && stored.state !== 'interrupted') || this.running.has(id)) return undefined;
    // Each run has its number: two clicks on the same stopped run claim the same key, and only the first one runs.
    if (!(await store.claimOnce(`batch-continue:${id}:${stored.runs}`, id, this.options.trail.now())).first) return undefined;
    const settled = new Map(Object.entries(stored.settled));
    const left = remainingAccounts(stored.accids, settled);
    const now = this.options.trail.now();
    const { pausedAt: _pausedAt, ...before } = stored;
    const batch: BatchRecord = {
      ...before,
      state: 'running',
      owner: this.options.trail.owner,
      leaseUntil: now + this.leaseMs,
      updatedAt: now,
      settled: { ...stored.settled },
      runs: stored.runs + 1,
    };
    await store.saveBatch(batch);
    this.launch(batch, left, { actor });
    return batch;
  }

  /** A batch's record as stored (for a button naming it). */
  stored(id: string): Promise<BatchRecord | undefined> {
    return this.options.trail.store.batch(id);
  }

  /** Stops a batch running in this process: true when it was. What is done stays done. */
  stop(id: string): boolean {
    const run = this.running.get(id);
    if (!run) return false;
    run.stop.abort();
    return true;
  }

  /**
   * Resolves once the batch's run in this process (if any) has ended and its record is saved, with each account's
   * outcome in that run; undefined when none runs here, or the run failed (logged; its record says how far it got).
   */
  async settled(id: string): Promise<BatchReport | undefined> {
    return this.running.get(id)?.done;
  }

  /**
   * Looks for interrupted batches, and for ended ones whose audit channel message is still owed, now and then every
   * `pollMs` (unref'd).
   */
  watchInterrupted(): void {
    void this.looks.start();
  }

  /** Posts what the audit channel still lacks of batches that ended (announceLeftovers); how many it now has all of. */
  announceLeftovers(): Promise<number> {
    const { trail, channel } = this.options;
    return announceLeftovers({
      claim: (options) => trail.store.claimUnannouncedBatches(options),
      read: (id) => trail.store.batch(id),
      save: (batch) => trail.store.saveBatch(batch),
      announcer: () => new BatchAnnouncer({ channel, now: trail.now, warn: (details, message) => trail.logger.warn(details, message) }),
      now: trail.now,
      logger: trail.logger,
      noun: 'batch',
    });
  }

  /** Stops looking; runs in flight go on (the drain may wait for them with `settled`). */
  close(): void {
    this.looks.stop();
  }

  /**
   * The process is shutting down: every run here stops at its next safe point (the calls in flight answered and their
   * outcomes stored, nothing more sent) and is saved with its lease given up, so that the next start, or another
   * replica, reports it as interrupted, with what was done and Continue. Resolves once they have all ended, or at
   * `deadline`, with how many had not.
   */
  async pauseAll(deadline: Promise<unknown>): Promise<number> {
    const runs = [...this.running.values()];
    let ended = 0;
    for (const run of runs) run.stop.abort(SHUTTING_DOWN);
    await Promise.race([Promise.all(runs.map((run) => run.done.then(() => void (ended += 1)))), deadline]);
    return runs.length - ended;
  }

  /** Batches a dead process left running, each reported once across every process sharing the store. */
  async findInterrupted(): Promise<BatchRecord[]> {
    const { trail, events } = this.options;
    try {
      const found = await trail.store.claimInterruptedBatches({ owner: trail.owner, now: trail.now(), limit: 20 });
      const reported = [];
      for (const claimed of found) {
        // Its message may be in the channel though the record does not say where: the notice then goes under it.
        const batch = await adoptPosted(this.options.channel, claimed);
        if (batch !== claimed) await trail.store.saveBatch(batch);
        events?.interrupted?.(batch);
        // The message said it runs (or was paused by a shutdown): it says interrupted now, with the notice under it.
        if (batch.posted)
          void this.options.channel
            .update(batch, batch.posted)
            .catch((error: unknown) =>
              trail.logger.warn({ batch: batch.id, err: error }, 'audit channel: the batch message could not be updated'),
            );
        reported.push(batch);
      }
      return reported;
    } catch (error) {
      trail.logger.warn({ err: error }, 'batches: could not look for batches a dead process left');
      return [];
    }
  }

  private get leaseMs(): number {
    return this.options.trail.leaseMs ?? 30_000;
  }

  private launch(batch: BatchRecord, accids: readonly string[], how: { actor?: string; watch?: BatchWatch; awaited?: boolean } = {}): void {
    const stop = new AbortController();
    const run = { start: batch, accids, actor: how.actor ?? batch.actor, signal: stop.signal, watch: how.watch ?? {} };
    const done = runAndTellEnd({ ...this.options, leaseMs: this.leaseMs }, run, how.awaited === true).finally(() =>
      this.running.delete(batch.id),
    );
    this.running.set(batch.id, { stop, done });
  }
}

function withoutAccids(sanction: Sanction): Record<string, unknown> {
  const { accids: _accids, ...rest } = sanction;
  return rest;
}
