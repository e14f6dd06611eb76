import type { Directory, Freshness } from './directory.js';
import { type Access, grantFor, type Permission } from './permissions.js';
import { readDecision } from './read-decision.js';
import type { Decision, SlackPerson } from './types.js';
import { grantDecision } from './write-decision.js';

/** A decision with the person it was made about (absent when Slack could not say who they are: refused). */
export type Authorization = { decision: Decision; person?: SlackPerson; cause?: unknown };

/**
 * May `userId` do what `permission` allows? The one question every command, button and form asks. Fails closed when
 * users.info fails; a failed user group listing grants nothing. `fresh` (at the moment a change is submitted or
 * confirmed) asks Slack now rather than trusting an answer up to a minute old.
 */
export async function authorize(
  directory: Directory,
  userId: string,
  permission: Permission,
  access: Access,
  freshness: Freshness = {},
): Promise<Authorization> {
  let person: SlackPerson;
  try {
    person = await directory.person(userId, freshness);
  } catch (error) {
    return { decision: { allowed: false, refusal: { reason: 'unknown_person' } }, cause: error };
  }
  if (permission === 'read') return { decision: readDecision(person, access.readMinRole), person };
  const grant = grantFor(access, permission);
  const lacking = permission === 'write' ? 'not_a_writer' : 'not_a_moderator';
  const first = grantDecision(person, [], grant, lacking);
  if (first.allowed || grant.usergroups.length === 0 || first.refusal.reason !== lacking) return { decision: first, person };
  const groups = await directory.groupsOf(userId, grant.usergroups, freshness);
  return { decision: grantDecision(person, groups, grant, lacking), person };
}
