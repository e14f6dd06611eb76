import { accidKey } from '../nim/accid.js';
import type { Decision } from './types.js';

/**
 * IM_PROTECTED_ACCIDS: staff, bots, the QChat operator. A mute or block naming any of them is refused whole, before
 * any call, so a bulk action never half-happens around a protected account.
 */
export function protectedDecision(accids: readonly string[], protectedAccids: readonly string[]): Decision {
  const listed = new Set(protectedAccids.map(accidKey));
  const hit = accids.filter((accid) => listed.has(accidKey(accid)));
  return hit.length === 0 ? { allowed: true } : { allowed: false, refusal: { reason: 'protected_account', accids: hit } };
}
