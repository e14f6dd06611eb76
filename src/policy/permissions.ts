import type { Config, Role } from '../config.js';

/**
 * What a person may be allowed to do, and which permission each guarded action needs. Every command, button and
 * form names its action; the action alone decides the permission (see authorize.ts), so no listener picks its own.
 */
export type Permission = 'read' | 'write' | 'moderate';

/** The actions that change something at NetEase; each is audited, refusals included. */
export const guardedActions = ['update_user_card', 'qchat_update_member', 'mute', 'unmute', 'block', 'unblock'] as const;
export type GuardedAction = (typeof guardedActions)[number];

const permissionOfAction: Record<GuardedAction, Permission> = {
  update_user_card: 'write',
  qchat_update_member: 'write',
  mute: 'moderate',
  unmute: 'moderate',
  block: 'moderate',
  unblock: 'moderate',
};

export function permissionFor(action: GuardedAction): Exclude<Permission, 'read'> {
  return permissionOfAction[action] as Exclude<Permission, 'read'>;
}

export type Access = Config['access'];

/** A permission granted by role, by user group or by being listed (IM_WRITE_* or IM_MODERATE_*). */
export type Grant = { minRole: Role; usergroups: readonly string[]; users: readonly string[] };

export function grantFor(access: Access, permission: Exclude<Permission, 'read'>): Grant {
  return permission === 'write'
    ? { minRole: access.writeMinRole, usergroups: access.writeUsergroups, users: access.writeUsers }
    : { minRole: access.moderateMinRole, usergroups: access.moderateUsergroups, users: access.moderateUsers };
}
