import { randomBytes } from 'node:crypto';
import type { Readiness } from '../../src/readiness/readiness.js';
import { pino } from 'pino';
import { defaultAccess, type Config } from '../../src/config.js';
import { DEMO_APP, startEmulator } from '../../src/emulator/server.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/types.js';
import type { Metrics } from '../../src/metrics/registry.js';
import { NimClient, type NimClientOptions } from '../../src/nim/client.js';
import { rapidRetryPolicy } from '../../src/nim/retry.js';
import type { FakePerson } from '../../src/simulator/people.js';
import type { ResponsePost } from '../../src/simulator/recorder.js';
import { startSlackApi, type SlackApi } from '../../src/simulator/slack-api.js';
import { composeSlackApp } from '../../src/compose.js';
import type { SlackApp, SlackAppOptions } from '../../src/slack/app.js';
import { createLogger } from '../../src/logger.js';
import type { AuditSettings } from '../../src/audit/trail-lifecycle.js';
import { clickButton, sendSlashCommand, type AppAnswer, type Signer } from './slack-requests.js';

/** The running app between a local Slack and the NetEase emulator, all on 127.0.0.1, for the app's tests. */
export type Harness = {
  emulator: Emulator;
  slack: SlackApi;
  app: SlackApp;
  /** http://127.0.0.1:port of the app */
  appUrl: string;
  signer: Signer;
  /** Sends a signed slash command as `user`; resolves when the app acked. */
  command(command: string, text: string, user?: string): Promise<{ ack: AppAnswer; responseId: string }>;
  /** The first answer posted to the response_url `responseId` (already arrived or next to arrive). */
  answer(responseId: string, timeoutMs?: number): Promise<ResponsePost>;
  /** Clicks a card button as `user`; resolves when the app acked. */
  click(actionId: string, accid: string, user?: string): Promise<{ ack: AppAnswer; responseId: string }>;
  close(): Promise<void>;
};

export type HarnessOptions = {
  /** Receives the app's log lines (JSON, through the production logger and its redaction). @default silent */
  logLines?: string[];
  people?: FakePerson[];
  usergroups?: Record<string, string[]>;
  access?: Partial<Config['access']>;
  emulator?: EmulatorOptions;
  /** Per NetEase attempt. @default 5000 */
  nimTimeoutMs?: number;
  /** More NetEase client options, e.g. a rate budget with a short 416 cool-down (test/hostile/nim-faults-fixture.ts). */
  nimOptions?: Partial<Omit<NimClientOptions, 'appKey' | 'appSecret' | 'baseUrl'>>;
  /** Wires the update side with this audit trail (test/slack/app/update-harness.ts makes one in a temp dir). */
  audit?: AuditSettings;
  /** The app's clock (Slack directory cache, audit times). @default Date.now */
  now?: () => number;
  /** How often the app looks for due lifts of timed mutes, in ms. @default the app's (15 s) */
  liftPollMs?: number;
  /** Counts NetEase calls, the budget, commands and refusals, and serves GET /metrics. */
  metrics?: Metrics;
  /** Bounds on request bodies (src/slack/receiver/verify-request.ts). @default the app's */
  requestLimits?: SlackAppOptions['requestLimits'];
  /** Serves GET /readyz from these probes. @default no /readyz */
  readiness?: Readiness;
  /** QCHAT_OPERATOR_ACCID. */
  qchatOperatorAccid?: string;
  /** IM_APPROVAL_FOR, IM_APPROVAL_MINUTES, IM_APPROVAL_CHANNEL and the expiry sweep's pace. */
  approvals?: Pick<SlackAppOptions, 'approvalPolicy' | 'approvalMinutes' | 'approvalChannel' | 'approvalExpiryEveryMs'>;
};

export const defaultPeople: FakePerson[] = [
  { id: 'U0MEMBER', name: 'Max Member', role: 'member' },
  { id: 'U0ADMIN', name: 'Ada Admin', role: 'admin' },
  { id: 'U0ZH', name: 'Li Ming', role: 'member', locale: 'zh-CN' },
  { id: 'U0GUEST', name: 'Gus Guest', role: 'guest' },
  { id: 'U0SCGUEST', name: 'Sol Single', role: 'single_channel_guest' },
  { id: 'U0BOT', name: 'Some Bot', role: 'bot' },
  { id: 'U0GONE', name: 'Dee Gone', role: 'deactivated' },
];

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator = await startEmulator(options.emulator);
  const slack = await startSlackApi({ people: options.people ?? defaultPeople, usergroups: options.usergroups ?? {} });
  const signingSecret = randomBytes(16).toString('hex');
  const nim = new NimClient({
    ...DEMO_APP,
    baseUrl: emulator.url,
    timeoutMs: options.nimTimeoutMs ?? 5000,
    retryPolicy: rapidRetryPolicy,
    ...(options.metrics ? { onCall: options.metrics.nimCall } : {}),
    ...options.nimOptions,
  });
  options.metrics?.watchRateBudget(nim.rateBudget);
  const app = composeSlackApp({
    slack: { botToken: slack.botToken, signingSecret, apiUrl: slack.apiUrl },
    access: { ...defaultAccess, ...options.access },
    nim,
    logger: options.logLines
      ? createLogger(
          { level: 'info', secrets: [DEMO_APP.appSecret, slack.botToken, signingSecret] },
          { write: (line: string) => void options.logLines!.push(line) },
        )
      : pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    webApiRetries: 0,
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.liftPollMs === undefined ? {} : { liftPollMs: options.liftPollMs }),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.requestLimits ? { requestLimits: options.requestLimits } : {}),
    ...(options.readiness ? { readiness: options.readiness } : {}),
    ...(options.qchatOperatorAccid ? { qchatOperatorAccid: options.qchatOperatorAccid } : {}),
    ...options.approvals,
  });
  const { url: appUrl } = await app.start({ port: 0, host: '127.0.0.1' });
  const signer: Signer = { eventsUrl: `${appUrl!}/slack/events`, signingSecret };
  let serial = 0;
  const newResponseId = () => `r${++serial}-${randomBytes(3).toString('hex')}`;

  return {
    emulator,
    slack,
    app,
    appUrl: appUrl!,
    signer,
    async command(command, text, user = 'U0MEMBER') {
      const responseId = newResponseId();
      const ack = await sendSlashCommand(signer, { command, text, user_id: user, response_url: slack.responseUrl(responseId) });
      return { ack, responseId };
    },
    answer: (responseId, timeoutMs = 10_000) => slack.waitForResponse(responseId, undefined, timeoutMs),
    async click(actionId, accid, user = 'U0MEMBER') {
      const responseId = newResponseId();
      const ack = await clickButton(signer, {
        userId: user,
        actionId,
        value: accid,
        responseUrl: slack.responseUrl(responseId),
        message: { ts: '1700000000.000100', text: 'cards' },
      });
      return { ack, responseId };
    },
    async close() {
      await app.stop();
      await nim.close();
      await Promise.all([slack.close(), emulator.close()]);
    },
  };
}

/** Everything a person would read in a message: the fallback text and every text in its blocks. */
export function visibleText(body: { text?: string; blocks?: unknown[] }): string {
  const texts: string[] = [body.text ?? ''];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(body.blocks ?? []);
  return texts.join('\n');
}

/** The values of the buttons `actionId` in a message's blocks (or a view's), in order. */
export function buttonValues(call: { args: { blocks?: unknown } }, actionId: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.action_id === actionId && typeof record.value === 'string') found.push(record.value);
      Object.values(record).forEach(walk);
    }
  };
  walk(call.args.blocks);
  return found;
}

/** The texts Slack would parse as mrkdwn (where `<!channel>` pings): the fallback text and every mrkdwn element. */
export function mrkdwnTexts(body: { text?: string; blocks?: unknown[] }): string[] {
  const texts: string[] = [body.text ?? ''];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'mrkdwn' && typeof record.text === 'string') texts.push(record.text);
      Object.values(record).forEach(walk);
    }
  };
  walk(body.blocks ?? []);
  return texts;
}
