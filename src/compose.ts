import { DEFAULT_APPROVAL_MINUTES } from './approval/index.js';
import type { Logger as PinoLogger } from 'pino';
import { recordLookup, type AuditStore } from './audit/index.js';
import { createAuditWiring } from './audit/trail-lifecycle.js';
import type { Config } from './config.js';
import { startLocalParts, type LocalParts } from './local-mode.js';
import { lightChildren } from './logger.js';
import { createMetrics } from './metrics/registry.js';
import { DEFAULT_ACCID_PATTERN } from './lookup/find-accids.js';
import { SanctionChanges } from './moderation/sanction-changes.js';
import { BatchService } from './moderation/batch/batch-service.js';
import { RollbackService } from './undo/rollback-service.js';
import { LiftScheduler } from './moderation/scheduler.js';
import { createRateBudget } from './nim/budget/create-budget.js';
import { createNimClient, type NimClient } from './nim/client.js';
import { Directory } from './policy/directory.js';
import { notReady, READY, type Readiness, type ReadinessProbe } from './readiness/readiness.js';
import { createSlackApp, slackClients, type SlackApp, type SlackAppOptions, type SlackClients } from './slack/app.js';
import { auditChannelPosts } from './slack/audit/register.js';
import type { ReadDeps, WriteDeps } from './slack/interaction/deps.js';
import { attachedFileReader } from './slack/interaction/attached-file.js';
import { ACCOUNT_FILE_MAX_BYTES } from './moderation/batch/account-list.js';
import { metadataKey } from './slack/interaction/sealed-metadata.js';
import { usergroupHandles } from './slack/interaction/usergroup-handles.js';
import { registerListeners, type ListenerDeps } from './slack/listeners.js';
import type { HomeContext } from './slack/home/publish.js';
import type { StepsContext } from './slack/workflow-steps/steps.js';
import { slackBatchChannel, slackBatchEvents } from './slack/moderation/batch-slack.js';
import { slackRollbackChannel, slackRollbackEvents } from './slack/rollback/rollback-slack.js';
import { taggedMessageFinder } from './slack/interaction/tagged-messages.js';
import { webClientPeopleSource } from './slack/people-source.js';

/**
 * The one composition root: the only place that builds the parts and wires them together — the local stand-ins, the
 * NetEase client and its rate budget, the directory of Slack people, the audit trail (store, outbox, retention,
 * chain head) with its Slack posts, the lift scheduler, and the Slack app with every feature's dependencies. Each part
 * is built whole, once; nothing is changed after it is handed on. main.ts runs the process around it.
 */

/** What compose() built, for main.ts to listen, check, drain and stop. */
export type Composed = {
  /** The settings as local mode completed them (its writer group and audit channel). */
  config: Config;
  local: LocalParts;
  nim: NimClient;
  slackApp: SlackApp;
  /** Closes what compose() opened, in reverse (the Slack app is stopped by the caller first). */
  close(): Promise<void>;
};

export async function compose(settings: Config, parts: { logger: PinoLogger; readiness: Readiness }): Promise<Composed> {
  const { logger, readiness } = parts;
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne().catch((error: unknown) => logger.error({ err: error }, 'stop failed'));
  };
  try {
    // Local mode: the emulator and/or the local Slack with the browser simulator, for what the settings leave out.
    const local = await startLocalParts(settings);
    closers.push(() => local.close());
    const config = local.config;
    // GET /metrics: a registry of this server's own, so several servers in one process (tests) do not mix counts.
    const metrics = createMetrics({ processMetrics: true });
    // The budget is ours, not the client's (it may hold a Redis connection that would keep the process alive).
    const rateBudget = createRateBudget(local.nim, { logger: logger.child({ component: 'rate-budget' }) });
    closers.push(() => rateBudget.close());
    const nim = createNimClient(local.nim, {
      rateBudget,
      logger: logger.child({ component: 'nim' }),
      onCall: metrics.nimCall,
      onCardRead: metrics.cardRead,
    });
    metrics.watchRateBudget(nim.rateBudget);
    closers.push(() => nim.close());
    const slackApp = composeSlackApp({
      slack: local.slack,
      access: config.access,
      nim,
      // One child per command, click and submission: children that merge their bindings per line (src/logger.ts).
      logger: lightChildren(logger),
      metrics,
      bulkMax: config.moderation.bulkMax,
      ...(config.metrics.token ? { metricsToken: config.metrics.token } : {}),
      ...(config.qchat.operatorAccid ? { qchatOperatorAccid: config.qchat.operatorAccid } : {}),
      accidPattern: config.lookup.accidPattern,
      approvalPolicy: config.approval.policy,
      approvalMinutes: config.approval.minutes,
      ...(config.approval.channel ? { approvalChannel: config.approval.channel } : {}),
      socketModeHttpPort: config.port,
      customRoutes: local.customRoutes,
      // Every update is audited (the store AUDIT_DATABASE_URL or AUDIT_DB names, posted to AUDIT_CHANNEL).
      audit: {
        dbPath: config.audit.dbPath,
        logPath: config.audit.logPath,
        ...(config.audit.databaseUrl ? { databaseUrl: config.audit.databaseUrl } : {}),
        ...(config.audit.channel ? { channel: config.audit.channel } : {}),
        lookupRetentionDays: config.audit.lookupRetentionDays,
        leaseMs: config.audit.leaseMs,
      },
      readiness,
    });
    return { config, local, nim, slackApp, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The Slack side, composed: clients, directory, audit trail and its posts, lift scheduler, and the dependencies of
 * every feature, then the app that registers them. Tests and benches call this with parts of their own.
 */
export function composeSlackApp(options: SlackAppOptions): SlackApp {
  const clients = slackClients(options);
  const directory = options.directory ?? defaultDirectory(clients, options.now);
  // The App Home republishes for the people who have it open when a sanction made here changes.
  const changes = new SanctionChanges();
  // One reader of the audit channel's history for every kind of message there (its missing scope is logged once).
  const findTagged = taggedMessageFinder(clients.client, options.audit?.channel, options.logger);
  const audit = options.audit
    ? createAuditWiring({
        settings: options.audit,
        nim: options.nim,
        logger: options.logger,
        ...(options.now ? { now: options.now } : {}),
        onSettled: changes.settled,
        ...auditChannelPosts(clients.client, options.audit.channel, (ids) => usergroupHandles(directory, ids, options.logger), findTagged),
      })
    : undefined;
  const trail = audit?.trail;
  if (audit && trail) {
    options.metrics?.watchAuditPending(() => trail.outbox.pending());
    options.readiness?.register('audit-store', auditStoreProbe(trail.store));
    // Records cut from the trail's end (fewer than the head last posted): not ready until AUDIT_ACCEPT_HEAD says so.
    options.readiness?.register('audit-head', () => {
      const problem = audit.headProblem();
      return problem ? notReady(problem) : READY;
    });
  }
  const lifts = trail
    ? new LiftScheduler({
        // The audit store keeps the lift schedule of timed mutes, written with each mute's intent.
        schedule: trail.store,
        nim: options.nim,
        trail,
        owner: trail.owner,
        now: trail.now,
        logger: options.logger,
        ...(options.liftPollMs === undefined ? {} : { pollMs: options.liftPollMs }),
      })
    : undefined;
  // Actions on many accounts: in the background, one audit channel message each, reported after a process death.
  const batches = trail
    ? new BatchService({
        trail,
        nim: options.nim,
        schedule: trail.store,
        channel: slackBatchChannel(clients.client, options.audit?.channel, options.logger, findTagged),
        events: slackBatchEvents({ client: clients.client, channel: options.audit?.channel, log: options.logger, now: trail.now }),
        ...(options.batchPollMs === undefined ? {} : { pollMs: options.batchPollMs }),
      })
    : undefined;
  // Rollbacks the same way: stored before the first undo, one audit channel message, reported after a process death.
  const rollbacks = trail
    ? new RollbackService({
        trail,
        nim: options.nim,
        reader: options.nim,
        schedule: trail.store,
        ...(options.qchatOperatorAccid ? { qchatOperatorAccid: options.qchatOperatorAccid } : {}),
        protectedAccids: options.access.protectedAccids,
        channel: slackRollbackChannel(clients.client, options.audit?.channel, findTagged),
        events: slackRollbackEvents({ client: clients.client, channel: options.audit?.channel, log: options.logger }),
        ...(options.batchPollMs === undefined ? {} : { pollMs: options.batchPollMs }),
      })
    : undefined;
  const read: ReadDeps = {
    nim: options.nim,
    directory,
    access: options.access,
    logger: options.logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    writeEnabled: trail !== undefined,
    ...(trail
      ? {
          recordLookup: async ({ correlationId, ...lookup }) =>
            void (await recordLookup(trail, { ...lookup, ...(correlationId === undefined ? {} : { id: correlationId }) })),
        }
      : {}),
  };
  let updates: ListenerDeps['updates'];
  if (trail && batches && rollbacks) {
    const write: WriteDeps = {
      ...read,
      nim: options.nim,
      trail,
      metadataKey: metadataKey(options.metadataSecret ?? options.slack.signingSecret),
      ...(options.qchatOperatorAccid ? { qchatOperatorAccid: options.qchatOperatorAccid } : {}),
      ...(options.now ? { now: options.now } : {}),
      liftSchedule: trail.store,
      batches,
      ...(options.bulkMax === undefined ? {} : { bulkMax: options.bulkMax }),
      // The list a moderator attaches to the form, read with the bot token (files:read) from Slack's file host.
      readAttachedFile: attachedFileReader({
        botToken: options.slack.botToken,
        maxBytes: ACCOUNT_FILE_MAX_BYTES,
        ...(options.slack.apiUrl ? { apiUrl: options.slack.apiUrl } : {}),
      }),
      ...approvalsOf(trail.store, options),
    };
    // The audit history reads the store the trail writes (with PostgreSQL, every replica's).
    const steps: StepsContext = {
      directory,
      access: options.access,
      trail,
      now: trail.now,
      nim: options.nim,
      schedule: trail.store,
      batches,
      ...(options.approvalPolicy ? { approvalPolicy: options.approvalPolicy } : {}),
    };
    updates = {
      write,
      history: { ...read, auditHistory: trail.store },
      steps,
      rollbacks,
      client: clients.client,
    };
  }
  const listeners: ListenerDeps = {
    read,
    // Cards say who set a mute or block here, and moderators get its buttons, when the audit store can say.
    lookup: {
      ...read,
      moderateEnabled: trail !== undefined,
      ...(trail ? { sanctionSource: trail.store } : {}),
      accidPattern: new RegExp(options.accidPattern ?? DEFAULT_ACCID_PATTERN, 'giu'),
    },
    home: {
      directory,
      access: options.access,
      logger: options.logger,
      client: clients.client,
      now: options.now ?? Date.now,
      changes,
      ...(trail ? { store: trail.store } : {}),
      ...homeApprovals(trail?.store, options),
    },
    ...(updates ? { updates } : {}),
  };
  return createSlackApp({
    options,
    clients,
    directory,
    registerListeners: (app) => registerListeners(app, listeners),
    ...(audit ? { audit } : {}),
    ...(lifts ? { lifts } : {}),
    ...(batches ? { batches } : {}),
    ...(rollbacks ? { rollbacks } : {}),
  });
}

/** The approvals moderation asks for, when IM_APPROVAL_FOR names any action and there is a channel to post in. */
function approvalsOf(store: AuditStore, options: SlackAppOptions): Pick<WriteDeps, 'approvals'> {
  const policy = options.approvalPolicy;
  const channel = options.approvalChannel ?? options.audit?.channel;
  if (!policy || (policy.actions.length === 0 && policy.bulkOver === undefined)) return {};
  // loadConfig refuses a policy without a channel; a caller that passes one anyway gets an error, not a silent bypass.
  if (!store.approvals || !channel)
    throw new Error('IM_APPROVAL_FOR needs an audit store that keeps approvals and a channel to post requests in');
  return {
    approvals: {
      policy,
      store: store.approvals,
      minutes: options.approvalMinutes ?? DEFAULT_APPROVAL_MINUTES,
      channel,
      ...(options.approvalExpiryEveryMs === undefined ? {} : { expiryEveryMs: options.approvalExpiryEveryMs }),
    },
  };
}

/** Pending approvals for the Home, when approvals are configured and the store keeps them. */
function homeApprovals(store: AuditStore | undefined, options: SlackAppOptions): Pick<HomeContext, 'approvals'> {
  const policy = options.approvalPolicy;
  const approvals = store?.approvals;
  if (!approvals || !policy || (policy.actions.length === 0 && policy.bulkOver === undefined)) return {};
  const now = options.now ?? Date.now;
  return {
    approvals: async () =>
      (await approvals.pendingApprovals({ now: now(), limit: 10 })).map((request) => ({
        action: request.action,
        requestedBy: request.requester,
        expiresAt: request.expiresAt,
      })),
  };
}

/** A cached directory over the app's own WebClient; people of another workspace or org (Slack Connect) are refused. */
function defaultDirectory(clients: SlackClients, now: (() => number) | undefined): Directory {
  return new Directory({
    source: webClientPeopleSource(clients.client),
    installation: async () => {
      const { teamId, enterpriseId } = await clients.identity.verify();
      return { ...(teamId ? { teamId } : {}), ...(enterpriseId ? { enterpriseId } : {}) };
    },
    ...(now ? { now } : {}),
  });
}

/** /readyz: whether the audit store can take an intent now; without it every update would be refused. */
function auditStoreProbe(store: AuditStore): ReadinessProbe {
  return async () =>
    (await store.ready())
      ? READY
      : notReady(`the audit store (${store.kind} ${store.location}) cannot take an intent: updates and lookups are refused`);
}
