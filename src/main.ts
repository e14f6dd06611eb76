import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from './config.js';
import { startLocalParts } from './local-mode.js';
import { createMetrics } from './metrics/registry.js';
import { createNimClient } from './nim/client.js';
import { createRateBudget } from './nim/budget/create-budget.js';
import type { SlackApi } from './simulator/slack-api.js';
import { createSlackApp } from './slack/app.js';
import { createLogger, lightChildren } from './logger.js';
import type { DestinationStream } from 'pino';
import { Readiness, ReadinessSwitch } from './readiness/readiness.js';
import { checkConnectivity, describeFailures, retryUntilReachable } from './startup/connectivity.js';
import { netEaseCheck, slackCheck } from './startup/checks.js';
import { drain, type DrainReport } from './lifecycle/drain.js';
import { stopOnSignals } from './lifecycle/signals.js';
import { tuneHeap } from './heap-tuning.js';

/**
 * The entry: reads the settings, starts local stand-ins where local mode asks for them (the NetEase emulator, the
 * local Slack Web API), and wires the NetEase client and the Bolt app together. The port opens first (/healthz,
 * /readyz); requests are taken once Slack and NetEase have answered (src/startup/). Nothing else happens here.
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
  // GET /metrics: a registry of this server's own, so several servers in one process (tests) do not mix counts.
  const metrics = createMetrics({ processMetrics: true });
  const closers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const close of closers.reverse()) await close().catch((error: unknown) => logger.error({ err: error }, 'stop failed'));
  };
  try {
    // Local mode: the emulator and/or the local Slack with the browser simulator, for what the settings leave out.
    const local = await startLocalParts(settings);
    closers.push(() => local.close());
    // From here on, the settings as local mode completed them (its writer user group and audit channel).
    const config = local.config;
    const nimSettings = local.nim;
    // The budget is ours, not the client's (it may hold a Redis connection that would keep the process alive).
    const rateBudget = createRateBudget(nimSettings, { logger: logger.child({ component: 'rate-budget' }) });
    closers.push(() => rateBudget.close());
    const nim = createNimClient(nimSettings, {
      rateBudget,
      logger: logger.child({ component: 'nim' }),
      onCall: metrics.nimCall,
    });
    metrics.watchRateBudget(nim.rateBudget);
    closers.push(() => nim.close());
    const slackApp = createSlackApp({
      slack: local.slack,
      access: config.access,
      nim,
      // One child per command, click and submission: children that merge their bindings per line (src/logger.ts).
      logger: lightChildren(logger),
      metrics,
      ...(config.metrics.token ? { metricsToken: config.metrics.token } : {}),
      ...(config.qchat.operatorAccid ? { qchatOperatorAccid: config.qchat.operatorAccid } : {}),
      socketModeHttpPort: config.port,
      customRoutes: local.customRoutes,
      // Every update is audited (the store AUDIT_DATABASE_URL or AUDIT_LOG names, posted to AUDIT_CHANNEL).
      audit: {
        logPath: config.audit.logPath,
        rotateBytes: config.audit.rotateBytes,
        ...(config.audit.databaseUrl ? { databaseUrl: config.audit.databaseUrl } : {}),
        ...(config.audit.channel ? { channel: config.audit.channel } : {}),
        lookupRetentionDays: config.audit.lookupRetentionDays,
        leaseMs: config.audit.leaseMs,
      },
      readiness,
    });
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
