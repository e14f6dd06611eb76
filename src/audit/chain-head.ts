import type { AuditLogger } from './audit-logger.js';
import { DAY_MS, RepeatingTask } from './repeating-task.js';
import type { AuditStore, ChainHead } from './store/contract.js';

/**
 * Posts the chain head (how many records, the newest one's SHA-256) to the audit channel at start, once a day, and
 * after the outbox posts entries (`afterPosting`, at most once per `minGapMs`), so that rewriting the trail would need
 * Slack's copy of the head rewritten too (as CloudTrail's digest files anchor each hour to the last). Posting it after
 * entries makes cutting the newest records visible: `npm run audit -- verify --head <count>:<sha256>` with the last
 * head posted no longer reaches it. A head equal to the last one posted is not posted again. Without an audit
 * channel, or while the chain is empty, the head is only logged. Timers are unref'd.
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
      /** After entries were posted, the head follows at most this often, in ms. @default 60000 (a minute) */
      minGapMs?: number;
      /** Epoch ms. @default Date.now */
      now?: () => number;
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
    clearTimeout(this.followUp);
    this.followUp = undefined;
  }

  /** Entries were just posted: the head follows now, or once `minGapMs` has passed since the last one. */
  afterPosting(): void {
    if (this.followUp) return;
    const now = this.options.now ?? Date.now;
    const wait = Math.max(0, this.lastPublishedAt + (this.options.minGapMs ?? 60_000) - now());
    this.followUp = setTimeout(() => {
      this.followUp = undefined;
      void this.publish();
    }, wait);
    this.followUp.unref();
  }

  private followUp: NodeJS.Timeout | undefined;
  private lastPublishedAt = Number.NEGATIVE_INFINITY;
  private lastPosted: string | undefined;

  private async publish(): Promise<void> {
    const { store, post, logger } = this.options;
    this.lastPublishedAt = (this.options.now ?? Date.now)();
    try {
      const head = await store.head();
      const line = `${head.count} ${head.hash}`;
      if (line === this.lastPosted) return;
      logger.info?.({ store: store.kind, ...head }, 'audit chain head');
      // An empty chain has nothing to anchor.
      if (head.count > 0 && post) {
        await post(head);
        // Remembered outside the chain: a start that finds fewer records says so (head-check.ts).
        await store.rememberPostedHead?.(head);
      }
      this.lastPosted = line;
    } catch (error) {
      logger.warn({ err: error }, 'audit chain head: could not publish it; will try again after the next entries, or tomorrow');
    }
  }
}
