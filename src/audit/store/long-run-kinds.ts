import type { z } from 'zod';
import { batchRecordSchema } from '../batch-record.js';
import { rollbackRecordSchema } from '../rollback-record.js';

/**
 * The kinds of long run kept in the batches table, each in its own column value and read back through its own
 * schema: a moderation batch and a rollback share the table, the lease and the interrupted claim, never a record.
 */
export const longRunKinds = { moderation: batchRecordSchema, rollback: rollbackRecordSchema } as const;
export type LongRunKind = keyof typeof longRunKinds;
export type LongRunOf<K extends LongRunKind> = z.infer<(typeof longRunKinds)[K]>;

/** A save under an id the other kind holds (a caller's mistake: ids are made per run, never shared). */
export function otherKind(id: string, kind: LongRunKind): RangeError {
  return new RangeError(`long run ${id} is stored as another kind than ${kind}: nothing was saved`);
}
