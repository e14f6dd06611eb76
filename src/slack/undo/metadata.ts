import { z } from 'zod';
import { guardedActions } from '../../policy/permissions.js';

/** What the undo confirmation carries, sealed; checked again when it comes back. */
export const undoConfirmMetadata = z.object({
  kind: z.literal('undo_confirm'),
  viewId: z.string().min(1).max(64),
  user: z.string().regex(/^[UW][A-Z0-9]{2,}$/),
  channel: z
    .string()
    .regex(/^[CDG][A-Z0-9]{2,}$/)
    .optional(),
  locale: z.enum(['en', 'zh-CN']),
  /** The audit entry undone. */
  entryId: z.string().min(1).max(128),
  /** The action the undo performs: the permission checked again at the confirmation. */
  action: z.enum(guardedActions),
  /** The values shown as changed since, each with its keep/overwrite choice. */
  changed: z.array(z.string().max(32)).max(20),
});
export type UndoConfirmMetadata = z.infer<typeof undoConfirmMetadata>;
