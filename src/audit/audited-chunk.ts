import { describeFailure, describeSuccess, type AuditTrail, type Finished } from './audited-write.js';
import type { IntentRecord } from './records.js';
import type { IntentWithLift } from './store/contract.js';

/**
 * Audited writes a chunk at a time, for batches: the intents of a chunk are stored in one durable write
 * (AuditStore.appendIntents), then each account's call runs, and the chunk's outcomes are stored together in one more
 * (AuditStore.appendOutcomes), so the trail stays one entry per account at two durable writes per chunk. The caller
 * renews the leases of the chunk's intents until their outcomes are stored (one renewal for the whole batch, not a
 * timer per account).
 */

/** Stores the chunk's intents, all or none; rejects with AuditStoreError when it cannot (then nothing may be sent). */
export async function storeIntents(trail: AuditTrail, intents: readonly IntentWithLift[], leaseUntil: number): Promise<void> {
  await trail.store.appendIntents(intents, { owner: trail.owner, leaseUntil });
}

/** How the call of a stored intent ended, described as its outcome will be stored (with its chunk's: finishAll). */
export type StoredCall<T> = Finished & ({ ok: true; result: T } | { ok: false; error: unknown });

/** Runs the call of an intent already stored. Never rejects: what it returned or threw comes back, with its outcome. */
export async function callStored<T>(
  intent: IntentRecord,
  operation: (context: { correlationId: string }) => Promise<T>,
): Promise<StoredCall<T>> {
  try {
    const result = await operation({ correlationId: intent.id });
    return { intent, description: describeSuccess(result), ok: true, result };
  } catch (error) {
    return { intent, description: describeFailure(error, intent.action), ok: false, error };
  }
}
