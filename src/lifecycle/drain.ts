import type { AppLogger } from '../logger.js';
import type { ReadinessSwitch } from '../readiness/readiness.js';

/**
 * The graceful stop (SIGTERM), in the order that loses nothing:
 *
 * 1. /readyz fails (`draining`), so load balancers and Kubernetes stop sending work here;
 * 2. no new Slack requests: /slack/events answers 503 (Slack shows the person an error, nothing is half done), and
 *    Socket Mode disconnects so Slack delivers to another replica;
 * 3. work in flight (commands, clicks, submissions: an update waiting on NetEase among them) runs to its end, so its
 *    outcome is written to the audit trail and the person is answered; a batch or a rollback running in the
 *    background stops at its next safe point (its calls in flight answered and recorded, nothing more sent), for the next start to report
 *    as interrupted, with Continue;
 * 4. the audit outbox gets a last try at what it has not posted;
 * 5. what is still left is logged for the next start, and the caller stops the rest and exits.
 *
 * All of it within `timeoutMs` (DRAIN_TIMEOUT_MS): work in flight may use up to 80 % of it, the outbox the rest up
 * to 95 %, leaving the last 5 % for closing connections. An update cut off by the bound keeps its intent without an
 * outcome; the next start reads the card back and settles it (the audit trail's recovery).
 */

export type DrainParts = {
  /** The `draining` readiness probe, ready until the drain begins. */
  draining: ReadinessSwitch;
  /** Closes the request gate (and disconnects Socket Mode). */
  stopTakingRequests(): Promise<void>;
  /** Resolves when no listener work is in flight or `deadline` settles first, with how much is still running. */
  whenIdle(deadline: Promise<unknown>): Promise<number>;
  /**
   * Work running in the background (a batch on many accounts, a rollback): asked to stop at its next safe point, for the next
   * start to report and continue; resolves by `deadline` with how much was still running.
   */
  pauseBackground?: (deadline: Promise<unknown>) => Promise<number>;
  /** The audit outbox's last try: resolves by `deadline` with the entries still unposted. None without an audit trail. */
  lastTry?: (deadline: Promise<unknown>) => Promise<number>;
  logger: AppLogger;
  /** @default 25000 */
  timeoutMs: number;
  /** @default Date.now */
  now?: () => number;
};

export type DrainReport = {
  /** Listener runs still going when the bound came: an update among them is settled at the next start. */
  inFlight: number;
  /** Batches and rollbacks still running when the bound came (their records say how far; the next start reports them). */
  background: number;
  /** Audit entries not posted yet: posted by the next start (or another replica sharing the store). */
  unposted: number;
  tookMs: number;
};

export async function drain(parts: DrainParts): Promise<DrainReport> {
  const now = parts.now ?? Date.now;
  const startedAt = now();
  const timers: NodeJS.Timeout[] = [];
  const after = (share: number) =>
    new Promise<void>((resolve) => {
      timers.push(setTimeout(resolve, Math.max(0, startedAt + parts.timeoutMs * share - now())).unref());
    });
  try {
    parts.draining.markNotReady('draining: stopping (SIGTERM), finishing the work in flight');
    parts.logger.info({ timeoutMs: parts.timeoutMs }, 'draining: not ready, no new requests, finishing the work in flight');
    await parts.stopTakingRequests();
    // Batches first: a listener waiting for one (a confirmed action on a few accounts) ends once it has paused.
    const paused = parts.pauseBackground?.(after(0.8)) ?? Promise.resolve(0);
    const inFlight = await parts.whenIdle(after(0.8));
    const background = await paused;
    const unposted = parts.lastTry ? await parts.lastTry(after(0.95)) : 0;
    const report: DrainReport = { inFlight, background, unposted, tookMs: now() - startedAt };
    if (inFlight === 0 && background === 0 && unposted === 0) {
      parts.logger.info(report, 'drained: nothing left for the next start');
    } else {
      parts.logger.warn(
        report,
        `drained within ${parts.timeoutMs} ms with work left for the next start: ${inFlight} request(s) still in flight ` +
          '(an update among them keeps its intent without an outcome; the next start reads the card back and settles it), ' +
          `${background} batch(es) or rollback(s) still running (reported as interrupted by the next start), ` +
          `${unposted} audit entr${unposted === 1 ? 'y' : 'ies'} not yet posted to the audit channel (posted after the next start)`,
      );
    }
    return report;
  } finally {
    timers.forEach(clearTimeout);
  }
}
