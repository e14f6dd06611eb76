import type { AuditTarget } from '../audit/records.js';
import type { GuardedAction } from '../policy/permissions.js';
import { protectedDecision } from '../policy/protected.js';

/**
 * IM_PROTECTED_ACCIDS hold for undos as for the direct commands: an undo that would mute or block a protected account
 * (the undo of an unmute re-mutes, of an unblock re-blocks) is refused; one that lifts a sanction, or restores a
 * card, is not. Returns the protected account it names, if any.
 */
export function protectedUndoTarget(
  undo: { action: GuardedAction; target: AuditTarget },
  protectedAccids: readonly string[],
): string | undefined {
  if (undo.action !== 'mute' && undo.action !== 'block') return undefined;
  const decision = protectedDecision([undo.target.accid], protectedAccids);
  return decision.allowed ? undefined : undo.target.accid;
}
