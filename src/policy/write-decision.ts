import type { Config } from '../config.js';
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
 *
 * `groupsOfPerson` is the configured user groups the person belongs to, or 'unknown' when Slack could not tell
 * (then only the role and the id list can grant: fail closed).
 */
export function writeDecision(person: SlackPerson, groupsOfPerson: readonly string[] | 'unknown', access: WriteAccess): Decision {
  const refusal = notAFullMember(person);
  if (refusal) return { allowed: false, refusal };
  if (holdsRole(person, access.writeMinRole)) return { allowed: true };
  if (access.writeUsers.includes(person.id)) return { allowed: true };
  if (groupsOfPerson !== 'unknown' && groupsOfPerson.some((group) => access.writeUsergroups.includes(group))) {
    return { allowed: true };
  }
  return {
    allowed: false,
    refusal: { reason: 'not_a_writer', required: access.writeMinRole, usergroups: access.writeUsergroups },
  };
}
