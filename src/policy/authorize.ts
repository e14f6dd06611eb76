import type { Directory } from './directory.js';
import { readDecision, type ReadMinRole } from './read-decision.js';
import type { Decision, SlackPerson } from './types.js';
import { writeDecision, type WriteAccess } from './write-decision.js';

/** A decision with the person it was made about (absent when Slack could not say who they are: refused). */
export type Authorization = { decision: Decision; person?: SlackPerson; cause?: unknown };

const unknownPerson = (cause: unknown): Authorization => ({
  decision: { allowed: false, refusal: { reason: 'unknown_person' } },
  cause,
});

/** May `userId` read cards? Fails closed when users.info fails. */
export async function authorizeRead(directory: Directory, userId: string, minRole: ReadMinRole): Promise<Authorization> {
  let person: SlackPerson;
  try {
    person = await directory.person(userId);
  } catch (error) {
    return unknownPerson(error);
  }
  return { decision: readDecision(person, minRole), person };
}

/** May `userId` change cards? Fails closed when users.info fails; a failed group listing grants nothing. */
export async function authorizeWrite(directory: Directory, userId: string, access: WriteAccess): Promise<Authorization> {
  let person: SlackPerson;
  try {
    person = await directory.person(userId);
  } catch (error) {
    return unknownPerson(error);
  }
  const first = writeDecision(person, [], access);
  if (first.allowed || access.writeUsergroups.length === 0 || first.refusal.reason !== 'not_a_writer') {
    return { decision: first, person };
  }
  const groups = await directory.groupsOf(userId, access.writeUsergroups);
  return { decision: writeDecision(person, groups, access), person };
}
