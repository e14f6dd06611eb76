import type { Role } from '../config.js';
import type { Refusal, SlackPerson } from './types.js';

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2, primary_owner: 3 };

/** A person's highest workspace role. Slack marks owners as admins too; this does not rely on it. */
export function roleOf(person: SlackPerson): Role {
  if (person.isPrimaryOwner) return 'primary_owner';
  if (person.isOwner) return 'owner';
  if (person.isAdmin) return 'admin';
  return 'member';
}

/** Whether the person holds `required` or a higher role. */
export function holdsRole(person: SlackPerson, required: Role): boolean {
  return RANK[roleOf(person)] >= RANK[required];
}

/** Why someone who is not a full, active, human member may do nothing here; undefined for a full member. */
export function notAFullMember(person: SlackPerson): Refusal | undefined {
  if (person.otherTeam) return { reason: 'other_team' };
  if (person.deleted) return { reason: 'deactivated' };
  if (person.isBot) return { reason: 'bot' };
  if (person.isUltraRestricted) return { reason: 'single_channel_guest' };
  if (person.isRestricted) return { reason: 'guest' };
  return undefined;
}
