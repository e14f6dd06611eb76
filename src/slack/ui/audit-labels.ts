import type { IntentRecord } from '../../audit/records.js';
import type { Messages } from '../i18n/catalog.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** How the audit trail's actions and times read, wherever an entry is shown (the channel, /im-audit, an undo). */

const actionKeys = {
  update_user_card: 'actionUpdateUserCard',
  qchat_update_member: 'actionQchatUpdateMember',
  mute: 'actionMute',
  unmute: 'actionUnmute',
  block: 'actionBlock',
  unblock: 'actionUnblock',
  rollback: 'actionRollback',
} as const satisfies Record<IntentRecord['action'], keyof Messages['audit']>;

export function actionLabel(m: Messages, action: IntentRecord['action']): string {
  return m.audit[actionKeys[action]];
}

/** UTC, to the second: the channel is read across time zones, and the log uses the same instant. */
export function auditTime(iso: string): string {
  return escapeMrkdwn(iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC'));
}
