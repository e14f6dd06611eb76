import type { App, webApi } from '@slack/bolt';
import { recordLookup, type AuditStore } from '../audit/index.js';
import { LiftScheduler } from '../moderation/scheduler.js';
import type { Directory } from '../policy/directory.js';
import { notReady, READY, type ReadinessProbe } from '../readiness/readiness.js';
import { imUserEditSubcommand, registerEditCardButton } from './edit-card/open.js';
import { registerMuteStatusButton } from './lookup/mute-status-button.js';
import { registerShareButton } from './lookup/share-button.js';
import type { SlackAppOptions } from './app-options.js';
import { createAuditWiring, type AuditWiring } from '../audit/trail-lifecycle.js';
import { registerAuditHistoryMore } from './audit/history-more.js';
import { registerImAudit } from './audit/im-audit.js';
import { registerImMuteStatus } from './lookup/im-mute-status.js';
import { registerImUser } from './lookup/im-user.js';
import { registerQchatMember } from './qchat/qchat-member.js';
import { registerQchatNick } from './qchat/qchat-nick.js';
import { registerModeration } from './moderation/register.js';
import type { ReadDeps } from './interaction/reply.js';
import { registerEditCardSubmission } from './edit-card/submission.js';
import { registerQchatNickSubmission } from './qchat/qchat-nick-submission.js';
import { usergroupHandles } from './interaction/usergroup-handles.js';
import { metadataKey } from './interaction/sealed-metadata.js';
import type { WriteDeps } from './interaction/modal-reply.js';

/**
 * Every command, button and form the app answers. The read side is always there; with an audit trail the update and
 * moderation side is too (every change is audited), with the lift schedule of timed mutes.
 */
export function registerListeners(
  app: App,
  deps: ReadDeps,
  wiring: { options: SlackAppOptions; client: webApi.WebClient; directory: Directory },
): { audit?: AuditWiring; lifts?: LiftScheduler } {
  const { options, client, directory } = wiring;
  const slack = options.slack;
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
  return { ...(audit ? { audit } : {}), ...(lifts ? { lifts } : {}) };
}

/** /readyz: whether the audit store can take an intent now; without it every update would be refused. */
function auditStoreProbe(store: AuditStore): ReadinessProbe {
  return async () =>
    (await store.ready())
      ? READY
      : notReady(`the audit store (${store.kind} ${store.location}) cannot take an intent: updates and lookups are refused`);
}
