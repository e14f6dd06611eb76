import type { AuditLogger } from './audit-logger.js';
import { recheckOutcome } from './recheck.js';
import type { IntentRecord, OutcomeRecord, ReadBackVerdict } from './records.js';
import type { AuditStore } from './store/contract.js';

/** Reads the card back and compares it with `intent.changes[*].after`. */
export type AuditVerify = (intent: IntentRecord) => Promise<ReadBackVerdict>;

/**
 * Settles intents whose process died before NetEase answered: claims them once their lease expired (so never while
 * their own process is still waiting and renewing, and never by two processes), reads the card back, and stores the
 * outcome "unknown" with what the read-back showed. A second read-back (recheck.ts) is settled the same way when its
 * lease runs out, with what it found. Returns how many it settled.
 */
export async function settleAbandoned(options: {
  store: AuditStore;
  owner: string;
  verify: AuditVerify;
  now: () => number;
  logger: AuditLogger;
  /** How long this process holds a claimed intent while it reads it back, in ms. */
  claimMs: number;
}): Promise<number> {
  const { store, owner, verify, now, logger } = options;
  let settled = 0;
  for (;;) {
    const intents = await store.claimUnsettled({ owner, now: now(), leaseMs: options.claimMs, limit: 20 });
    if (intents.length === 0) return settled;
    for (const intent of intents) {
      let readBack: ReadBackVerdict;
      try {
        readBack = await verify(intent);
      } catch (error) {
        logger.warn({ id: intent.id, err: error }, 'audit recovery: reading the card back failed');
        readBack = 'unknown';
      }
      const outcome: OutcomeRecord =
        intent.rechecks !== undefined
          ? recheckOutcome(intent, readBack, now())
          : {
              kind: 'outcome',
              id: intent.id,
              at: new Date(now()).toISOString(),
              status: 'unknown',
              recovered: true,
              readBack,
              detail: 'The process stopped before NetEase answered; the card was read back by another run of the app.',
            };
      if (await store.appendOutcome(outcome)) settled++;
      else logger.warn({ id: intent.id }, 'audit recovery: the intent was settled meanwhile by its own process');
    }
  }
}
