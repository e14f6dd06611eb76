import type { ApprovalPolicy } from '../approval/policy.js';
import type { CustomRoute, App, webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { AppLogger } from '../logger.js';
import type { Metrics } from '../metrics/registry.js';
import type { Directory } from '../policy/directory.js';
import type { Readiness } from '../readiness/readiness.js';
import type { AuditSettings, AuditWiring } from '../audit/trail-lifecycle.js';
import type { DrainGate } from './receiver/drain-gate.js';
import type { NimWriter } from './interaction/deps.js';

/** What composeSlackApp (src/compose.ts) takes, the settings and parts it wires, and what the app hands back: itself and its lifecycle. */

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
  /** IM_ACCID_PATTERN (source): finds account ids in a message for the Look up IM accounts shortcut. @default DEFAULT_ACCID_PATTERN */
  accidPattern?: string;
  /**
   * IM_APPROVAL_FOR: with any action named (and an audit trail), those moderation actions ask a second person, and
   * moderators' App Home lists the requests waiting for approval.
   */
  approvalPolicy?: ApprovalPolicy;
  /** IM_APPROVAL_MINUTES. @default 30 */
  approvalMinutes?: number;
  /** IM_APPROVAL_CHANNEL: where requests are posted. @default the audit channel */
  approvalChannel?: string;
  /** How often requests past their time are looked for, in ms. @default 30000 */
  approvalExpiryEveryMs?: number;
  nim: NimWriter;
  logger: AppLogger & { level?: string };
  /**
   * The audit trail (AUDIT_DB or AUDIT_DATABASE_URL, AUDIT_CHANNEL). Updates (the edit modal, /qchat-nick) exist only with one: every update
   * is audited, and lookups are logged. Without it the app only reads.
   */
  audit?: AuditSettings;
  /** IM_BULK_MAX: at most this many accounts per action; more than one confirmation carries run as a batch. @default 1000 */
  bulkMax?: number;
  /** How often batches and rollbacks a dead process left are looked for, in ms. @default 10000 */
  batchPollMs?: number;
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
   * Bounds on requests to /slack/events, checked before a body is read whole (receiver/verify-request.ts).
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
  gate: DrainGate;
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
  /**
   * A drain's step for the batches and rollbacks running here: each stops at its next safe point, left to be reported
   * as interrupted (BatchService.pauseAll, RollbackService.pauseAll). Resolves by `deadline` with how many were still
   * running.
   */
  pauseBatches(deadline: Promise<unknown>): Promise<number>;
  /** listen(), auth.test (a rejected token throws; Slack out of reach only warns), then open(). */
  start(listen?: { port?: number; host?: string }): Promise<{ url?: string }>;
  stop(): Promise<void>;
};
