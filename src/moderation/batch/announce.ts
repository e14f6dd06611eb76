import type { BatchRecord } from '../../audit/batch-record.js';
import { RunAnnouncer, type RunChannel } from '../../audit/run-announcer.js';
import { accidKey } from '../../nim/accid.js';
import type { BatchStatus } from './progress.js';

/**
 * The audit channel's one message for a batch (RunAnnouncer): posted when the batch starts, updated as it runs, the
 * per-account list in thread replies, each posted once its accounts have all settled.
 */

/** The accounts of one thread reply: positions `from` (inclusive) to `to` (exclusive) of the batch. */
export type BatchSlice = { from: number; to: number; accounts: { accid: string; status: BatchStatus | undefined }[] };

/** Where the batch is posted (the Slack side renders it); `post` answers undefined when no audit channel is set. */
export type BatchChannel = RunChannel<BatchRecord, BatchSlice>;

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

export class BatchAnnouncer extends RunAnnouncer<BatchRecord, BatchSlice> {
  constructor(options: AnnouncerOptions) {
    super({
      ...options,
      noun: 'batch',
      size: (batch) => batch.accids.length,
      sliceOf,
      complete: (slice) => slice.accounts.every((account) => account.status !== undefined),
    });
  }
}

function sliceOf(batch: BatchRecord, from: number, to: number): BatchSlice {
  const accounts = batch.accids.slice(from, to).map((accid) => ({ accid, status: batch.settled[accidKey(accid)] }));
  return { from, to, accounts };
}
