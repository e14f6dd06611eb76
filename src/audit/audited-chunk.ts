import { describeFailure, describeSuccess, finish, type AuditTrail, type OutcomeDescription } from './audited-write.js';
import type { IntentRecord } from './records.js';
import type { IntentWithLift } from './store/contract.js';

/**
 * Audited writes a chunk at a time, for batches: the intents of a chunk are stored in one durable write
 * (AuditStore.appendIntents), then each account's call runs and its outcome settles its own intent, so the trail
 * stays one entry per account. The caller renews the leases of the chunk's intents while they wait for their call
 * (one renewal for the whole batch, not a timer per account).
 */

/** Stores the chunk's intents, all or none; rejects with AuditStoreError when it cannot (then nothing may be sent). */
export async function storeIntents(trail: AuditTrail, intents: readonly IntentWithLift[], leaseUntil: number): Promise<void> {
  await trail.store.appendIntents(intents, { owner: trail.owner, leaseUntil });
}

/** Runs the call of an intent already stored and settles it with its outcome; returns or rethrows the call's own result. */
export async function settleStored<T>(
  trail: AuditTrail,
  intent: IntentRecord,
  operation: (context: { correlationId: string }) => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await operation({ correlationId: intent.id });
  } catch (error) {
    await finish(trail, intent, describeFailure(error, intent.action));
    throw error;
  }
  await finish(trail, intent, describeSuccess(result));
  return result;
}

/** Settles an intent whose call was never sent (the batch was stopped first): not applied, and why. */
export function settleUnsent(trail: AuditTrail, intent: IntentRecord, description: OutcomeDescription): Promise<void> {
  return finish(trail, intent, description);
}
