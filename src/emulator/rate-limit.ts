/** The last `limit` arrival times of one app on one endpoint, in a ring: O(1) per call, whatever the traffic. */
class CallWindow {
  readonly #stamps: Float64Array;
  #next = 0;
  #filled = 0;
  blockedUntil = Number.NEGATIVE_INFINITY;

  constructor(limit: number) {
    this.#stamps = new Float64Array(limit);
  }

  /** The arrival time `limit` calls ago, once there have been that many. */
  oldest(): number | undefined {
    return this.#filled === this.#stamps.length ? this.#stamps[this.#next] : undefined;
  }

  record(at: number): void {
    this.#stamps[this.#next] = at;
    this.#next = (this.#next + 1) % this.#stamps.length;
    this.#filled = Math.min(this.#filled + 1, this.#stamps.length);
  }
}

export type RateLimitSettings = {
  /** Calls allowed in any rolling window. */
  limit: number;
  windowMs: number;
  /** How long the app stays blocked once it went over. */
  blockMs: number;
};

/**
 * NetEase's limit: `limit` calls per app per endpoint in any rolling `windowMs`, counted as calls arrive. The call
 * that goes over is refused and blocks the app on that endpoint for `blockMs`; every call during the block is refused
 * too, and refused calls do not enter the window (the block already says all there is to say).
 */
export class RateLimiter {
  readonly #windows = new Map<string, CallWindow>();

  constructor(readonly settings: RateLimitSettings) {}

  /** Counts one call of `appKey` on `endpoint` arriving at `at` (ms); false when it must be answered 416. */
  admit(appKey: string, endpoint: string, at: number): boolean {
    const key = `${appKey}\n${endpoint}`;
    let window = this.#windows.get(key);
    if (window === undefined) {
      window = new CallWindow(this.settings.limit);
      this.#windows.set(key, window);
    }
    if (at < window.blockedUntil) return false;
    const oldest = window.oldest();
    if (oldest !== undefined && at - oldest < this.settings.windowMs) {
      window.blockedUntil = at + this.settings.blockMs;
      return false;
    }
    window.record(at);
    return true;
  }

  /** The 416 text; NetEase's own wording is not documented, so this one says what happened. */
  describe(): string {
    const { limit, windowMs, blockMs } = this.settings;
    return `api rate limit exceeded: more than ${limit} calls in ${windowMs} ms, app blocked for ${blockMs} ms`;
  }
}
