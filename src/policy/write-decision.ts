import type { Config } from '../config.js';
import type { Grant } from './permissions.js';
import { holdsRole, notAFullMember } from './roles.js';
import type { Decision, SlackPerson } from './types.js';

export type WriteAccess = {
  writeMinRole: Config['access']['writeMinRole'];
  writeUsergroups: readonly string[];
  writeUsers: readonly string[];
};

/**
 * Who may change cards: people holding `writeMinRole` (admin by default, which includes owners), members of one of
 * `writeUsergroups`, and people listed in `writeUsers`. Guests, bots and deactivated people never may.
 */
export function writeDecision(person: SlackPerson, groupsOfPerson: readonly string[] | 'unknown', access: WriteAccess): Decision {
  const grant = { minRole: access.writeMinRole, usergroups: access.writeUsergroups, users: access.writeUsers };
  return grantDecision(person, groupsOfPerson, grant, 'not_a_writer');
}

/**
 * The rule of every granted permission (editing, moderating): a full member holding the role, listed by id, or in one
 * of the user groups. `groupsOfPerson` is the configured groups the person belongs to, or 'unknown' when Slack could
 * not tell (then only the role and the id list can grant: fail closed).
 */
export function grantDecision(
  person: SlackPerson,
  groupsOfPerson: readonly string[] | 'unknown',
  grant: Grant,
  lacking: 'not_a_writer' | 'not_a_moderator',
): Decision {
  const refusal = notAFullMember(person);
  if (refusal) return { allowed: false, refusal };
  if (holdsRole(person, grant.minRole)) return { allowed: true };
  if (grant.users.includes(person.id)) return { allowed: true };
  if (groupsOfPerson !== 'unknown' && groupsOfPerson.some((group) => grant.usergroups.includes(group))) {
    return { allowed: true };
  }
  return { allowed: false, refusal: { reason: lacking, required: grant.minRole, usergroups: grant.usergroups } };
}
