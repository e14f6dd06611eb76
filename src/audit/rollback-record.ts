import { z } from 'zod';
import { longRunFields } from './batch-record.js';

/**
 * A rollback as a long run, kept beside its undos' records like a batch: stored before its first undo, it holds what
 * the undos do not — whose changes since when, every change it is to undo (the preview's, in its order), how each
 * ended so far, whether it runs, finished or was interrupted by a process death, and its one audit channel message.
 * Each undo has its own intent and outcome in the chain, naming the rollback as its batch.
 */

/** How one change of a rollback ended (`skipped_changed_since`: someone else changed it since; never overwritten). */
export const rollbackItemStatuses = ['undone', 'skipped_changed_since', 'skipped', 'failed'] as const;
export type RollbackItemStatus = (typeof rollbackItemStatuses)[number];

export const rollbackRecordSchema = z.object({
  ...longRunFields,
  kind: z.literal('rollback'),
  /** Whose changes are rolled back. */
  subject: z.string().min(1).max(64),
  /** Epoch ms: the changes made from `since` up to `until` (the preview's time) are rolled back. */
  since: z.number().int().nonnegative(),
  until: z.number().int().nonnegative(),
  /** Only these changes, when an approval request listed them. */
  only: z.array(z.string().min(1).max(128)).max(1000).optional(),
  /** Every change to undo, newest first, as planned at the start. */
  items: z
    .array(z.object({ original: z.string().min(1).max(128), accid: z.string().min(1).max(64), serverId: z.string().max(32).optional() }))
    .max(1000),
  counts: z.object(
    Object.fromEntries(rollbackItemStatuses.map((status) => [status, z.number().int().nonnegative()])) as {
      [K in RollbackItemStatus]: z.ZodNumber;
    },
  ),
  /** Each settled change (by its id) and how it ended, as of the last save. */
  settled: z.record(
    z.string(),
    z.object({
      status: z.enum(rollbackItemStatuses),
      undoId: z.string().max(160).optional(),
      detail: z.string().max(80).optional(),
    }),
  ),
});
export type RollbackRecord = z.infer<typeof rollbackRecordSchema>;
