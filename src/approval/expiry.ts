import { RepeatingTask } from '../audit/repeating-task.js';
import type { ApprovalState, ApprovalStore } from '../audit/store/approvals.js';

/**
 * Ends requests nobody decided in time: every `everyMs` the pending requests past their time are moved to expired
 * (each by one process only, whatever the replicas) and handed to `onExpired` (update the request's message, tell the
 * requester, audit). Nothing is sent to NetEase for an expired request.
 */
export class ApprovalExpiry {
  private readonly rounds: RepeatingTask;

  constructor(
    private readonly options: {
      store: ApprovalStore;
      now: () => number;
      onExpired: (state: ApprovalState) => Promise<void>;
      logger: { warn(details: Record<string, unknown>, message: string): void };
      /** How often expired requests are looked for, in ms. @default 30000 */
      everyMs?: number;
    },
  ) {
    this.rounds = new RepeatingTask(() => this.expireDue(), options.everyMs ?? 30_000);
  }

  start(): Promise<void> {
    return this.rounds.start();
  }

  stop(): void {
    this.rounds.stop();
  }

  /** One round; never rejects (a failure is logged and the next round tries again). Returns the requests it ended. */
  async expireDue(): Promise<ApprovalState[]> {
    const { store, now, onExpired, logger } = this.options;
    let expired: ApprovalState[];
    try {
      expired = await store.expireApprovals({ now: now(), limit: 50 });
    } catch (error) {
      logger.warn({ err: error }, 'approvals: could not look for expired requests; will try again');
      return [];
    }
    for (const state of expired) {
      await onExpired(state).catch((error: unknown) => {
        logger.warn({ err: error, approval: state.id }, 'approvals: telling of an expired request failed');
      });
    }
    return expired;
  }
}
