import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { NimCallEvent } from '../nim/call.js';
import type { CardSource } from '../nim/card-reads.js';
import type { RateBudgetStats } from '../nim/budget/contract.js';
import type { CommandOutcome } from './outcome.js';

/**
 * The app's Prometheus metrics, on a Registry of its own (never prom-client's global one), so tests and several apps
 * in one process do not collide. Served by GET /metrics (src/metrics/route.ts).
 */

export type MetricsOptions = {
  /** Also collect prom-client's default process metrics (CPU, memory, event loop lag) on this registry. @default false */
  processMetrics?: boolean;
};

/** The parts of the NetEase rate budget the gauges read at scrape time. */
export type BudgetSource = { stats(): RateBudgetStats };

export class Metrics {
  readonly registry = new Registry();
  private readonly nimCalls: Counter<'endpoint' | 'code'>;
  private readonly nimDuration: Histogram<'endpoint'>;
  private readonly cardReads: Counter<'source'>;
  private readonly commands: Counter<'command' | 'outcome'>;
  private readonly refusals: Counter<'action' | 'reason'>;
  private budget: BudgetSource | undefined;
  private auditPending: (() => number) | undefined;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.nimCalls = new Counter({
      name: 'im_admin_nim_calls_total',
      help: 'NetEase API attempts that reached the transport, by endpoint and NetEase code (or failure kind when NetEase did not answer)',
      labelNames: ['endpoint', 'code'],
      registers,
    });
    this.nimDuration = new Histogram({
      name: 'im_admin_nim_call_duration_seconds',
      help: 'Duration of one NetEase API attempt (send to answer or failure), in seconds',
      labelNames: ['endpoint'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.cardReads = new Counter({
      name: 'im_admin_nim_card_reads_total',
      help: 'Accounts in lookups people asked for, by where the card came from: cache (read moments ago), shared (a call already in flight for another lookup) or netease',
      labelNames: ['source'],
      registers,
    });
    // The collect() callbacks get the metric as `this`; these reach the registry's sources.
    const budgetStats = () => this.budgetStats();
    const auditPending = () => this.auditPending?.();
    new Gauge({
      name: 'im_admin_nim_budget_queue_depth',
      help: 'Callers waiting for a slot of the NetEase rate budget',
      registers,
      collect() {
        this.set(budgetStats()?.queued ?? 0);
      },
    });
    new Counter({
      name: 'im_admin_nim_budget_cooldowns_total',
      help: 'Cool-downs started after NetEase answered 416, since start-up',
      registers,
      collect() {
        this.reset();
        const coolDowns = budgetStats()?.coolDowns ?? 0;
        if (coolDowns > 0) this.inc(coolDowns);
      },
    });
    new Gauge({
      name: 'im_admin_nim_budget_cooldown_remaining_seconds',
      help: 'Seconds left of the current NetEase cool-down, 0 when none',
      registers,
      collect() {
        this.set((budgetStats()?.coolDownRemainingMs ?? 0) / 1000);
      },
    });
    new Gauge({
      name: 'im_admin_audit_pending',
      help: 'Finished audit entries waiting to be posted to the audit channel',
      registers,
      collect() {
        this.set(auditPending() ?? 0);
      },
    });
    this.commands = new Counter({
      name: 'im_admin_slack_commands_total',
      help: 'Slack slash commands handled, by command and outcome (ok, usage, refused, input_error, not_found, nim_error, audit_error, repeat, conflict, slack_error, error)',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.refusals = new Counter({
      name: 'im_admin_refusals_total',
      help: 'People refused by the access policy, by action (read, update_user_card, qchat_update_member) and reason',
      labelNames: ['action', 'reason'],
      registers,
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'im_admin_' });
  }

  /** For NimClient's `onCall` hook: one attempt that reached the transport. */
  readonly nimCall = (event: NimCallEvent): void => {
    const code = event.nimCode === undefined ? (event.failure ?? 'unknown') : String(event.nimCode);
    this.nimCalls.inc({ endpoint: event.endpoint, code });
    this.nimDuration.observe({ endpoint: event.endpoint }, event.durationMs / 1000);
  };

  /** For NimClient's `onCardRead` hook: one shareable lookup's accounts, by where their cards came from. */
  readonly cardRead = (counts: Readonly<Record<CardSource, number>>): void => {
    for (const [source, count] of Object.entries(counts)) if (count > 0) this.cardReads.inc({ source }, count);
  };

  /** The NetEase rate budget whose queue depth and cool-downs are reported. */
  watchRateBudget(budget: BudgetSource): void {
    this.budget = budget;
  }

  /** Where the number of audit entries waiting to be posted comes from (the audit outbox's `pending()`). */
  watchAuditPending(pending: () => number): void {
    this.auditPending = pending;
  }

  commandHandled(command: string, outcome: CommandOutcome): void {
    this.commands.inc({ command, outcome });
  }

  refused(action: string, reason: string): void {
    this.refusals.inc({ action, reason });
  }

  /** The exposition text and its content type, for GET /metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private budgetStats(): RateBudgetStats | undefined {
    try {
      return this.budget?.stats();
    } catch {
      return undefined;
    }
  }
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  return new Metrics(options);
}
