import type { EmulatorEndpoint, Fault } from './types.js';

type ArmedFault = { endpoint: EmulatorEndpoint | '*'; fault: Fault; remaining: number };

/** What the faults of one phase do to one request: wait this long, then maybe answer this instead. */
export type FaultEffect = { latencyMs: number; replace?: Exclude<Fault, { kind: 'latency' }> };

export type FaultPhase = 'before' | 'after';

/**
 * Injected faults. A request takes its faults twice: 'before' (faults without afterApply) as it arrives, and
 * 'after' (faults with afterApply) once its handler ran. In each phase every matching latency fault adds its delay
 * and the first matching answer-replacing fault replaces the answer; only faults that take effect use up a time.
 */
export class FaultBook {
  #armed: ArmedFault[] = [];

  inject(endpoint: EmulatorEndpoint | '*', fault: Fault, times = Number.POSITIVE_INFINITY): void {
    if (!(times > 0) || (Number.isFinite(times) && !Number.isInteger(times))) {
      throw new RangeError(`injectFault: times must be a positive whole number, got ${times}`);
    }
    if (fault.kind === 'latency' && !(fault.ms >= 0)) throw new RangeError(`injectFault: latency ms must be ≥ 0`);
    if (fault.kind === 'http_status' && !(fault.status >= 100 && fault.status <= 599)) {
      throw new RangeError(`injectFault: HTTP status must be 100–599, got ${fault.status}`);
    }
    this.#armed.push({ endpoint, fault: { ...fault }, remaining: times });
  }

  clear(): void {
    this.#armed = [];
  }

  take(endpoint: string, phase: FaultPhase): FaultEffect {
    const effect: FaultEffect = { latencyMs: 0 };
    if (this.#armed.length === 0) return effect;
    for (const armed of this.#armed) {
      if (armed.endpoint !== '*' && armed.endpoint !== endpoint) continue;
      if ((armed.fault.afterApply === true) !== (phase === 'after')) continue;
      if (armed.fault.kind === 'latency') {
        effect.latencyMs += armed.fault.ms;
      } else if (effect.replace === undefined) {
        effect.replace = armed.fault;
      } else {
        continue;
      }
      armed.remaining -= 1;
    }
    this.#armed = this.#armed.filter((armed) => armed.remaining > 0);
    return effect;
  }
}
