import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type CustomRoute } from '@slack/bolt';
import type { Config } from '../config.js';
import { recordLookup, type AuditStore } from '../audit/index.js';
import type { Metrics } from '../metrics/registry.js';
import { metricsRoute } from '../metrics/route.js';
import { Directory } from '../policy/directory.js';
import { imUserEditSubcommand, registerEditCardButton } from './actions/edit-card.js';
import { registerMuteStatusButton } from './actions/mute-status.js';
import { registerShareButton } from './actions/share.js';
import { registerAuditHistoryMore } from './actions/audit-history-more.js';
import { registerImAudit } from './commands/im-audit.js';
import { registerImMuteStatus } from './commands/im-mute-status.js';
import { registerImUser } from './commands/im-user.js';
import { registerQchatNick } from './commands/qchat-nick.js';
import { registerQchatMember } from './commands/qchat-member.js';
import { createAuditWiring, type AuditSettings, type AuditWiring } from './audit-wiring.js';
import { registerEditCardSubmission } from './submissions/edit-card.js';
import { registerQchatNickSubmission } from './submissions/qchat-nick.js';
import { registerModeration } from './moderation/register.js';
import { LiftScheduler } from '../moderation/scheduler.js';
import { metadataKey } from './views/metadata.js';
import type { NimWriter, WriteDeps } from './writer.js';
import { BotIdentity, isTokenRejected } from './bot-identity.js';
import { boltLogger, type AppLogger } from '../logger.js';
import { ackUnhandled } from './receiver-guards.js';
import { DEFAULT_MAX_BODY_BYTES, guardRequests } from './request-guard.js';
import { notReady, READY, type Readiness, type ReadinessProbe } from '../readiness/readiness.js';
import { readyzRoute } from '../readiness/route.js';
import { RequestGate } from './request-gate.js';
import { listenForRoutes, originOf } from './routes-server.js';
import { webClientPeopleSource } from './people-source.js';
import { usergroupHandles } from './usergroup-handles.js';
import type { ReadDeps } from './reader.js';

/** How the app meets Slack: over HTTP (signed requests on /slack/events) or, with an app token, Socket Mode. */
export type SlackConnection = {
  botToken: string;
  signingSecret: string;
  /** xapp-… app-level token: Socket Mode instead of HTTP. */
  appToken?: string;
  /** Web API base URL, ending in `/`. @default Slack's (https://slack.com/api/) */
  apiUrl?: string;
};

export type SlackAppOptions = {
  slack: SlackConnection;
  access: Config['access'];
  nim: NimWriter;
  logger: AppLogger & { level?: string };
  /**
   * The audit trail (AUDIT_LOG, AUDIT_CHANNEL). Updates (the edit modal, /qchat-nick) exist only with one: every update
   * is audited, and lookups are logged. Without it the app only reads.
   */
  audit?: AuditSettings;
  /** Keys the HMAC sealing modal private_metadata. @default derived from the signing secret */
  metadataSecret?: string;
  /** @default a cached directory over the app's own WebClient */
  directory?: Directory;
  /** Milliseconds since the epoch, for the default directory's cache. @default Date.now */
  now?: () => number;
  /** Web API retries. @default Bolt's (10 over about 30 minutes); tests pass 0. */
  webApiRetries?: number;
  /**
   * One per command, click or submission: in its log lines, its NetEase calls and its audit entries (as their id).
   * @default 12 random hex characters
   */
  newCorrelationId?: () => string;
  /** Counts commands, refusals and (through its route) serves GET /metrics beside /healthz. */
  metrics?: Metrics;
  /** GET /metrics then needs `Authorization: Bearer <token>` (METRICS_TOKEN). @default open */
  metricsToken?: string;
  /** QCHAT_OPERATOR_ACCID: QChat member cards change through qchat/updateOtherServerMember.action as this operator. */
  qchatOperatorAccid?: string;
  /** Routes served beside /slack/events and /healthz (local mode adds the simulator's). */
  customRoutes?: CustomRoute[];
  /** How often due lifts of timed mutes are looked for, in ms. @default 15000 */
  liftPollMs?: number;
  /** In Socket Mode, the port of the HTTP server for /healthz and custom routes. @default 3000 */
  socketModeHttpPort?: number;
  /**
   * Bounds on requests to /slack/events, checked before a body is read whole (request-guard.ts).
   * @default 1 MiB, 5000 ms
   */
  requestLimits?: { maxBodyBytes?: number; bodyDeadlineMs?: number };
  /** Serves GET /readyz from these probes (src/readiness/). Without it there is no /readyz. */
  readiness?: Readiness;
};

export type SlackApp = {
  app: App;
  /** A WebClient with the bot token, on the configured API URL. */
  client: webApi.WebClient;
  directory: Directory;
  /** The audit trail, when `audit` was given. */
  audit?: AuditWiring;
  /** Whether Slack requests are taken, and the listener work in flight. */
  gate: RequestGate;
  /**
   * Opens the HTTP port with the gate closed: /healthz, /readyz and /metrics answer, /slack/events answers 503 until
   * `open()`. Returns the HTTP origin (HTTP mode; in Socket Mode the port only serves those routes).
   */
  listen(listen?: { port?: number; host?: string }): Promise<{ url?: string }>;
  /** auth.test once, without retries. Throws Slack's error (e.g. `invalid_auth`, or the network's). */
  verifySlack(): Promise<void>;
  /** Recovers the audit trail, then takes requests: opens the gate, and in Socket Mode connects to Slack. */
  open(): Promise<void>;
  /** Stops taking requests (the first step of a drain): closes the gate, and in Socket Mode disconnects. */
  stopTakingRequests(): Promise<void>;
  /** listen(), auth.test (a rejected token throws; Slack out of reach only warns), then open(). */
  start(listen?: { port?: number; host?: string }): Promise<{ url?: string }>;
  stop(): Promise<void>;
};

const healthz: CustomRoute = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  },
};

/** The Bolt app with the read side wired: /im-user, /im-mute-status, and the card buttons. */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { slack } = options;
  const logger = boltLogger(options.logger);
  const metricsRoutes = options.metrics
    ? [metricsRoute(options.metrics, options.metricsToken === undefined ? {} : { token: options.metricsToken })]
    : [];
  const customRoutes = [healthz, ...(options.readiness ? [readyzRoute(options.readiness)] : []), ...metricsRoutes, ...(options.customRoutes ?? [])];
  const clientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    ...(options.webApiRetries === undefined ? {} : { retryConfig: { retries: options.webApiRetries } }),
  };
  // Socket Mode's routes are served by listenForRoutes, so that they answer before the socket connects.
  const receiver = slack.appToken
    ? new SocketModeReceiver({ appToken: slack.appToken, logger, installerOptions: { clientOptions } })
    : new HTTPReceiver({
        signingSecret: slack.signingSecret,
        endpoints: '/slack/events',
        customRoutes,
        // Ack goes out before the NetEase work starts.
        processBeforeResponse: false,
        bodyLimit: options.requestLimits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        logger,
      });
  const client = new webApi.WebClient(slack.botToken, { ...clientOptions, logger });
  // Start-up asks auth.test once per attempt and does its own backoff (src/startup/): Bolt's 10 retries over 30
  // minutes would hold the start with nothing in the log but "fetch failed".
  const probeClient = new webApi.WebClient(slack.botToken, { ...clientOptions, retryConfig: { retries: 0 }, timeout: 10_000, logger });
  const identity = new BotIdentity(client, slack.botToken);
  // convoStore: false: no listener keeps conversation state, and Bolt's default in-memory store builds a rejected
  // Error (stack and all) for every incoming request just to find that out.
  const app = new App({ authorize: identity.authorize, receiver, clientOptions, logger, convoStore: false });
  ackUnhandled(app, options.logger);
  const gate = new RequestGate();
  gate.track(app);
  if (receiver instanceof HTTPReceiver) {
    guardRequests(receiver, {
      endpoint: '/slack/events',
      signingSecret: slack.signingSecret,
      ...options.requestLimits,
      ...(options.now ? { now: options.now } : {}),
      logger: options.logger,
    });
    // Applied last, so it runs first: while starting or draining, a request is refused before its body is read.
    gate.guard(receiver, '/slack/events', options.logger);
  }
  const directory =
    options.directory ??
    new Directory({
      source: webClientPeopleSource(client),
      // People of another workspace or org (shared channels, Slack Connect) are refused.
      installation: async () => {
        const { teamId, enterpriseId } = await identity.verify();
        return { ...(teamId ? { teamId } : {}), ...(enterpriseId ? { enterpriseId } : {}) };
      },
      ...(options.now ? { now: options.now } : {}),
    });
  const deps: ReadDeps = {
    nim: options.nim,
    directory,
    access: options.access,
    logger: options.logger,
    newCorrelationId: options.newCorrelationId ?? (() => randomBytes(6).toString('hex')),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };

  let audit: AuditWiring | undefined;
  let lifts: LiftScheduler | undefined;
  if (options.audit) {
    audit = createAuditWiring({
      settings: options.audit,
      client,
      nim: options.nim,
      logger: options.logger,
      usergroupHandles: (ids) => usergroupHandles(directory, ids, options.logger),
      ...(options.now ? { now: options.now } : {}),
    });
    const trail = audit.trail;
    options.metrics?.watchAuditPending(() => trail.outbox.pending());
    options.readiness?.register('audit-store', auditStoreProbe(trail.store));
    deps.recordLookup = async ({ correlationId, ...lookup }) =>
      void (await recordLookup(trail, { ...lookup, ...(correlationId === undefined ? {} : { id: correlationId }) }));
    deps.writeEnabled = true;
    const writeDeps: WriteDeps = {
      ...deps,
      nim: options.nim,
      trail,
      metadataKey: metadataKey(options.metadataSecret ?? slack.signingSecret),
      ...(options.qchatOperatorAccid ? { qchatOperatorAccid: options.qchatOperatorAccid } : {}),
      ...(options.now ? { now: options.now } : {}),
      // The audit store keeps the lift schedule of timed mutes, written with each mute's intent.
      liftSchedule: trail.store,
    };
    deps.moderateEnabled = true;
    deps.sanctionSource = trail.store;
    lifts = new LiftScheduler({
      schedule: trail.store,
      nim: options.nim,
      trail,
      owner: trail.owner,
      now: trail.now,
      logger: options.logger,
      ...(options.liftPollMs === undefined ? {} : { pollMs: options.liftPollMs }),
    });
    registerModeration(app, writeDeps);
    registerEditCardButton(app, writeDeps);
    registerEditCardSubmission(app, writeDeps);
    registerQchatNick(app, writeDeps);
    registerQchatNickSubmission(app, writeDeps);
    registerImUser(app, deps, imUserEditSubcommand(writeDeps));
    // The audit history reads the store the trail writes (with PostgreSQL, every replica's).
    const historyDeps = { ...deps, auditHistory: trail.store };
    registerImAudit(app, historyDeps);
    registerAuditHistoryMore(app, historyDeps);
  } else {
    registerImUser(app, deps);
  }
  registerImMuteStatus(app, deps);
  registerQchatMember(app, deps);
  registerMuteStatusButton(app, deps);
  registerShareButton(app, deps);
  app.error(async (error) => {
    options.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });

  let routesServer: Server | undefined;
  let httpListening = false;
  let socketConnected = false;
  const slackApp: SlackApp = {
    app,
    client,
    directory,
    ...(audit ? { audit } : {}),
    gate,
    async listen(listen = {}) {
      const host = listen.host ?? '0.0.0.0';
      if (receiver instanceof SocketModeReceiver) {
        routesServer = await listenForRoutes(customRoutes, { port: listen.port ?? options.socketModeHttpPort ?? 3000, host });
        return {};
      }
      const server = (await receiver.start({ port: listen.port ?? 3000, host })) as Server;
      httpListening = true;
      return { url: originOf(server) };
    },
    async verifySlack() {
      await identity.verify(probeClient);
    },
    async open() {
      // Before taking requests: post what a previous run left, and settle updates it died in the middle of.
      if (audit) options.logger.info(await audit.start(), 'audit trail started');
      // Lifts timed mutes now (those due while no process ran, audited as late) and then as they fall due.
      lifts?.start();
      if (receiver instanceof SocketModeReceiver) {
        await receiver.client.start();
        socketConnected = true;
      }
      gate.open();
    },
    async stopTakingRequests() {
      gate.close();
      await lifts?.stop();
      if (socketConnected) {
        socketConnected = false;
        await receiver.stop();
      }
    },
    async start(listen = {}) {
      const where = await slackApp.listen(listen);
      await checkToken(() => slackApp.verifySlack(), options.logger);
      await slackApp.open();
      return where;
    },
    async stop() {
      await slackApp.stopTakingRequests();
      if (httpListening) {
        httpListening = false;
        await receiver.stop();
      }
      if (routesServer) await new Promise((resolve) => routesServer!.close(resolve));
      routesServer = undefined;
      await audit?.close();
    },
  };
  return slackApp;
}

/** /readyz: whether the audit store can take an intent now; without it every update would be refused. */
function auditStoreProbe(store: AuditStore): ReadinessProbe {
  return async () =>
    (await store.ready())
      ? READY
      : notReady(`the audit store (${store.kind} ${store.location}) cannot take an intent: updates and lookups are refused`);
}

/** A rejected token stops the start with a clear message; Slack being unreachable only warns (it is asked again later). */
async function checkToken(verify: () => Promise<void>, logger: AppLogger): Promise<void> {
  try {
    await verify();
    logger.info({}, 'Slack accepted the bot token');
  } catch (error) {
    if (isTokenRejected(error)) {
      throw new Error(`Slack rejected SLACK_BOT_TOKEN (${(error as { data: { error: string } }).data.error})`, { cause: error });
    }
    logger.warn({ err: error }, 'could not reach Slack to check the bot token; will try again on the first request');
  }
}
