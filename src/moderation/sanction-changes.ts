import type { IntentRecord, OutcomeRecord } from '../audit/records.js';
import { appliedStatuses, sanctionFamily } from '../audit/store/standing.js';

/**
 * Sanctions made through this app changing in this process (set, lifted by hand, lifted by its timer): the audit
 * trail reports each settled update (AuditTrail.onSettled), and what listens — the App Home, which republishes for
 * the people who have it open — hears only the applied mutes, unmutes, blocks and unblocks.
 */
export type SanctionChange = { accid: string; action: 'mute' | 'unmute' | 'block' | 'unblock'; intentId: string };

export class SanctionChanges {
  private readonly listeners = new Set<(change: SanctionChange) => void>();

  /** Give this to the audit trail as `onSettled`. */
  readonly settled = (intent: IntentRecord, outcome: OutcomeRecord): void => {
    if (!sanctionFamily(intent.action) || !appliedStatuses.includes(outcome.status)) return;
    const change = { accid: intent.target.accid, action: intent.action as SanctionChange['action'], intentId: intent.id };
    for (const listener of this.listeners) listener(change);
  };

  /** Returns the unsubscribe. */
  subscribe(listener: (change: SanctionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
