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

/** Stop and Continue on a batch (one action on many accounts); `value` is the batch id. */
export const batchActionIds = {
  stop: 'moderation.batch_stop',
  continue: 'moderation.batch_continue',
} as const;

/** Approve and Reject on an approval request's message (IM_APPROVAL_FOR); `value` is the request's id (looked up). */
export const approvalActionIds = {
  approve: 'approval.approve',
  reject: 'approval.reject',
} as const;

/** Undo on an audit channel entry or an /im-audit item; `value` is the audit entry's id (looked up, never trusted). */
export const undoActionIds = {
  undo: 'audit.undo',
} as const;

/** Roll back… on an /im-audit @person answer; `value` is that person's Slack user id (parsed again on click). */
export const rollbackActionIds = {
  open: 'audit.rollback',
  /** On the notice of a rollback a process death interrupted: undo the rest. */
  continue: 'rollback.continue',
} as const;

/** The rollback modal's inputs: the "since" period (last 1 h / 24 h / 7 d) or a date-time. */
export const rollbackBlocks = { period: 'rollback_period', at: 'rollback_at' } as const;

/**
 * Callback ids of the modals, and the block ids of their inputs. Every input's action id is `value`. Block ids are the
 * NetEase field names, so a validation problem (InputError.field) lands under its input.
 */
export const callbackIds = {
  editCard: 'edit_card',
  qchatNick: 'qchat_nick',
  /** What a mute, unmute, block or unblock is missing (accounts, scope, duration, reason…). */
  moderationForm: 'moderation_form',
  /** The one confirmation of a moderation action: submitting it carries the action out. */
  moderationConfirm: 'moderation_confirm',
  /** The confirmation of an action on more accounts than a confirmation can carry: it names a stored draft batch. */
  moderationBatchConfirm: 'moderation_batch_confirm',
  /** The one confirmation of an undo: submitting it sends the undo. */
  undoConfirm: 'undo_confirm',
  /** A rollback's "since": submitting it shows the preview. */
  rollbackSince: 'rollback_since',
  /** A rollback's preview: submitting it runs the rollback in the background. */
  rollbackConfirm: 'rollback_confirm',
  /** Shown while the permission check and the NetEase read run: nothing to submit. */
  loading: 'im_admin_loading',
  /** A refusal or an error in place of the form: nothing to submit. */
  notice: 'im_admin_notice',
} as const;

export const INPUT_ACTION_ID = 'value';

export const editCardBlocks = ['name', 'icon', 'sign', 'email', 'birth', 'mobile', 'gender', 'ex'] as const;
export const qchatNickBlocks = ['serverId', 'accid', 'nick', 'avatar', 'custom'] as const;
export const moderationBlocks = ['accids', 'accountsFile', 'scope', 'duration', 'reason', 'needkick', 'kickNotifyExt'] as const;

/** The App Home's own ids (its Lift now and Extend… are the moderation buttons, so they act exactly as on a card). */
export const homeIds = {
  lookupBlock: 'home.lookup_block',
  lookupInput: 'home.lookup_input',
  lookup: 'home.lookup',
  page: 'home.page',
} as const;

/** The message shortcut (manifest `features.shortcuts`): look up the accounts a message names. */
export const lookupShortcutIds = { lookUp: 'lookup_im_accounts' } as const;

/** The global shortcut (manifest `features.shortcuts`): open the mute form. */
export const moderationShortcutIds = { mute: 'mute_im_accounts' } as const;

/** The Workflow Builder steps (manifest `functions`), by callback id. */
export const stepIds = { lookup: 'lookup_im_account', mute: 'mute_im_accounts', block: 'block_im_account' } as const;
