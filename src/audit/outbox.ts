import type { AuditLog, AuditLogger } from './log.js';
import { planRecovery } from './recovery.js';
import {
  entryId,
  type AuditEntry,
  type IntentRecord,
  type OutcomeRecord,
  type ReadBackVerdict,
} from './records.js';

/** Sends one entry to the audit channel (the Slack wiring: chat.postMessage of renderAuditEntry). Throws on failure. */
export type AuditPost = (entry: AuditEntry) => Promise<void>;
/** Reads the card back and compares it with `intent.changes[*].after`. */
export type AuditVerify = (intent: IntentRecord) => Promise<ReadBackVerdict>;

export type AuditOutboxOptions = {
  log: AuditLog;
  /**
   * Posts to the audit channel. Omit it when no AUDIT_CHANNEL is configured: entries are then only logged, and each
   * gets a `posted` marker with `skipped: 'no_audit_channel'`, so configuring a channel later does not flood it with
   * history.
   */
  post?: AuditPost;
  verify: AuditVerify;
  /** Epoch milliseconds. */
  now: () => number;
  logger: AuditLogger;
  /** Delay before the first retry, in ms; doubles per consecutive failure. @default 1000 */
  retryBaseDelayMs?: number;
  /** Longest delay between retries, in ms. @default 300000 (5 minutes) */
  retryMaxDelayMs?: number;
};

export type AuditRecovery = {
  /** Finished entries found in the log without a `posted` marker, queued again. */
  requeued: number;
  /** Intents without an outcome (the process died mid-update), read back and queued as "outcome unknown". */
  recovered: number;
};

/**
 * Posts finished audit entries, one at a time, and never drops one: a failed post is retried with capped exponential
 * backoff (the failed entry moves to the back, so one entry Slack keeps rejecting does not hold up the rest), and a
 * `posted` marker is appended to the log after each success so that `start()` after a restart knows what is left.
 * Retry timers are unref'd: a pending retry never keeps the process alive.
 */
export class AuditOutbox {
  private readonly queue: AuditEntry[] = [];
  /** Ids queued by this process, so start() does not queue them twice. */
  private readonly known = new Set<string>();
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  private started = false;
  private idleWaiters: (() => void)[] = [];
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly options: AuditOutboxOptions) {
    this.baseDelayMs = options.retryBaseDelayMs ?? 1000;
    this.maxDelayMs = options.retryMaxDelayMs ?? 300_000;
  }

  /**
   * Call once at boot, before the app takes requests: queues every finished entry the log holds without a `posted`
   * marker, and for every intent without an outcome reads the card back (`verify`), appends an `unknown` outcome with
   * the verdict and queues it. Resolves when recovery is logged; posting goes on in the background.
   */
  async start(): Promise<AuditRecovery> {
    if (this.started) throw new Error('AuditOutbox.start() was already called');
    this.started = true;
    const { records } = await this.options.log.readAll();
    const plan = planRecovery(records);
    const isNew = (id: string) => !this.known.has(id);
    const unposted = plan.unposted.filter((entry) => isNew(entryId(entry)));
    const unfinished = plan.unfinished.filter((intent) => isNew(intent.id));
    for (const id of plan.orphans) this.options.logger.warn({ id }, 'audit log: an outcome without its intent cannot be posted');
    for (const entry of unposted) this.enqueue(entry);
    for (const intent of unfinished) await this.recover(intent);
    return { requeued: unposted.length, recovered: unfinished.length };
  }

  /** Queues a finished entry for posting. Returns at once; posting happens in the background. */
  enqueue(entry: AuditEntry): void {
    this.known.add(entryId(entry));
    this.queue.push(entry);
    this.kick();
  }

  /** Entries not yet posted (for metrics). */
  pending(): number {
    return this.queue.length;
  }

  /** Resolves once every queued entry has been posted (never, while the audit channel keeps failing). */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0 && !this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Posts now what is queued, without waiting out a retry delay: the drain's last try before the process exits.
   * Backoff resumes if this attempt fails too.
   */
  retryNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.kick();
  }

  /**
   * Stops retrying and waits for a post in flight. Entries still queued stay unposted in the log and are posted by
   * `start()` after the next boot.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.draining;
  }

  private async recover(intent: IntentRecord): Promise<void> {
    let readBack: ReadBackVerdict;
    try {
      readBack = await this.options.verify(intent);
    } catch (error) {
      this.options.logger.warn({ id: intent.id, err: error }, 'audit recovery: reading the card back failed');
      readBack = 'unknown';
    }
    const outcome: OutcomeRecord = {
      kind: 'outcome',
      id: intent.id,
      at: new Date(this.options.now()).toISOString(),
      status: 'unknown',
      recovered: true,
      readBack,
      detail: 'The process stopped before NetEase answered; the card was read back at the next start.',
    };
    try {
      await this.options.log.append(outcome);
    } catch (error) {
      // Post it anyway; the next start will find the intent unfinished and read back again.
      this.options.logger.error({ id: intent.id, err: error }, 'audit recovery: the outcome could not be logged');
    }
    this.enqueue({ kind: 'update', intent, outcome });
  }

  private kick(): void {
    if (this.draining || this.timer || this.closed) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      // Entries queued while the loop was finishing (kick() does nothing while a retry timer is set).
      else this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (!this.closed && this.queue.length > 0) {
      const entry = this.queue[0]!;
      try {
        await this.options.post?.(entry);
      } catch (error) {
        this.failures++;
        this.queue.push(this.queue.shift()!);
        const delayMs = Math.min(this.baseDelayMs * 2 ** (this.failures - 1), this.maxDelayMs);
        this.options.logger.warn(
          { id: entryId(entry), err: error, failures: this.failures, retryInMs: delayMs, pending: this.queue.length },
          'audit channel: post failed, will retry',
        );
        if (this.closed) return;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.kick();
        }, delayMs);
        this.timer.unref();
        return;
      }
      this.queue.shift();
      this.failures = 0;
      await this.markPosted(entryId(entry));
    }
  }

  private async markPosted(id: string): Promise<void> {
    try {
      await this.options.log.append({
        kind: 'posted',
        id,
        at: new Date(this.options.now()).toISOString(),
        ...(this.options.post ? {} : { skipped: 'no_audit_channel' as const }),
      });
    } catch (error) {
      // Posted, but the log does not know: it will be posted once more after a restart. Better twice than never.
      this.options.logger.warn({ id, err: error }, 'audit log: could not record that an entry was posted');
    }
  }
}
