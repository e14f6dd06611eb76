/** A day, in ms: how often the audit trail's housekeeping (chain head, lookup retention) runs by default. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs `task` now, then every `everyMs` until stopped. The task must not reject (it logs its own failures, and the
 * next round tries again). The timer is unref'd: housekeeping never keeps the process alive.
 */
export class RepeatingTask {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly task: () => Promise<unknown>,
    private readonly everyMs: number = DAY_MS,
  ) {}

  async start(): Promise<void> {
    // The timer first: a stop() while the first round still runs then stops the rounds after it too.
    this.timer = setInterval(() => void this.task(), this.everyMs);
    this.timer.unref();
    await this.task();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
