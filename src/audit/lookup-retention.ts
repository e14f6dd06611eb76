import { DAY_MS, RepeatingTask } from './repeating-task.js';
import type { AuditStore } from './store/contract.js';

/** What retention logs through (pino, or a test's collector). */
export type RetentionLogger = {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
};

/**
 * AUDIT_LOOKUP_RETENTION_DAYS: who looked at whom is personal data too, so lookup records older than the retention
 * are deleted, at start and then once a day. Changes and refusals are never pruned, and lookups sit outside the hash
 * chain, so the chain verifies the same before and after. With several replicas each prunes; the deletes are
 * idempotent. The timer is unref'd.
 */
export class LookupRetention {
  private readonly rounds: RepeatingTask;

  constructor(
    private readonly options: {
      store: Pick<AuditStore, 'pruneLookups' | 'location'>;
      /** Lookups older than this many days are deleted. @default 90 */
      days: number;
      /** Epoch ms. */
      now: () => number;
      logger: RetentionLogger;
      /** @default 86400000 (a day) */
      everyMs?: number;
    },
  ) {
    this.rounds = new RepeatingTask(() => this.prune(), options.everyMs ?? DAY_MS);
  }

  /** Prunes now, then every `everyMs`. Never rejects: a failure is logged and the next round tries again. */
  start(): Promise<void> {
    return this.rounds.start();
  }

  close(): void {
    this.rounds.stop();
  }

  /** One round; resolves with how many lookups were deleted (0 when it failed). */
  async prune(): Promise<number> {
    const { store, days, now, logger } = this.options;
    const before = now() - days * DAY_MS;
    try {
      const deleted = await store.pruneLookups(before);
      if (deleted > 0) {
        logger.info({ deleted, olderThan: new Date(before).toISOString(), store: store.location }, 'audit lookups pruned');
      }
      return deleted;
    } catch (error) {
      logger.warn({ err: error, store: store.location }, 'audit lookups: could not prune them; will try again');
      return 0;
    }
  }
}
