import { z } from 'zod';
import { trailActionSchema } from '../../audit/records.js';
import { ROLLBACK_MAX, type RollbackPlan } from '../../undo/rollback-plan.js';

/**
 * One change of a rollback's preview, as shown: when, what, on which account, and what its undo will set (or why it
 * is skipped). An approval request keeps exactly these, so its message shows what the requester saw and its run
 * undoes those changes and no other.
 */
export const previewItemSchema = z.object({
  /** The change's audit entry id. */
  id: z.string().min(1).max(128),
  at: z.string().max(40),
  action: trailActionSchema,
  accid: z.string().min(1).max(128),
  serverId: z.string().max(32).optional(),
  status: z.enum(['undo', 'changed_since', 'already', 'already_undone', 'not_found', 'not_undoable', 'protected']),
  send: z.record(z.string().max(32), z.string().max(5000)).optional(),
});
export type PreviewItem = z.infer<typeof previewItemSchema>;

export const previewItemsSchema = z.array(previewItemSchema).min(1).max(ROLLBACK_MAX);

export function previewItemsOf(plan: RollbackPlan): PreviewItem[] {
  return plan.steps.map((step) => {
    const { intent } = step.original;
    return {
      id: intent.id,
      at: intent.at,
      action: intent.action,
      accid: intent.target.accid,
      ...(intent.target.serverId === undefined ? {} : { serverId: intent.target.serverId }),
      status: step.status,
      ...(step.send ? { send: step.send } : {}),
    };
  });
}
