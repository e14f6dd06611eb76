import { realScheduler, type Scheduler } from '../local.js';
import type { RateBudget, RateBudgetStats } from '../contract.js';
import { RedisBudgetUnavailableError, type RedisRateBudget } from './redis-budget.js';

/** The slice of a pino logger the budget needs. */
export type BudgetLogger = {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
};

export type FailoverRateBudgetOptions = {
  /** The shared budget in Redis, used whenever Redis answers. */
  shared: RedisRateBudget;
  /** This replica's share (rate ÷ replicas), used while Redis does not answer. */
  local: RateBudget & { readonly ratePerSecond: number };
  /** Resolves when Redis answers again (e.g. PING). */
  probe: () => Promise<unknown>;
  /** Closes the Redis connection on close(). */
  disconnect: () => Promise<void>;
  logger: BudgetLogger;
  /** How often to ask Redis again while on the local budget, in ms. @default 2000 */
  probeIntervalMs?: number;
  /** @default setTimeout */
  schedule?: Scheduler;
};

export type BudgetMode = 'shared' | 'local';

const noop = () => undefined;

/**
 * Redis first, a local share when Redis is unreachable: neither stops service nor ignores the limit.
 *
 * Every 416 is also recorded in the local budget, so a Redis outage in the middle of a cool-down still honours it,
 * and a cool-down started while on the local budget is handed to Redis when it comes back.
 */
export class FailoverRateBudget implements RateBudget {
  private readonly shared: RedisRateBudget;
  private readonly local: RateBudget & { readonly ratePerSecond: number };
  private readonly probe: () => Promise<unknown>;
  private readonly disconnect: () => Promise<void>;
  private readonly logger: BudgetLogger;
  private readonly probeIntervalMs: number;
  private readonly schedule: Scheduler;
  private currentMode: BudgetMode = 'shared';
  private cancelProbe: (() => void) | undefined;
  private fallbacks = 0;
  private closed = false;

  constructor(options: FailoverRateBudgetOptions) {
    this.shared = options.shared;
    this.local = options.local;
    this.probe = options.probe;
    this.disconnect = options.disconnect;
    this.logger = options.logger;
    this.probeIntervalMs = options.probeIntervalMs ?? 2000;
    this.schedule = options.schedule ?? realScheduler;
  }

  get mode(): BudgetMode {
    return this.currentMode;
  }

  async acquire(endpoint: string): Promise<void> {
    await this.take(endpoint, false);
  }

  /** The shared budget's slot while Redis answers, the local budget's otherwise. Call done() with the answer in. */
  acquireSlot(endpoint: string): Promise<() => void> {
    return this.take(endpoint, true);
  }

  private async take(endpoint: string, tracked: boolean): Promise<() => void> {
    const localDones: (() => void)[] = [];
    const doneAll = (done: () => void) => () => {
      done();
      for (const localDone of localDones) localDone();
    };
    for (;;) {
      if (this.currentMode === 'shared') {
        try {
          if (tracked) return doneAll(await this.shared.acquireSlot(endpoint));
          await this.shared.acquire(endpoint);
          return doneAll(noop);
        } catch (error) {
          if (!(error instanceof RedisBudgetUnavailableError)) {
            for (const localDone of localDones) localDone();
            throw error;
          }
          this.fallBack(error);
        }
      }
      const localDone = tracked && this.local.acquireSlot ? await this.local.acquireSlot(endpoint) : await this.localAcquire(endpoint);
      // Redis came back while this caller queued locally: it takes a shared slot too, so the local grants of every
      // replica do not stack on top of the shared budget in the same second.
      if (this.currentMode === 'local' || this.closed) return localDone;
      localDones.push(localDone);
    }
  }

  reportRateLimited(endpoint: string): void {
    this.local.reportRateLimited(endpoint);
    if (this.currentMode === 'shared') this.shared.reportRateLimited(endpoint);
  }

  stats(): RateBudgetStats & { mode: BudgetMode; fallbacks: number } {
    const shared = this.shared.stats();
    const local = this.local.stats();
    return {
      queued: shared.queued + local.queued,
      // Every 416 this replica saw reaches the local budget, whichever mode: it counts the cool-downs started here.
      coolDowns: local.coolDowns,
      coolDownRemainingMs: Math.max(shared.coolDownRemainingMs, local.coolDownRemainingMs),
      mode: this.currentMode,
      fallbacks: this.fallbacks,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelProbe?.();
    this.cancelProbe = undefined;
    await Promise.all([this.shared.close(), this.local.close()]);
    await this.disconnect();
  }

  private async localAcquire(endpoint: string): Promise<() => void> {
    await this.local.acquire(endpoint);
    return noop;
  }

  private fallBack(error: RedisBudgetUnavailableError): void {
    if (this.currentMode === 'local' || this.closed) return;
    this.currentMode = 'local';
    this.fallbacks += 1;
    // A cool-down another replica started is known here only from Redis's answers: keep honouring it locally.
    if (this.shared.stats().coolDownRemainingMs > 0) this.local.reportRateLimited('(shared cool-down)');
    const rate = this.local.ratePerSecond;
    this.logger.error(
      { err: error.cause ?? error, sharedRatePerSecond: this.shared.ratePerSecond, localRatePerSecond: rate },
      `Redis unreachable: falling back to a local budget of ${rate}/s (NIM_RATE_LIMIT ÷ NIM_REPLICAS) until it answers`,
    );
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.closed) return;
    this.cancelProbe = this.schedule(() => {
      this.cancelProbe = undefined;
      void this.tryShared();
    }, this.probeIntervalMs);
  }

  private async tryShared(): Promise<void> {
    try {
      await this.probe();
      const remaining = this.local.stats().coolDownRemainingMs;
      if (remaining > 0) await this.shared.startCoolDown(remaining);
    } catch {
      this.scheduleProbe();
      return;
    }
    if (this.closed) return;
    this.currentMode = 'shared';
    this.logger.warn(
      { sharedRatePerSecond: this.shared.ratePerSecond },
      `Redis reachable again: back to the shared budget of ${this.shared.ratePerSecond}/s`,
    );
  }
}
