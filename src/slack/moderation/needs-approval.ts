import { needsApproval } from '../../approval/index.js';
import type { Sanction } from '../../moderation/sanction.js';
import type { WriteDeps } from '../interaction/deps.js';

/** Whether IM_APPROVAL_FOR asks a second person for this sanction (its action, or more accounts than bulk>N). */
export function sanctionNeedsApproval(deps: Pick<WriteDeps, 'approvals'>, sanction: Sanction): boolean {
  const subject = { kind: 'change', action: sanction.kind, accounts: sanction.accids.length } as const;
  return deps.approvals !== undefined && needsApproval(deps.approvals.policy, subject);
}
