import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type CustomRoute } from '@slack/bolt';
import type { AuditWiring } from '../audit/trail-lifecycle.js';
import { boltLogger, type AppLogger } from '../logger.js';
import { metricsRoute } from '../metrics/route.js';
import type { Directory } from '../policy/directory.js';
import { readyzRoute } from '../readiness/route.js';
import type { SlackApp, SlackAppOptions } from './app-options.js';
import { BotIdentity, isTokenRejected } from './bot-identity.js';
import { installRequestContext } from './interaction/request-context.js';
import { DrainGate } from './receiver/drain-gate.js';
import { installLayers } from './receiver/install.js';
import { listenForRoutes, originOf } from './receiver/routes.js';
import { DEFAULT_MAX_BODY_BYTES } from './receiver/verify-request.js';

export type { SlackApp, SlackAppOptions, SlackConnection } from './app-options.js';

const healthz: CustomRoute = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  },
};

/** The Web API clients and the bot's identity, made before the app so that the directory and the audit posts can use them. */
export type SlackClients = {
  /** A WebClient with the bot token, on the configured API URL. */
  client: webApi.WebClient;
  /** The same without retries, for start-up's auth.test (it does its own backoff). */
  probeClient: webApi.WebClient;
  identity: BotIdentity;
};

/** The clients for `options.slack`. */
export function slackClients(options: Pick<SlackAppOptions, 'slack' | 'logger' | 'webApiRetries'>): SlackClients {
  const { slack } = options;
  const logger = boltLogger(options.logger);
  const clientOptions = clientOptionsOf(options);
  const client = new webApi.WebClient(slack.botToken, { ...clientOptions, logger });
  // Start-up asks auth.test once per attempt and does its own backoff (src/startup/): Bolt's 10 retries over 30
  // minutes would hold the start with nothing in the log but "fetch failed".
  const probeClient = new webApi.WebClient(slack.botToken, { ...clientOptions, retryConfig: { retries: 0 }, timeout: 10_000, logger });
  return { client, probeClient, identity: new BotIdentity(client, slack.botToken) };
}

/** What the composition root (src/compose.ts) hands the app: built parts, not settings to build them from. */
export type SlackAppParts = {
  options: SlackAppOptions;
  clients: SlackClients;
  directory: Directory;
  /**
   * Registers every listener (listeners.ts's table, with its dependencies bound). Returns what stops the timers some
   * keep (the App Home's paced republishing), called when the app stops taking requests.
   */
  registerListeners: (app: App) => () => void;
  /** The audit trail's lifecycle, when there is one: started before requests are taken, closed last. */
  audit?: AuditWiring;
  /** The lift schedule of timed mutes: started with the app, stopped when it stops taking requests. */
  lifts?: { start(): void; stop(): Promise<void> };
  /** Batches a dead process left: looked for once open, and then now and again (BatchService.watchInterrupted). */
  batches?: { watchInterrupted(): void; close(): void; pauseAll(deadline: Promise<unknown>): Promise<number> };
  /** Rollbacks a dead process left: looked for in the same way (RollbackService.watchInterrupted). */
  rollbacks?: { watchInterrupted(): void; close(): void; pauseAll(deadline: Promise<unknown>): Promise<number> };
};

/**
 * The Bolt app on its receiver (HTTP or Socket Mode) with its layers (receiver/), the per-request context
 * (interaction/request-context.ts), routes and listeners, and its lifecycle: listen, verify the token, open, drain, stop.
 */
export function createSlackApp(parts: SlackAppParts): SlackApp {
  const { options, clients, directory, audit, lifts, batches, rollbacks } = parts;
  const { slack } = options;
  const { client, probeClient, identity } = clients;
  const logger = boltLogger(options.logger);
  const metricsRoutes = options.metrics
    ? [metricsRoute(options.metrics, options.metricsToken === undefined ? {} : { token: options.metricsToken })]
    : [];
  const customRoutes = [
    healthz,
    ...(options.readiness ? [readyzRoute(options.readiness)] : []),
    ...metricsRoutes,
    ...(options.customRoutes ?? []),
  ];
  const clientOptions = clientOptionsOf(options);
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
  // convoStore: false: no listener keeps conversation state, and Bolt's default in-memory store builds a rejected
  // Error (stack and all) for every incoming request just to find that out.
  const app = new App({ authorize: identity.authorize, receiver, clientOptions, logger, convoStore: false });
  const gate = new DrainGate();
  installLayers(app, receiver, {
    gate,
    endpoint: '/slack/events',
    verify: { signingSecret: slack.signingSecret, ...options.requestLimits, ...(options.now ? { now: options.now } : {}) },
    logger: options.logger,
  });
  installRequestContext(app, {
    newCorrelationId: options.newCorrelationId ?? (() => randomBytes(6).toString('hex')),
    logger: options.logger,
    gate,
  });
  const stopListeners = parts.registerListeners(app);
  app.error((error) => {
    options.logger.error({ err: error }, 'unhandled error in a Slack listener');
    return Promise.resolve();
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
      const server = await receiver.start({ port: listen.port ?? 3000, host });
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
      batches?.watchInterrupted();
      rollbacks?.watchInterrupted();
      if (receiver instanceof SocketModeReceiver) {
        await receiver.client.start();
        socketConnected = true;
      }
      gate.open();
    },
    async stopTakingRequests() {
      gate.close();
      batches?.close();
      rollbacks?.close();
      stopListeners();
      await lifts?.stop();
      if (socketConnected) {
        socketConnected = false;
        await receiver.stop();
      }
    },
    async pauseBatches(deadline) {
      const left = await Promise.all([batches?.pauseAll(deadline) ?? 0, rollbacks?.pauseAll(deadline) ?? 0]);
      return left[0] + left[1];
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

function clientOptionsOf(options: Pick<SlackAppOptions, 'slack' | 'webApiRetries'>) {
  return {
    ...(options.slack.apiUrl ? { slackApiUrl: options.slack.apiUrl } : {}),
    ...(options.webApiRetries === undefined ? {} : { retryConfig: { retries: options.webApiRetries } }),
  };
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
