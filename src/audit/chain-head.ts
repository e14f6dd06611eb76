import type { AuditLogger } from './audit-logger.js';
import { DAY_MS, RepeatingTask } from './repeating-task.js';
import type { AuditStore, ChainHead } from './store/contract.js';

/**
 * Posts the chain head (how many records, the newest one's SHA-256) to the audit channel at start and once a day, so
 * that rewriting the trail would need Slack's copy of the head rewritten too (as CloudTrail's digest files anchor each
 * hour to the last). Without an audit channel, or while the chain is empty, the head is only logged. The timer is
 * unref'd.
 */
export class ChainHeadPublisher {
  private readonly rounds: RepeatingTask;

  constructor(
    private readonly options: {
      store: AuditStore;
      /** Posts the head to the audit channel; absent without AUDIT_CHANNEL. */
      post?: (head: ChainHead) => Promise<void>;
      logger: AuditLogger;
      /** @default 86400000 (a day) */
      everyMs?: number;
    },
  ) {
    this.rounds = new RepeatingTask(() => this.publish(), options.everyMs ?? DAY_MS);
  }

  /** Publishes now, then every `everyMs`. Never rejects: a failure is logged and the next day tries again. */
  start(): Promise<void> {
    return this.rounds.start();
  }

  close(): void {
    this.rounds.stop();
  }

  private async publish(): Promise<void> {
    const { store, post, logger } = this.options;
    try {
      const head = await store.head();
      logger.info?.({ store: store.kind, ...head }, 'audit chain head');
      // An empty chain has nothing to anchor.
      if (head.count > 0) await post?.(head);
    } catch (error) {
      logger.warn({ err: error }, 'audit chain head: could not publish it; will try again tomorrow');
    }
  }
}
