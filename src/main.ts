import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from './config.js';
import type { SlackApi } from './simulator/slack-api.js';
import { compose } from './compose.js';
import { createLogger } from './logger.js';
import type { DestinationStream } from 'pino';
import { Readiness, ReadinessSwitch } from './readiness/readiness.js';
import { checkConnectivity, describeFailures, retryUntilReachable } from './startup/connectivity.js';
import { netEaseCheck, slackCheck } from './startup/checks.js';
import { drain, type DrainReport } from './lifecycle/drain.js';
import { stopOnSignals } from './lifecycle/signals.js';
import { tuneHeap } from './heap-tuning.js';

/**
 * The process: reads the settings, has compose() build and wire the parts (src/compose.ts), then runs them: the port
 * opens first (/healthz, /readyz); requests are taken once Slack and NetEase have answered (src/startup/); a drain
 * and a stop end it (src/lifecycle/). Nothing is built here.
 */

export type StartOptions = {
  /** Where log lines go. @default stdout */
  logDestination?: DestinationStream;
  /** Backoff of start-up's connectivity retries, in ms. @default { baseDelayMs: 1000, maxDelayMs: 30000 } */
  startupRetry?: { baseDelayMs?: number; maxDelayMs?: number };
};

export type RunningServer = {
  /** The app's HTTP origin (HTTP mode): /slack/events and /healthz. */
  url?: string;
  /** Local mode only: what plays NetEase. */
  emulatorUrl?: string;
  /** Local mode only: what plays Slack, and the secret requests to the app must be signed with. */
  simulator?: { slack: SlackApi; signingSecret: string };
  /** What to print at start (local mode: the simulator's URL and the demo people). */
  banner: string;
  /** GET /readyz's probes: register more with `readiness.register(name, probe)`. */
  readiness: Readiness;
  /**
   * Resolves once Slack and NetEase have answered and requests are taken (at once when both answered the first time).
   * Rejects if, once reached, a service rejects the credentials, or the audit trail cannot start: stop and exit.
   */
  ready: Promise<void>;
  /**
   * The graceful stop's first part (src/lifecycle/drain.ts): not ready, no new requests, work in flight finished,
   * the audit outbox's last try, within DRAIN_TIMEOUT_MS. Call stop() after it.
   */
  drain(): Promise<DrainReport>;
  /** DRAIN_TIMEOUT_MS, for the caller's own bound on drain() + stop(). */
  drainTimeoutMs: number;
  stop(): Promise<void>;
};

export async function startServer(env: Record<string, string | undefined>, options: StartOptions = {}): Promise<RunningServer> {
  const settings = loadConfig(env);
  // JSON lines; secrets and personal fields redacted (src/logger.ts). The secret values are scrubbed from texts too.
  const logger = createLogger(
    {
      level: settings.logLevel,
      secrets: [env.NIM_APP_SECRET, env.SLACK_BOT_TOKEN, env.SLACK_SIGNING_SECRET, env.SLACK_APP_TOKEN, env.METRICS_TOKEN],
    },
    options.logDestination,
  );
  const readiness = new Readiness();
  const startup = new ReadinessSwitch('starting: Slack and NetEase not reached yet');
  readiness.register('startup', startup.probe);
  const draining = new ReadinessSwitch('');
  draining.markReady();
  readiness.register('draining', draining.probe);
  const closers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const close of closers.reverse()) await close().catch((error: unknown) => logger.error({ err: error }, 'stop failed'));
  };
  try {
    // Everything the app is made of, built and wired in one place (src/compose.ts).
    const composed = await compose(settings, { logger, readiness });
    closers.push(() => composed.close());
    const { local, nim, slackApp, config } = composed;
    const nimSettings = local.nim;
    const host = local.host ?? '0.0.0.0';
    const { url } = await slackApp.listen({ port: config.port, host });
    closers.push(async () => {
      local.endPageStreams();
      await slackApp.stop();
    });
    if (url) local.connect(url);

    // Slack and NetEase, asked once now: a rejected credential throws (the start stops); what is out of reach is
    // asked again in the background, with /readyz failing and the reason logged, until it answers.
    const checks = [
      slackCheck(local.slack.apiUrl ?? 'https://slack.com/api/', () => slackApp.verifySlack()),
      netEaseCheck(nim, nimSettings.baseUrl),
    ];
    const takeRequests = async () => {
      await slackApp.open();
      startup.markReady();
    };
    const unreachable = await checkConnectivity(checks);
    let ready: Promise<void>;
    if (unreachable.length === 0) {
      await takeRequests();
      ready = Promise.resolve();
    } else {
      startup.markNotReady(describeFailures(unreachable));
      const retrying = new AbortController();
      closers.push(() => Promise.resolve(retrying.abort(new Error('im-admin stopped before Slack and NetEase could be reached'))));
      ready = retryUntilReachable(unreachable, {
        logger,
        ...options.startupRetry,
        signal: retrying.signal,
        onFailures: (failures) => startup.markNotReady(describeFailures(failures)),
      }).then(async () => {
        await takeRequests();
        logger.info({}, 'Slack and NetEase reached: ready, taking requests');
      });
      ready.catch(() => {}); // main() handles it; a test may not ask
    }
    return {
      ...(url ? { url } : {}),
      ...(local.emulator ? { emulatorUrl: local.emulator.url } : {}),
      ...(local.slackApi ? { simulator: { slack: local.slackApi, signingSecret: local.slack.signingSecret } } : {}),
      banner: local.banner(url, host),
      readiness,
      ready,
      drain: () =>
        drain({
          draining,
          stopTakingRequests: () => slackApp.stopTakingRequests(),
          whenIdle: (deadline) => slackApp.gate.whenIdle(deadline),
          pauseBackground: (deadline) => slackApp.pauseBatches(deadline),
          ...(slackApp.audit ? { lastTry: (deadline: Promise<unknown>) => slackApp.audit!.lastTry(deadline) } : {}),
          logger,
          timeoutMs: settings.drainTimeoutMs,
        }),
      drainTimeoutMs: settings.drainTimeoutMs,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function main(): Promise<void> {
  tuneHeap();
  let server: RunningServer;
  try {
    server = await startServer(process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `im-admin cannot start: ${(error as Error).message}`}\n`);
    process.exit(1);
  }
  process.stdout.write(`${server.banner}\n`);
  stopOnSignals(server);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
