/** The buttons on a user card. Each button's `value` is the accid it acts on (re-validate it on every click). */
export const actionIds = {
  muteStatus: 'user_card.mute_status',
  share: 'user_card.share',
  edit: 'user_card.edit',
} as const;

/** The moderation buttons on a card and on the mute-status answer (moderators only); `value` is the accid. */
export const moderationActionIds = {
  mute: 'moderation.mute',
  unmute: 'moderation.unmute',
  block: 'moderation.block',
  unblock: 'moderation.unblock',
} as const;
