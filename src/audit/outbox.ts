import type { AuditLogger } from './audit-logger.js';
import { entryId, type AuditEntry } from './records.js';
import { RefusalFolds } from './refusal-folds.js';
import { settleAbandoned, type AuditVerify } from './settlement.js';
import type { AuditStore, ClaimedEntry, PostedMessage } from './store/contract.js';

/**
 * Sends one entry to the audit channel (chat.postMessage of renderAuditEntry). Throws on failure. With `repeat`, the
 * entry is an identical refusal folded into the message `of` (refusal-folds.ts): update that message to say it now
 * stands for `count` refusals, and return it.
 */
export type AuditPost = (entry: AuditEntry, repeat?: { of: PostedMessage; count: number }) => Promise<PostedMessage | void>;
export type { AuditVerify } from './settlement.js';

/**
 * Looks in the audit channel for the messages of these entries posted since `since` (epoch ms), by the id each
 * message carries: what a claimant that died between its post and its save left there. Never throws: what cannot be
 * read is not found (the entry is then posted again: at least once, never lost).
 */
export type FindPostedEntries = (ids: readonly string[], since: number) => Promise<ReadonlyMap<string, PostedMessage>>;

export type AuditOutboxOptions = {
  store: AuditStore;
  /** This process, in claims. */
  owner: string;
  /**
   * Posts to the audit channel. Omit it when no AUDIT_CHANNEL is configured: entries are then marked handled without a
   * message, so configuring a channel later does not flood it with history.
   */
  post?: AuditPost;
  /** Asked before an entry an earlier claim may have posted is posted again; without it, such an entry is posted. */
  findPosted?: FindPostedEntries;
  verify: AuditVerify;
  /** Epoch milliseconds. */
  now: () => number;
  logger: AuditLogger;
  /** How often the store is asked for leftovers (other processes' entries, dead processes' intents), in ms. @default 5000 */
  pollMs?: number;
  /** How long a claim on an entry or an abandoned intent lasts, in ms. @default 60000 */
  claimMs?: number;
  /** Delay before the first retry of a failed post, in ms; doubles per failure of that entry. @default 1000 */
  retryBaseDelayMs?: number;
  /** Longest delay between retries, in ms. @default 300000 (5 minutes) */
  retryMaxDelayMs?: number;
  /** Told after a round that posted at least one entry (the chain head follows the entries). */
  onPosted?: () => void;
};

export type AuditRecovery = {
  /** Intents of processes that died mid-update, read back and settled as "outcome unknown" in the first round. */
  recovered: number;
  /** Finished entries waiting to be posted when the first round began. */
  unposted: number;
};

/**
 * Posts finished entries to the audit channel exactly once across every process sharing the store: each round claims
 * what is unposted (a claim by a process that died expires), posts it and marks it posted. An entry claimed before
 * (its poster died, maybe after its post and before its save) is first looked for in the channel by the id its
 * message carries (`findPosted`), and adopted when found instead of posted twice. A failed post is released
 * with a retry time (capped exponential backoff per entry), so one entry Slack keeps rejecting does not hold up the
 * rest. Rounds run after each local write (`kick`) and every `pollMs` for what others left; each round first settles
 * intents abandoned by dead processes. Timers are unref'd: a pending round never keeps the process alive.
 */
export class AuditOutbox {
  private readonly failures = new Map<string, number>();
  private readonly folds = new RefusalFolds();
  private round: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private nextRetryAt = Number.POSITIVE_INFINITY;
  private unposted = 0;
  private started = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: AuditOutboxOptions) {}

  /** Call once at boot, before taking requests: runs a first round (settling and posting what earlier runs left). */
  async start(): Promise<AuditRecovery> {
    if (this.started) throw new Error('AuditOutbox.start() was already called');
    this.started = true;
    const unposted = await this.options.store.unpostedCount();
    const recovered = await this.settle();
    this.kick();
    return { recovered, unposted };
  }

  /** Runs a round now (a finished entry was just stored). Returns at once. */
  kick(): void {
    if (this.closed) return;
    if (this.round) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.round = this.runRound().finally(() => {
      this.round = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      } else this.schedule();
    });
  }

  /**
   * Posts an entry the store could not take (it is down), once, straight away: the channel then still learns of a
   * refusal, or of an update whose outcome could not be stored. Never rejects.
   */
  async postUnstored(entry: AuditEntry): Promise<void> {
    try {
      await this.options.post?.(entry);
    } catch (error) {
      this.options.logger.error(
        { id: entryId(entry), err: error },
        'audit channel: an entry the store could not take could not be posted either',
      );
    }
  }

  /**
   * Posts now, without waiting out the retry delays of the entries this process failed to post: the drain's last try
   * before the process exits. Backoff resumes if this attempt fails too.
   */
  async retryNow(): Promise<void> {
    const { store, owner, now } = this.options;
    for (const id of this.failures.keys()) await store.postFailed(id, { owner, retryAt: now() }).catch(() => undefined);
    this.nextRetryAt = Number.POSITIVE_INFINITY;
    this.kick();
  }

  /** Finished entries not yet posted, as of the last round (for metrics). */
  pending(): number {
    return this.unposted;
  }

  /** Resolves after a round that left nothing to post (never, while the audit channel keeps failing). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.kick();
    });
  }

  /** Stops the rounds and waits for one in flight. What is left is posted by a later round of any process. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
  }

  private schedule(): void {
    if (this.closed || !this.started) return;
    const pollMs = this.options.pollMs ?? 5000;
    const delay = Math.max(0, Math.min(pollMs, this.nextRetryAt - this.options.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, delay);
    this.timer.unref();
  }

  private async settle(): Promise<number> {
    const { store, owner, verify, now, logger } = this.options;
    try {
      return await settleAbandoned({ store, owner, verify, now, logger, claimMs: this.options.claimMs ?? 60_000 });
    } catch (error) {
      logger.error({ err: error }, 'audit recovery: could not settle abandoned intents; will try again');
      return 0;
    }
  }

  private async runRound(): Promise<void> {
    const { store, logger } = this.options;
    try {
      if (this.started) await this.settle();
      this.nextRetryAt = Number.POSITIVE_INFINITY;
      // One instant for the round's claims: an entry that failed in this round waits for a later one.
      const roundNow = this.options.now();
      let posted = 0;
      for (;;) {
        const entries = await store.claimUnposted({
          owner: this.options.owner,
          now: roundNow,
          leaseMs: this.options.claimMs ?? 60_000,
          limit: 20,
        });
        if (entries.length === 0 || this.closed) break;
        const found = await this.findPosted(entries);
        for (const entry of entries) if (await this.deliver(entry, found.get(entryId(entry)))) posted++;
      }
      if (posted > 0) this.options.onPosted?.();
      this.unposted = await store.unpostedCount();
    } catch (error) {
      logger.error({ err: error }, 'audit channel: the audit store could not be read; will try again');
    }
    if (this.unposted === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  /** The messages already in the channel of the claimed entries an earlier claim may have posted (one look for all). */
  private async findPosted(entries: readonly ClaimedEntry[]): Promise<ReadonlyMap<string, PostedMessage>> {
    const { findPosted, post } = this.options;
    const retaken = entries.filter((entry) => entry.postingSince !== undefined);
    if (!findPosted || !post || retaken.length === 0) return new Map();
    const since = Math.min(...retaken.map((entry) => entry.postingSince!));
    return findPosted(retaken.map(entryId), since).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'audit channel: could not look for entries already posted; posting them');
      return new Map();
    });
  }

  /** Posts one entry (or adopts its message `found` in the channel) and records it posted. True when it is there. */
  private async deliver(entry: AuditEntry, found?: PostedMessage): Promise<boolean> {
    const { store, owner, now, logger } = this.options;
    const id = entryId(entry);
    let message: PostedMessage | void;
    const repeat = entry.kind === 'refusal' && !found ? this.folds.foldInto(entry.refusal) : undefined;
    if (found)
      logger.warn(
        { id, ts: found.ts },
        'audit channel: found the entry posted by a process that died before saving it; kept, not posted again',
      );
    try {
      message = found ?? (await this.options.post?.(entry, ...(repeat ? [repeat] : [])));
      if (entry.kind === 'refusal' && message) this.folds.posted(entry.refusal, message, repeat?.count);
    } catch (error) {
      const failures = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, failures);
      const base = this.options.retryBaseDelayMs ?? 1000;
      const delayMs = Math.min(base * 2 ** (failures - 1), this.options.retryMaxDelayMs ?? 300_000);
      const retryAt = now() + delayMs;
      this.nextRetryAt = Math.min(this.nextRetryAt, retryAt);
      logger.warn({ id, err: error, failures, retryInMs: delayMs }, 'audit channel: post failed, will retry');
      await store.postFailed(id, { owner, retryAt });
      return false;
    }
    this.failures.delete(id);
    try {
      await store.markPosted(id, { owner, at: now(), ...(message ? { message } : {}) });
    } catch (error) {
      // Posted, but the store does not know: it will be posted once more when the claim expires. Better twice than never.
      logger.warn({ id, err: error }, 'audit store: could not record that an entry was posted');
    }
    return this.options.post !== undefined;
  }
}
