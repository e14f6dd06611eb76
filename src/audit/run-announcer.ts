import type { PostedMessage } from './store/contract.js';

/**
 * The audit channel's one message for a long run (a batch, a rollback): posted when it starts, updated as it runs (at
 * most every `everyMs`), with the per-item list in thread replies of at most `perReply` items, each reply posted once
 * its items have all settled. What was posted is kept in the run's record, so a Continue after a process death
 * updates the same message and does not repeat the replies already there. Each kind says how its items are sliced.
 */

/** What the announcer needs of a run's record. */
export type AnnouncedRun = { id: string; posted?: PostedMessage; replies: number };

/** Where the run is posted (the Slack side renders it); `post` answers undefined when no audit channel is set. */
export type RunChannel<R, S> = {
  post(run: R): Promise<PostedMessage | undefined>;
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

  constructor(private readonly options: RunAnnouncerOptions<R, S>) {}

  /** Posts the message if the run has none yet; returns the run with it. */
  async start(run: R): Promise<R> {
    if (run.posted) return run;
    try {
      const posted = await this.options.channel.post(run);
      return posted ? { ...run, posted } : run;
    } catch (error) {
      this.options.warn({ [this.options.noun]: run.id, err: error }, `audit channel: the ${this.options.noun} message could not be posted`);
      return run;
    }
  }

  /**
   * Updates the message (at most every `everyMs`, always when `final` or `paused`) and posts the replies whose items
   * have all settled (all remaining ones when `final`). A run `paused` by a shutdown gets the update alone: its
   * replies wait for the run that continues it, so that the grace period goes on the one message and a reply posted
   * as the process exits (its count not saved) is never posted twice. Returns the run with its reply count.
   */
  async progress(run: R, final: boolean, paused = false): Promise<R> {
    const { posted } = run;
    if (!posted) return run;
    const { channel, noun, warn } = this.options;
    let current = run;
    if (paused) {
      await this.update(current, posted);
      return current;
    }
    const perReply = this.options.perReply ?? 100;
    const size = this.options.size(run);
    for (let from = current.replies * perReply; from < size; from += perReply) {
      const slice = this.options.sliceOf(current, from, Math.min(size, from + perReply));
      if (!final && !this.options.complete(slice)) break;
      try {
        await channel.reply(current, posted, slice);
      } catch (error) {
        warn({ [noun]: run.id, err: error }, `audit channel: a reply listing the ${noun}'s items could not be posted`);
        break;
      }
      current = { ...current, replies: current.replies + 1 };
    }
    const now = this.options.now();
    if (final || now - this.lastUpdateAt >= (this.options.everyMs ?? 2000)) await this.update(current, posted);
    return current;
  }

  private async update(run: R, posted: PostedMessage): Promise<void> {
    this.lastUpdateAt = this.options.now();
    await this.options.channel.update(run, posted).catch((error: unknown) => {
      this.options.warn(
        { [this.options.noun]: run.id, err: error },
        `audit channel: the ${this.options.noun} message could not be updated`,
      );
    });
  }
}
