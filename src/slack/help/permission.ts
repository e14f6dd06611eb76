import { grantFor, type Access } from '../../policy/permissions.js';
import { roleLabel } from '../ui/refusal.js';
import { usergroupList, type UsergroupHandles } from '../ui/usergroups.js';
import type { Messages } from '../i18n/catalog.js';
import type { HelpPermission } from './registry.js';

/**
 * Who may use a command, in words, from this deployment's settings (IM_READ_MIN_ROLE, and for changes the role, user
 * groups and people of IM_WRITE_* or IM_MODERATE_*): what src/policy checks, said before anyone is refused.
 */
export function permissionText(m: Messages, permission: HelpPermission, access: Access, handles: UsergroupHandles): string {
  if (permission === 'edit_or_moderate') {
    return m.help.editOrModerate(permissionText(m, 'write', access, handles), permissionText(m, 'moderate', access, handles));
  }
  if (permission === 'read') {
    return access.readMinRole === 'member' ? m.help.anyMember : m.help.role(roleLabel(m, access.readMinRole));
  }
  const grant = grantFor(access, permission);
  const groups = grant.usergroups.length > 0 ? m.help.orGroups(usergroupList(grant.usergroups, handles)) : '';
  const people = grant.users.length > 0 ? m.help.orListed : '';
  return `${m.help.role(roleLabel(m, grant.minRole))}${groups}${people}`;
}

/** Every user group a permission text may name, for looking their handles up once. */
export function namedUsergroups(access: Access): string[] {
  return [...new Set([...grantFor(access, 'write').usergroups, ...grantFor(access, 'moderate').usergroups])];
}
