import type { PostedMessage } from './store/contract.js';

/**
 * The audit channel's one message for a long run (a batch, a rollback): posted when it starts, updated as it runs (at
 * most every `everyMs`), with the per-item list in thread replies of at most `perReply` items, each reply posted once
 * its items have all settled. What was posted is kept in the run's record, so a Continue after a process death
 * updates the same message and does not repeat the replies already there. Each kind says how its items are sliced.
 *
 * The record says a post is being attempted (`postingSince`, saved before the post), so a process that died between
 * the post and saving where it is leaves a record whose message is looked for in the channel (`find`, by the run's id
 * the message carries) and adopted, never posted a second time.
 *
 * Slack failing never holds up the run: what failed is tried again at a later progress, after a backoff (a post looked
 * for in the channel first: a failed answer may hide a message Slack did post); what is still owed when the run ends
 * is marked on its record (`announcing`) and posted by a later sweep of any process (announceLeftovers).
 */

/** What the announcer needs of a run's record. */
export type AnnouncedRun = { id: string; posted?: PostedMessage; postingSince?: number; replies: number };

/** Where the run is posted (the Slack side renders it); `post` answers undefined when no audit channel is set. */
export type RunChannel<R, S> = {
  post(run: R): Promise<PostedMessage | undefined>;
  /** The run's message posted since `since` (epoch ms), if it is in the channel. Never throws (undefined then). */
  find?(run: R, since: number): Promise<PostedMessage | undefined>;
  update(run: R, message: PostedMessage): Promise<void>;
  reply(run: R, message: PostedMessage, slice: S): Promise<void>;
};

export type RunAnnouncerOptions<R, S> = {
  channel: RunChannel<R, S>;
  now: () => number;
  /** @default 2000 */
  everyMs?: number;
  /** @default 100 */
  perReply?: number;
  /** Delay before trying Slack again after a failure, in ms; doubles per failure in a row. @default 1000 */
  retryBaseMs?: number;
  /** Longest delay between tries, in ms. @default 60000 */
  retryMaxMs?: number;
  /** Logs what could not be posted; the run goes on regardless (its records are in the store). */
  warn: (details: Record<string, unknown>, message: string) => void;
  /** What the logs call it: `batch`, `rollback`. */
  noun: string;
  /** How many items the run has. */
  size: (run: R) => number;
  /** Items `from` (inclusive) to `to` (exclusive), as of the record. */
  sliceOf: (run: R, from: number, to: number) => S;
  /** Every item of the slice has settled (its reply can be posted). */
  complete: (slice: S) => boolean;
};

export class RunAnnouncer<R extends AnnouncedRun, S> {
  private lastUpdateAt = Number.NEGATIVE_INFINITY;
  /** Slack failed the last try: nothing more is tried before `retryAt` (each failure doubles the wait), except at the end. */
  private failures = 0;
  private retryAt = Number.NEGATIVE_INFINITY;
  /** The last update failed: the next try makes it, however soon. */
  private updateOwed = false;
  /** `post` answered undefined: no audit channel is set, nothing is owed. */
  private noChannel = false;

  constructor(private readonly options: RunAnnouncerOptions<R, S>) {}

  /**
   * Posts the message if the run has none yet (adopting the one a dead process posted, when found); returns the run
   * with it (without, when Slack failed: tried again at a later progress). `save` stores the record saying a post is
   * being attempted, before the post.
   */
  async start(run: R, save: (run: R) => Promise<void>): Promise<R> {
    const { noun, warn, now } = this.options;
    const known = await adoptPosted(this.options.channel, run);
    if (known.posted) return known;
    const attempting = { ...known, postingSince: now() };
    try {
      await save(attempting);
    } catch (error) {
      // Posted all the same: a message posted twice after a crash is better than none.
      warn({ [noun]: run.id, err: error }, `audit channel: could not save that the ${noun} message is being posted`);
    }
    return this.post(attempting);
  }

  /**
   * Updates the message (at most every `everyMs`, always when `final`) and posts the replies whose items have all
   * settled (all remaining ones when `final`); posts the message first if no try has reached Slack yet. After a
   * failure, nothing is tried again before its backoff has passed, except when `final` or `paused`. A run `paused`
   * by a shutdown gets the update alone: its replies wait for the run that continues it, so that the grace period
   * goes on the one message and a reply posted as the process exits (its count not saved) is never posted twice.
   * Returns the run with its message and reply count.
   */
  async progress(run: R, final: boolean, paused = false): Promise<R> {
    const now = this.options.now();
    if (!final && !paused && now < this.retryAt) return run;
    let current = run.posted || this.noChannel ? run : await this.post(await adoptPosted(this.options.channel, run));
    const { posted } = current;
    if (!posted) return current;
    const { channel, noun } = this.options;
    const perReply = this.options.perReply ?? 100;
    const size = this.options.size(current);
    for (let from = current.replies * perReply; !paused && from < size; from += perReply) {
      const slice = this.options.sliceOf(current, from, Math.min(size, from + perReply));
      if (!final && !this.options.complete(slice)) break;
      try {
        await channel.reply(current, posted, slice);
      } catch (error) {
        this.failed(error, `audit channel: a reply listing the ${noun}'s items could not be posted`, current);
        return current;
      }
      current = { ...current, replies: current.replies + 1 };
    }
    if (final || paused || this.updateOwed || now - this.lastUpdateAt >= (this.options.everyMs ?? 2000)) {
      this.lastUpdateAt = now;
      try {
        await channel.update(current, posted);
        this.updateOwed = false;
        this.failures = 0;
      } catch (error) {
        this.updateOwed = true;
        this.failed(error, `audit channel: the ${noun} message could not be updated`, current);
      }
    }
    return current;
  }

  /**
   * Whether the channel has all of `run` after the last `progress(run, true)`: its message, every reply and the last
   * update (or no audit channel is set). When not, the run's record says so (`announcing`) for a later sweep.
   */
  complete(run: R): boolean {
    if (this.noChannel) return true;
    const replies = Math.ceil(this.options.size(run) / (this.options.perReply ?? 100));
    return run.posted !== undefined && run.replies >= replies && !this.updateOwed;
  }

  private async post(run: R): Promise<R> {
    if (run.posted) return run;
    try {
      const posted = await this.options.channel.post(run);
      if (!posted) this.noChannel = true;
      this.failures = 0;
      return posted ? { ...run, posted } : run;
    } catch (error) {
      this.failed(error, `audit channel: the ${this.options.noun} message could not be posted; will try again`, run);
      return run;
    }
  }

  private failed(error: unknown, message: string, run: R): void {
    this.failures += 1;
    const delayMs = Math.min((this.options.retryBaseMs ?? 1000) * 2 ** (this.failures - 1), this.options.retryMaxMs ?? 60_000);
    this.retryAt = this.options.now() + delayMs;
    this.options.warn({ [this.options.noun]: run.id, err: error, failures: this.failures, retryInMs: delayMs }, message);
  }
}

/**
 * The run with its message, when a post was attempted but where it is was never saved (the process died) and the
 * channel has it; otherwise the run as it is.
 */
export async function adoptPosted<R extends AnnouncedRun, S>(channel: RunChannel<R, S>, run: R): Promise<R> {
  if (run.posted || run.postingSince === undefined || !channel.find) return run;
  const posted = await channel.find(run, run.postingSince);
  return posted ? { ...run, posted } : run;
}

/** `run` with the message and the reply count `announced` has (the newest of both): nothing else is taken from it. */
export function announcedPart<R extends AnnouncedRun>(run: R, announced: AnnouncedRun): R {
  const posted = run.posted ?? announced.posted;
  return { ...run, ...(posted ? { posted } : {}), replies: Math.max(run.replies, announced.replies) };
}

/** `run` marked as still owed to the channel (kept with its tries so far), or with the mark cleared. */
export function withAnnouncing<R extends AnnouncedRun & { announcing?: { tries: number } }>(run: R, complete: boolean): R {
  const { announcing, ...rest } = run;
  return (complete ? rest : { ...rest, announcing: announcing ?? { tries: 0 } }) as R;
}
