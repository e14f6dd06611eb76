/** The buttons on a user card. Each button's `value` is the accid it acts on (re-validate it on every click). */
export const actionIds = {
  muteStatus: 'user_card.mute_status',
  share: 'user_card.share',
  edit: 'user_card.edit',
} as const;
