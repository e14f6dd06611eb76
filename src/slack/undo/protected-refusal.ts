import type { AuditTarget } from '../../audit/records.js';
import type { AppLogger } from '../../logger.js';
import type { GuardedAction } from '../../policy/permissions.js';
import { protectedUndoTarget } from '../../undo/protected.js';
import type { Locale } from '../i18n/catalog.js';
import { refuse, type Attempt, type Refused } from '../interaction/admit.js';
import type { WriteDeps } from '../interaction/deps.js';

/**
 * Refuses (audited, as the direct command is) an undo that would mute or block a protected account: the undo of an
 * unmute or an unblock of one of IM_PROTECTED_ACCIDS. Undefined when the undo may go on.
 */
export async function refusedAsProtectedUndo(
  deps: Pick<WriteDeps, 'access' | 'directory' | 'metrics' | 'trail'>,
  input: { userId: string; attempt: Attempt; undo: { action: GuardedAction; target: AuditTarget }; locale: Locale; log: AppLogger },
): Promise<Refused | undefined> {
  const accid = protectedUndoTarget(input.undo, deps.access.protectedAccids);
  if (accid === undefined) return undefined;
  return refuse(deps, input.userId, input.attempt, { reason: 'protected_account', accids: [accid] }, input.locale, input.log);
}
