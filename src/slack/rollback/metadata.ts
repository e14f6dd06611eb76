import { z } from 'zod';
import { slackUserId } from '../interaction/payloads.js';

/** What the rollback modal carries, sealed; checked again each time it comes back. */
const base = {
  viewId: z.string().min(1).max(64),
  /** Who is rolling back. */
  user: slackUserId,
  locale: z.enum(['en', 'zh-CN']),
  /** Whose changes are rolled back. */
  actor: slackUserId,
};

export const rollbackSinceMetadata = z.object({ kind: z.literal('rollback_since'), ...base });
export type RollbackSinceMetadata = z.infer<typeof rollbackSinceMetadata>;

export const rollbackConfirmMetadata = z.object({
  kind: z.literal('rollback_confirm'),
  ...base,
  /** Epoch ms: the changes made at or after this are rolled back. */
  since: z.number().int().nonnegative(),
  /** Epoch ms: when the preview was made. The run undoes no change made after it: the person has not seen those. */
  until: z.number().int().nonnegative(),
});
export type RollbackConfirmMetadata = z.infer<typeof rollbackConfirmMetadata>;
