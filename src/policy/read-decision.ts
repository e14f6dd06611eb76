import type { Config } from '../config.js';
import { holdsRole, notAFullMember } from './roles.js';
import type { Decision, SlackPerson } from './types.js';

export type ReadMinRole = Config['access']['readMinRole'];

/**
 * Who may look cards up: any full member by default; never guests, bots or deactivated people.
 * `minRole` (IM_READ_MIN_ROLE) raises the bar.
 */
export function readDecision(person: SlackPerson, minRole: ReadMinRole): Decision {
  const refusal = notAFullMember(person);
  if (refusal) return { allowed: false, refusal };
  if (!holdsRole(person, minRole)) return { allowed: false, refusal: { reason: 'below_read_role', required: minRole } };
  return { allowed: true };
}
