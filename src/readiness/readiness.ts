/**
 * `GET /readyz`: whether this replica should be sent work now. It is the conjunction of named probes, each answering
 * ready or not ready with a reason an operator can act on. Whatever can make the replica unfit registers one:
 *
 * - `startup` (src/startup/): Slack and NetEase have not both answered yet;
 * - `draining` (src/lifecycle/): SIGTERM arrived, the replica is finishing what it has;
 * - an audit store that cannot take an intent now (issue 10) registers its own, e.g.
 *   `readiness.register('audit-store', async () => ((await store.canTakeIntent()) ? READY : notReady('PostgreSQL …')))`.
 *
 * `/healthz` stays a liveness check (the process answers); `/readyz` is for load balancers and Kubernetes'
 * readinessProbe. A probe that throws or does not answer within the check's timeout counts as not ready.
 */

export type ProbeResult = { ready: true } | { ready: false; reason: string };
/** Should be quick (it runs on every /readyz): answer from state kept up to date elsewhere where possible. */
export type ReadinessProbe = () => ProbeResult | Promise<ProbeResult>;
export type ReadinessReport = { ready: boolean; probes: Record<string, ProbeResult> };

export const READY: ProbeResult = Object.freeze({ ready: true });
export const notReady = (reason: string): ProbeResult => ({ ready: false, reason });

export class Readiness {
  private readonly probes = new Map<string, ReadinessProbe>();

  /** Adds a probe under a unique name (it appears in /readyz). Returns a function that removes it. */
  register(name: string, probe: ReadinessProbe): () => void {
    if (this.probes.has(name)) throw new Error(`a readiness probe named "${name}" is already registered`);
    this.probes.set(name, probe);
    return () => {
      if (this.probes.get(name) === probe) this.probes.delete(name);
    };
  }

  /** Runs every probe concurrently. @param timeoutMs how long one probe may take before it counts as not ready */
  async check(timeoutMs = 1000): Promise<ReadinessReport> {
    const entries = await Promise.all([...this.probes].map(async ([name, probe]) => [name, await withTimeout(probe, timeoutMs)] as const));
    return { ready: entries.every(([, result]) => result.ready), probes: Object.fromEntries(entries) };
  }
}

/**
 * A probe whose answer is set by its owner: not ready with a reason until `markReady()`. The start-up and drain
 * states are kept this way, so /readyz reads them without doing any I/O.
 */
export class ReadinessSwitch {
  private state: ProbeResult;

  constructor(initialReason: string) {
    this.state = notReady(initialReason);
  }

  get ready(): boolean {
    return this.state.ready;
  }

  markReady(): void {
    this.state = READY;
  }

  markNotReady(reason: string): void {
    this.state = notReady(reason);
  }

  readonly probe: ReadinessProbe = () => this.state;
}

async function withTimeout(probe: ReadinessProbe, timeoutMs: number): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => resolve(notReady(`did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(probe), timedOut]);
  } catch (error) {
    return notReady(`the probe failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
