import { z } from 'zod';

/** What a modal carries in its sealed private_metadata, checked again when it comes back. */
const base = {
  /** The view this metadata was written into: a seal copied into another view does not verify there. */
  viewId: z.string().min(1).max(64),
  /** Who opened the modal: a submission by anyone else is refused. */
  user: z.string().regex(/^[UW][A-Z0-9]{2,}$/),
  /** Where the person started, for the ephemeral answer. */
  channel: z.string().regex(/^[CDG][A-Z0-9]{2,}$/).optional(),
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
});
export type EditCardMetadata = z.infer<typeof editCardMetadata>;

export const qchatNickMetadata = z.object({ kind: z.literal('qchat_nick'), ...base });
export type QchatNickMetadata = z.infer<typeof qchatNickMetadata>;
