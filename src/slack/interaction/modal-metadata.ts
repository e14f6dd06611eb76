import { z } from 'zod';
import { sanctionKinds, sanctionSchema } from '../../moderation/sanction.js';
import { userCardChangeFields } from '../../nim/types.js';

/** What a modal carries in its sealed private_metadata, checked again when it comes back. */
const base = {
  /** The view this metadata was written into: a seal copied into another view does not verify there. */
  viewId: z.string().min(1).max(64),
  /** Who opened the modal: a submission by anyone else is refused. */
  user: z.string().regex(/^[UW][A-Z0-9]{2,}$/),
  /** Where the person started, for the ephemeral answer. */
  channel: z
    .string()
    .regex(/^[CDG][A-Z0-9]{2,}$/)
    .optional(),
  locale: z.enum(['en', 'zh-CN']),
};

const digest = z.string().min(1).max(32);

export const editCardMetadata = z.object({
  kind: z.literal('edit_card'),
  ...base,
  accid: z.string().min(1).max(32),
  /** Keyed digests of each field as prefilled, to send only the fields the person changed. */
  prefill: z.object({
    name: digest,
    icon: digest,
    sign: digest,
    email: digest,
    birth: digest,
    mobile: digest,
    gender: digest,
    ex: digest,
  }),
  /**
   * Shown again after a conflict: the fields whose keep-theirs-or-overwrite choice the form asks for. Each must be
   * answered before anything is sent (Slack's client insists too, but a submission is checked on its own).
   */
  conflicts: z.array(z.enum(userCardChangeFields)).max(userCardChangeFields.length).optional(),
});
export type EditCardMetadata = z.infer<typeof editCardMetadata>;

export const qchatNickMetadata = z.object({
  kind: z.literal('qchat_nick'),
  ...base,
  /** The member as the form was opened (when server and accid were typed): a keyed digest of the nick, for conflicts. */
  opened: z.object({ serverId: z.string().min(1).max(32), accid: z.string().min(1).max(32), nick: digest }).optional(),
  /** Shown again after a conflict: the keep-theirs-or-overwrite choice must be answered before anything is sent. */
  conflict: z.literal(true).optional(),
});
export type QchatNickMetadata = z.infer<typeof qchatNickMetadata>;

/** The moderation form: which action it is for. What was typed comes back in the form's values. */
export const moderationFormMetadata = z.object({
  kind: z.literal('moderation_form'),
  ...base,
  action: z.enum(sanctionKinds),
  command: z.string().max(64),
});
export type ModerationFormMetadata = z.infer<typeof moderationFormMetadata>;

/** The confirmation carries the whole sanction (sealed compressed: up to 50 accids and a reason). */
export const moderationConfirmMetadata = z.object({
  kind: z.literal('moderation_confirm'),
  ...base,
  command: z.string().max(64),
  sanction: sanctionSchema,
});
export type ModerationConfirmMetadata = z.infer<typeof moderationConfirmMetadata>;

/** The confirmation of a batch carries only the id of its stored draft (its accounts are too many to travel here). */
export const moderationBatchConfirmMetadata = z.object({
  kind: z.literal('moderation_batch_confirm'),
  ...base,
  command: z.string().max(64),
  batch: z.string().min(1).max(128),
});
export type ModerationBatchConfirmMetadata = z.infer<typeof moderationBatchConfirmMetadata>;
