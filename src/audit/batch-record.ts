import { z } from 'zod';
import { auditActionSchema } from './records.js';

/**
 * A batch: one moderation action on many accounts (a spam wave), kept beside the per-account records. Each account
 * has its own intent and outcome in the chain (naming the batch); this record holds what they do not: the accounts
 * asked for, how far the run got, whether it is running, stopped, finished or was interrupted by a process death,
 * where the person started it, and the one audit channel message that stands for it. A rollback is a long run of the
 * same shape (rollback-record.ts): the fields every long run has are `longRunFields`.
 */

/** `draft`: the accounts are known and the confirmation is shown; nothing runs until the person confirms. */
export const batchStates = ['draft', 'running', 'stopped', 'finished', 'interrupted'] as const;
export type BatchState = (typeof batchStates)[number];

/** What every long run (a batch, a rollback) keeps: its state and lease, its origin and its one channel message. */
export const longRunFields = {
  id: z.string().min(1).max(128),
  /** Who started it (who asked, when it was approved). */
  actor: z.string().min(1).max(64),
  command: z.string().max(200),
  state: z.enum(batchStates),
  /** The process running it, and until when its lease holds (renewed with each save while it runs). */
  owner: z.string().max(256),
  leaseUntil: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Where the person started it: the report and the interrupted notice go there. */
  origin: z.object({
    user: z.string().max(64),
    channel: z.string().max(64).optional(),
    locale: z.string().max(16).optional(),
    /** The modal that shows the progress, while it is open. */
    viewId: z.string().max(64).optional(),
  }),
  /** The audit channel message that stands for the whole run, once posted, and how many thread replies it has. */
  posted: z.object({ channel: z.string(), ts: z.string(), permalink: z.string().max(1000).optional() }).optional(),
  /**
   * Since when (epoch ms) that message is being posted, saved before chat.postMessage: a record with it and without
   * `posted` may have its message in the channel already (the process died before saving it); it is looked for there.
   */
  postingSince: z.number().optional(),
  replies: z.number().int().nonnegative(),
  /**
   * Set when a run ended with the audit channel still owed part of its message (the post, a reply, the last update: Slack
   * failed every try): any process's sweep claims it, tries again with backoff (`tries` so far) and clears it.
   */
  announcing: z.object({ tries: z.number().int().nonnegative() }).optional(),
  /** Who approved it, when IM_APPROVAL_FOR asked a second person (`actor` asked for it): on every intent it writes. */
  approvedBy: z.string().min(1).max(64).optional(),
  /**
   * When a shutdown (SIGTERM) paused it at a safe point: still `running`, its lease given up, for the next start to
   * report as interrupted with Continue. The channel message says so meanwhile; a Continue clears it.
   */
  pausedAt: z.number().optional(),
  /** How many runs it took (1, then one more per Continue). */
  runs: z.number().int().positive(),
};

const accountStatus = z.enum(['done', 'already', 'not_found', 'failed', 'unknown', 'stopped']);
const counts = z.object({
  done: z.number().int().nonnegative(),
  already: z.number().int().nonnegative(),
  not_found: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  unknown: z.number().int().nonnegative(),
  stopped: z.number().int().nonnegative(),
});

export const batchRecordSchema = z.object({
  ...longRunFields,
  action: auditActionSchema,
  /** The sanction as confirmed (kind, reason, scope, duration…): the moderation core parses it. */
  sanction: z.record(z.string(), z.unknown()),
  /** Every account of the batch, in order. */
  accids: z.array(z.string().min(1).max(32)).max(10_000),
  counts,
  /** Each settled account (lower-cased accid) and how it ended, as of the last save. */
  settled: z.record(z.string(), accountStatus),
});
export type BatchRecord = z.infer<typeof batchRecordSchema>;
