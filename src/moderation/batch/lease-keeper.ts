import type { AuditTrail } from '../../audit/index.js';

/**
 * Keeps the leases of a batch's stored intents alive until their outcomes are stored, with one renewal for all every
 * third of the lease: until then no other process may settle them (it would read back an account still in flight).
 */
export class LeaseKeeper {
  readonly leaseMs: number;
  private readonly held = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly trail: AuditTrail) {
    this.leaseMs = trail.leaseMs ?? 30_000;
    this.timer = setInterval(() => this.renew(), this.leaseMs / 3);
    this.timer.unref();
  }

  hold(ids: readonly string[]): void {
    for (const id of ids) this.held.add(id);
  }

  release(id: string): void {
    this.held.delete(id);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private renew(): void {
    if (this.held.size === 0) return;
    const { store, owner, now, logger } = this.trail;
    store.renewLeases(owner, [...this.held], now() + this.leaseMs).catch((error: unknown) => {
      logger.warn({ batch: [...this.held][0], err: error }, 'audit store: could not renew the leases of a batch in flight');
    });
  }
}
