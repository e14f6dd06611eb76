import type { Role } from '../../config.js';
import type { Refusal } from '../../policy/types.js';
import type { Locale, Messages } from '../i18n/catalog.js';
import { messages } from '../i18n/catalog.js';
import type { SlackMessage } from './message.js';
import { code, section } from './text.js';
import { usergroupList, type UsergroupHandles } from './usergroups.js';

export function roleLabel(m: Messages, role: Role): string {
  switch (role) {
    case 'member':
      return m.refusal.roleMember;
    case 'admin':
      return m.refusal.roleAdmin;
    case 'owner':
      return m.refusal.roleOwner;
    case 'primary_owner':
      return m.refusal.rolePrimaryOwner;
  }
}

const noHandles: UsergroupHandles = new Map();

/**
 * Why the person may not do this, naming the permission they lack. User groups are named by handle (`@im-writers`)
 * when `handles` knows it, else by id, in inline code: never as `<!subteam^…>` mentions, which would notify the whole
 * group wherever the message is shown.
 */
export function refusalText(m: Messages, refusal: Refusal, handles: UsergroupHandles = noHandles): string {
  switch (refusal.reason) {
    case 'below_read_role':
      return m.refusal.below_read_role(roleLabel(m, refusal.required));
    case 'not_a_writer':
    case 'not_a_moderator': {
      const groups = usergroupList(refusal.usergroups, handles);
      const groupPart = groups ? m.refusal.notAWriterGroups(groups) : '';
      const end = groups ? m.refusal.notAWriterEnd : m.refusal.notAWriterEndRoleOnly;
      return `${m.refusal[refusal.reason](roleLabel(m, refusal.required))}${groupPart}${end}`;
    }
    case 'protected_account':
      return m.refusal.protected_account(refusal.accids.map((accid) => code(accid, 32)).join(', '));
    default:
      return m.refusal[refusal.reason];
  }
}

export function renderRefusal(refusal: Refusal, locale: Locale, handles: UsergroupHandles = noHandles): SlackMessage {
  const m = messages(locale);
  const text = refusalText(m, refusal, handles);
  return { text: text.replace(/\*/g, ''), blocks: [section(`*${m.refusal.title}*\n${text}`)] };
}
