/**
 * The pacing contract every NetEase call goes through. One budget is shared by every caller in a process
 * (in-process implementation) or by every replica (Redis implementation).
 */
export interface RateBudget {
  /**
   * Resolves when this call may be sent. Calls are spread evenly (about 1000 / rate ms apart), never more than
   * `rate` in any rolling 1000 ms, and none during a cool-down.
   * Rejects with NimRateLimitedError (nothing sent) when the wait would exceed the bound.
   */
  acquire(endpoint: string): Promise<void>;
  /**
   * Optional, preferred when present: like acquire(), and the call keeps counting as "may be arriving at NetEase now"
   * until the returned done() is called with its answer in. NetEase counts on arrival, which lies anywhere between
   * release and answer; counting the whole span keeps the limit whatever the event loop or the network delays.
   */
  acquireSlot?(endpoint: string): Promise<() => void>;
  /** NetEase answered 416: start the shared cool-down (nothing is sent until it ends). */
  reportRateLimited(endpoint: string): void;
  /** For /metrics and the benchmark. */
  stats(): RateBudgetStats;
  /** Stops timers and connections. */
  close(): Promise<void>;
}

export type RateBudgetStats = {
  /** Callers waiting for a slot now. */
  queued: number;
  /** Cool-downs started since start-up. */
  coolDowns: number;
  /** Milliseconds left of the current cool-down, 0 when none. */
  coolDownRemainingMs: number;
};
