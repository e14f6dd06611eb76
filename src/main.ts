import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DEMO_APP, startEmulator } from './emulator/server.js';
import { createNimClient } from './nim/client.js';
import { createRateBudget } from './nim/rate-budget-factory.js';
import { startSlackApi, type SlackApi } from './simulator/slack-api.js';
import { createSlackApp, type SlackConnection } from './slack/app.js';

/**
 * The entry: reads the settings, starts local stand-ins where local mode asks for them (the NetEase emulator, the
 * local Slack Web API), and wires the NetEase client and the Bolt app together. Nothing else happens here.
 */

export type RunningServer = {
  /** The app's HTTP origin (HTTP mode): /slack/events and /healthz. */
  url?: string;
  /** Local mode only: what plays NetEase. */
  emulatorUrl?: string;
  /** Local mode only: what plays Slack, and the secret requests to the app must be signed with. */
  simulator?: { slack: SlackApi; signingSecret: string };
  stop(): Promise<void>;
};

export async function startServer(env: Record<string, string | undefined>): Promise<RunningServer> {
  const config = loadConfig(env);
  const logger = pino({ level: config.logLevel });
  const closers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const close of closers.reverse()) await close().catch((error: unknown) => logger.error({ err: error }, 'stop failed'));
  };
  try {
    const nimSettings = await netEaseSettings(config, closers);
    const slack = await slackConnection(config, closers);
    const nim = createNimClient(nimSettings, {
      rateBudget: createRateBudget(nimSettings, { logger: logger.child({ component: 'rate-budget' }) }),
      logger: logger.child({ component: 'nim' }),
    });
    closers.push(() => nim.close());
    const slackApp = createSlackApp({
      slack: slack.connection,
      access: config.access,
      nim,
      logger,
      socketModeHttpPort: config.port,
    });
    const host = config.slack.mode === 'simulator' ? '127.0.0.1' : '0.0.0.0';
    const { url } = await slackApp.start({ port: config.port, host });
    closers.push(() => slackApp.stop());
    return {
      ...(url ? { url } : {}),
      ...(nimSettings.mode === 'emulator' ? { emulatorUrl: nimSettings.baseUrl } : {}),
      ...(slack.simulator ? { simulator: slack.simulator } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Local mode starts the emulator on a free loopback port and uses its demo credentials. */
async function netEaseSettings(config: Config, closers: (() => Promise<unknown>)[]) {
  if (config.nim.mode === 'netease') return { ...config.nim, appKey: config.nim.appKey!, appSecret: config.nim.appSecret! };
  const emulator = await startEmulator({ apps: [DEMO_APP] });
  closers.push(() => emulator.close());
  return { ...config.nim, ...DEMO_APP, baseUrl: emulator.url, backupBaseUrl: undefined };
}

/** Local mode starts the local Slack Web API and signs with a secret generated for this run. */
async function slackConnection(
  config: Config,
  closers: (() => Promise<unknown>)[],
): Promise<{ connection: SlackConnection; simulator?: { slack: SlackApi; signingSecret: string } }> {
  if (config.slack.mode === 'workspace') {
    const { botToken, signingSecret, appToken, apiUrl } = config.slack;
    return { connection: { botToken, signingSecret, ...(appToken ? { appToken } : {}), ...(apiUrl ? { apiUrl } : {}) } };
  }
  const slack = await startSlackApi();
  closers.push(() => slack.close());
  const signingSecret = randomBytes(32).toString('hex');
  return { connection: { botToken: slack.botToken, signingSecret, apiUrl: slack.apiUrl }, simulator: { slack, signingSecret } };
}

async function main(): Promise<void> {
  let server: RunningServer;
  try {
    server = await startServer(process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `im-admin cannot start: ${(error as Error).message}`}\n`);
    process.exit(1);
  }
  const lines = [server.url ? `im-admin listening on ${server.url} (Slack requests on /slack/events, health on /healthz)` : 'im-admin connected to Slack in Socket Mode'];
  if (server.emulatorUrl) lines.push(`Local mode: NetEase is played by the emulator at ${server.emulatorUrl}`);
  if (server.simulator) {
    lines.push(
      `Local mode: Slack is played by the local Slack Web API at ${server.simulator.slack.apiUrl}`,
      `  Signed requests to ${server.url}/slack/events use the signing secret generated for this run: ${server.simulator.signingSecret}`,
      '  (a browser Slack simulator comes in a later version)',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.stop().then(() => process.exit(0)));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
