import type { BatchRecord } from '../../audit/batch-record.js';
import type { PostedMessage } from '../../audit/store/contract.js';
import { accidKey } from '../../nim/accid.js';
import type { BatchStatus } from './progress.js';

/**
 * The audit channel's one message for a batch: posted when the batch starts, updated as it runs (at most every
 * `everyMs`), with the per-account list in thread replies of at most `perReply` accounts, each reply posted once its
 * accounts have all settled. What was posted is kept in the batch record, so a Continue after a process death updates
 * the same message and does not repeat the replies already there.
 */

/** The accounts of one thread reply: positions `from` (inclusive) to `to` (exclusive) of the batch. */
export type BatchSlice = { from: number; to: number; accounts: { accid: string; status: BatchStatus | undefined }[] };

/** Where the batch is posted (the Slack side renders it); `post` answers undefined when no audit channel is set. */
export type BatchChannel = {
  post(batch: BatchRecord): Promise<PostedMessage | undefined>;
  update(batch: BatchRecord, message: PostedMessage): Promise<void>;
  reply(batch: BatchRecord, message: PostedMessage, slice: BatchSlice): Promise<void>;
};

export type AnnouncerOptions = {
  channel: BatchChannel;
  now: () => number;
  /** @default 2000 */
  everyMs?: number;
  /** @default 100 */
  perReply?: number;
  /** Logs what could not be posted; the batch goes on regardless (its records are in the store). */
  warn: (details: Record<string, unknown>, message: string) => void;
};

export class BatchAnnouncer {
  private lastUpdateAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: AnnouncerOptions) {}

  /** Posts the message if the batch has none yet; returns the batch with it. */
  async start(batch: BatchRecord): Promise<BatchRecord> {
    if (batch.posted) return batch;
    try {
      const posted = await this.options.channel.post(batch);
      return posted ? { ...batch, posted } : batch;
    } catch (error) {
      this.options.warn({ batch: batch.id, err: error }, 'audit channel: the batch message could not be posted');
      return batch;
    }
  }

  /**
   * Updates the message (at most every `everyMs`, always when `final`) and posts the replies whose accounts have all
   * settled (all remaining ones when `final`). Returns the batch with its reply count.
   */
  async progress(batch: BatchRecord, final: boolean): Promise<BatchRecord> {
    const { posted } = batch;
    if (!posted) return batch;
    let current = batch;
    const perReply = this.options.perReply ?? 100;
    for (let from = current.replies * perReply; from < current.accids.length; from += perReply) {
      const slice = sliceOf(current, from, perReply);
      if (!final && slice.accounts.some((account) => account.status === undefined)) break;
      try {
        await this.options.channel.reply(current, posted, slice);
      } catch (error) {
        this.options.warn({ batch: batch.id, err: error }, 'audit channel: a reply listing the accounts could not be posted');
        break;
      }
      current = { ...current, replies: current.replies + 1 };
    }
    const now = this.options.now();
    if (final || now - this.lastUpdateAt >= (this.options.everyMs ?? 2000)) {
      this.lastUpdateAt = now;
      await this.options.channel.update(current, posted).catch((error: unknown) => {
        this.options.warn({ batch: batch.id, err: error }, 'audit channel: the batch message could not be updated');
      });
    }
    return current;
  }
}

function sliceOf(batch: BatchRecord, from: number, size: number): BatchSlice {
  const to = Math.min(batch.accids.length, from + size);
  const accounts = batch.accids.slice(from, to).map((accid) => ({ accid, status: batch.settled[accidKey(accid)] }));
  return { from, to, accounts };
}
