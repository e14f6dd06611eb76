import { announceLeftovers } from '../audit/announce-leftovers.js';
import type { AuditTrail } from '../audit/audited-write.js';
import type { RollbackRecord } from '../audit/rollback-record.js';
import { adoptPosted } from '../audit/run-announcer.js';
import type { AuditStore } from '../audit/store/contract.js';
import type { UndoNim } from './apply.js';
import type { StateReader } from './read-state.js';
import { previewRollback } from './rollback-load.js';
import type { RollbackPlan } from './rollback-plan.js';
import { rollbackAnnouncer, startingRecord, type RollbackStart, withResult, type RollbackChannel } from './rollback-progress.js';
import { remainingChanges, undoneByThisRollback } from './rollback-resume.js';
import { carryOutRollback, type RollbackOutcome, type RollbackWatch } from './rollback-carry-out.js';
import { RepeatingTask } from '../audit/repeating-task.js';

/**
 * Rollbacks as durable long runs, Slack-free, like batches: the record is stored before the first undo and saved as
 * each change settles (renewing its lease); the one audit channel message is posted at the start and updated as it
 * runs, the per-change list in thread replies. At start (and every `pollMs`) the rollbacks a dead process left are
 * found and reported, never continued by themselves; a person's Continue undoes the changes left, each read afresh and
 * undone only if nothing changed since.
 */

export type RollbackEvents = {
  /** A rollback a dead process left: to tell the person who ran it and the audit channel, with Continue. */
  interrupted?(run: RollbackRecord): void;
};

export type RollbackServiceOptions = {
  trail: AuditTrail;
  nim: UndoNim;
  reader: StateReader;
  channel: RollbackChannel;
  schedule?: Pick<AuditStore, 'finishLift' | 'pendingLifts'>;
  qchatOperatorAccid?: string;
  /** IM_PROTECTED_ACCIDS: each run skips the undos that would mute or block them, planned afresh. */
  protectedAccids?: readonly string[];
  events?: RollbackEvents;
  /** The channel message is updated at most this often, in ms. @default 2000 */
  progressEveryMs?: number;
  /** How often interrupted rollbacks are looked for after the first look at start, in ms. @default 10000 */
  pollMs?: number;
};

export type { RollbackStart } from './rollback-progress.js';

export type { RollbackOutcome, RollbackWatch } from './rollback-carry-out.js';

export class RollbackService {
  /** The runs in this process, each with what stops it at its next safe point and its end. */
  private readonly running = new Map<string, { stop: AbortController; done: Promise<unknown> }>();
  /** The look for runs a dead process left, then for what the channel still lacks of ended ones: at start, every `pollMs`. */
  private readonly looks: RepeatingTask;

  constructor(private readonly options: RollbackServiceOptions) {
    this.looks = new RepeatingTask(() => this.findInterrupted().then(() => this.announceLeftovers()), options.pollMs ?? 10_000);
  }

  private get protectedAccids(): { protectedAccids?: readonly string[] } {
    return this.options.protectedAccids ? { protectedAccids: this.options.protectedAccids } : {};
  }

  /**
   * Plans the rollback again (the accounts as they are now), stores its record, then runs it to the end. Rejects with
   * nothing sent when the plan cannot be made or the store cannot take the record.
   */
  async run(input: RollbackStart, watch: RollbackWatch = {}): Promise<RollbackOutcome> {
    const { trail } = this.options;
    const plan = await previewRollback(trail.store, this.options.reader, {
      actor: input.subject,
      since: input.since,
      until: input.until,
      ...(input.only ? { only: input.only } : {}),
      ...this.protectedAccids,
      correlationId: input.id,
    });
    const record = startingRecord(input, plan, { owner: trail.owner, now: trail.now(), leaseMs: this.leaseMs });
    await trail.store.saveRollback(record);
    return this.carryOut(record, plan, input.lead, watch);
  }

  /**
   * Continues an interrupted rollback with the changes it has not finished, once per interruption whoever clicks and
   * however often (across every process sharing the store). Undefined when there is no such rollback to continue.
   */
  async continue(
    id: string,
    user: string,
    options: { watch?: RollbackWatch; allow?: (plan: RollbackPlan, run: RollbackRecord) => boolean } = {},
  ): Promise<RollbackOutcome | 'not_allowed' | undefined> {
    const { trail, reader } = this.options;
    const stored = await trail.store.rollback(id);
    if (!stored || stored.state !== 'interrupted' || this.running.has(id)) return undefined;
    const left = new Set(remainingChanges(stored));
    // Read afresh: what a dead run may have sent shows as undone already, or as the account already so; never twice.
    const planned = await previewRollback(trail.store, reader, {
      actor: stored.subject,
      since: stored.since,
      until: stored.until,
      only: left,
      ...this.protectedAccids,
      correlationId: `${id}.r${stored.runs + 1}`,
    });
    if (options.allow && !options.allow(planned, stored)) return 'not_allowed';
    if (!(await trail.store.claimOnce(`rollback-continue:${id}:${stored.runs}`, id, trail.now())).first) return undefined;
    const { done, plan } = await undoneByThisRollback(trail.store, id, planned);
    const now = trail.now();
    const { pausedAt: _pausedAt, ...before } = stored;
    const record: RollbackRecord = {
      ...done.reduce(withResult, before),
      state: 'running',
      owner: trail.owner,
      leaseUntil: now + this.leaseMs,
      updatedAt: now,
      runs: stored.runs + 1,
    };
    await trail.store.saveRollback(record);
    const outcome = await this.carryOut(record, plan, user, options.watch ?? {});
    return { ...outcome, results: [...done, ...outcome.results] };
  }

  /** A rollback's record as stored (for a button naming it). */
  stored(id: string): Promise<RollbackRecord | undefined> {
    return this.options.trail.store.rollback(id);
  }

  /**
   * Looks for interrupted rollbacks, and for ended ones whose audit channel message is still owed, now and then every
   * `pollMs` (unref'd).
   */
  watchInterrupted(): void {
    void this.looks.start();
  }

  /** Posts what the audit channel still lacks of rollbacks that ended (announceLeftovers). */
  announceLeftovers(): Promise<number> {
    const { trail, channel } = this.options;
    return announceLeftovers({
      claim: (options) => trail.store.claimUnannouncedRollbacks(options),
      read: (id) => trail.store.rollback(id),
      save: (run) => trail.store.saveRollback(run),
      announcer: () => rollbackAnnouncer({ channel, now: trail.now, warn: (details, message) => trail.logger.warn(details, message) }),
      now: trail.now,
      logger: trail.logger,
      noun: 'rollback',
    });
  }

  close(): void {
    this.looks.stop();
  }

  /**
   * The process is shutting down: every rollback here stops at its next safe point (the undos in flight answered and
   * recorded, no more started), saved still running with its lease given up, so that the next start, or another
   * replica, reports it at once as interrupted, with Continue. Resolves once they have all ended, or at `deadline`,
   * with how many had not.
   */
  async pauseAll(deadline: Promise<unknown>): Promise<number> {
    const runs = [...this.running.values()];
    let ended = 0;
    for (const run of runs) run.stop.abort();
    await Promise.race([Promise.all(runs.map((run) => run.done.then(() => void (ended += 1)))), deadline]);
    return runs.length - ended;
  }

  /** Rollbacks a dead process left running, each reported once across every process sharing the store. */
  async findInterrupted(): Promise<RollbackRecord[]> {
    const { trail, events } = this.options;
    try {
      const found = await trail.store.claimInterruptedRollbacks({ owner: trail.owner, now: trail.now(), limit: 20 });
      const reported = [];
      for (const claimed of found) {
        // Its message may be in the channel though the record does not say where: the notice then goes under it.
        const run = await adoptPosted(this.options.channel, claimed);
        if (run !== claimed) await trail.store.saveRollback(run);
        events?.interrupted?.(run);
        reported.push(run);
      }
      return reported;
    } catch (error) {
      trail.logger.warn({ err: error }, 'rollbacks: could not look for rollbacks a dead process left');
      return [];
    }
  }

  private get leaseMs(): number {
    return this.options.trail.leaseMs ?? 30_000;
  }

  private carryOut(start: RollbackRecord, plan: RollbackPlan, lead: string, watch: RollbackWatch): Promise<RollbackOutcome> {
    const stop = new AbortController();
    const parts = { ...this.options, leaseMs: this.leaseMs };
    const done = carryOutRollback(parts, { start, plan, lead, watch, signal: stop.signal }).finally(() => this.running.delete(start.id));
    this.running.set(start.id, { stop, done: done.catch(() => undefined) });
    return done;
  }
}
