import type { DrainReport } from './drain.js';

/** What the signals stop: a started server (src/main.ts's RunningServer is one). */
export type StoppableServer = {
  /** Rejects when start-up fails for good. */
  ready: Promise<void>;
  drain(): Promise<DrainReport>;
  stop(): Promise<void>;
  /** DRAIN_TIMEOUT_MS. */
  drainTimeoutMs: number;
};

/**
 * How the process ends (src/main.ts's main() only; tests drive RunningServer themselves):
 *
 * - SIGTERM (orchestrators) or SIGINT (Ctrl-C): drain, stop, exit 0, all within DRAIN_TIMEOUT_MS, so an
 *   orchestrator's grace period is never the one that ends it. At the bound the process exits whatever is still
 *   closing: with 0 when the drain finished (what it left, e.g. a NetEase call still held, is logged and settled by the
 *   next start; closing its connection would only wait for it), with 1 when the drain itself did not;
 * - a second signal while draining: exit 1 at once (an impatient Ctrl-C);
 * - start-up failing for good after the port opened (a credential rejected once Slack or NetEase answered): exit 1.
 */
export function stopOnSignals(server: StoppableServer): void {
  let stopping = false;
  server.ready.catch((error: unknown) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`im-admin cannot start: ${(error as Error).message}\n`);
    void server.stop().then(() => process.exit(1));
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`im-admin: ${signal} again while stopping: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    let drained = false;
    setTimeout(() => {
      process.stderr.write(`im-admin: still stopping ${server.drainTimeoutMs} ms after ${signal} (DRAIN_TIMEOUT_MS): exiting\n`);
      process.exit(drained ? 0 : 1);
    }, server.drainTimeoutMs).unref();
    void server
      .drain()
      .then(() => {
        drained = true;
        return server.stop();
      })
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
