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

  /**
   * Posts the message if the run has none yet (adopting the one a dead process posted, when found); returns the run
   * with it. `save` stores the record saying a post is being attempted, before the post.
   */
  async start(run: R, save: (run: R) => Promise<void>): Promise<R> {
    const { channel, noun, warn, now } = this.options;
    const known = await adoptPosted(channel, run);
    if (known.posted) return known;
    const attempting = { ...known, postingSince: now() };
    try {
      await save(attempting);
    } catch (error) {
      // Posted all the same: a message posted twice after a crash is better than none.
      warn({ [noun]: run.id, err: error }, `audit channel: could not save that the ${noun} message is being posted`);
    }
    try {
      const posted = await channel.post(attempting);
      return posted ? { ...attempting, posted } : attempting;
    } catch (error) {
      warn({ [noun]: run.id, err: error }, `audit channel: the ${noun} message could not be posted`);
      return attempting;
    }
  }

  /**
   * Updates the message (at most every `everyMs`, always when `final`) and posts the replies whose items have all
   * settled (all remaining ones when `final`). Returns the run with its reply count.
   */
  async progress(run: R, final: boolean): Promise<R> {
    const { posted } = run;
    if (!posted) return run;
    const { channel, noun, warn } = this.options;
    let current = run;
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
    if (final || now - this.lastUpdateAt >= (this.options.everyMs ?? 2000)) {
      this.lastUpdateAt = now;
      await channel.update(current, posted).catch((error: unknown) => {
        warn({ [noun]: run.id, err: error }, `audit channel: the ${noun} message could not be updated`);
      });
    }
    return current;
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
