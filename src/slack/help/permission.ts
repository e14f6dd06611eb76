import type { Config } from '../../config.js';
import type { Grant } from '../../policy/permissions.js';
import { roleLabel } from '../blocks/refusal.js';
import { usergroupList, type UsergroupHandles } from '../blocks/usergroups.js';
import type { Messages } from '../i18n/catalog.js';
import type { Permission } from './registry.js';

/**
 * Who may use a command, in words, from this deployment's settings (IM_READ_MIN_ROLE, IM_WRITE_MIN_ROLE,
 * IM_WRITE_USERGROUPS, IM_WRITE_USERS): what src/policy checks, said before anyone is refused.
 */
export function permissionText(m: Messages, permission: Permission, access: Config['access'], handles: UsergroupHandles): string {
  switch (permission) {
    case 'read':
      return access.readMinRole === 'member' ? m.help.anyMember : m.help.role(roleLabel(m, access.readMinRole));
    case 'write':
      return grantText(m, { minRole: access.writeMinRole, usergroups: access.writeUsergroups, users: access.writeUsers }, handles);
    case 'history': {
      const moderate = { minRole: access.moderateMinRole, usergroups: access.moderateUsergroups, users: access.moderateUsers };
      return m.help.editOrModerate(permissionText(m, 'write', access, handles), grantText(m, moderate, handles));
    }
  }
}

function grantText(m: Messages, grant: Grant, handles: UsergroupHandles): string {
  const groups = grant.usergroups.length > 0 ? m.help.orGroups(usergroupList(grant.usergroups, handles)) : '';
  const people = grant.users.length > 0 ? m.help.orListed : '';
  return `${m.help.role(roleLabel(m, grant.minRole))}${groups}${people}`;
}
