import type { RollbackService } from '../undo/rollback-service.js';
import type { App, webApi } from '@slack/bolt';
import * as approval from './approval/register.js';
import * as audit from './audit/register.js';
import type { AuditHistoryDeps } from './audit/history.js';
import * as editCard from './edit-card/register.js';
import type { HomeContext } from './home/publish.js';
import * as home from './home/register.js';
import type { ReadDeps, WriteDeps } from './interaction/deps.js';
import type { LookupDeps } from './lookup/deps.js';
import * as lookup from './lookup/register.js';
import * as moderation from './moderation/register.js';
import * as qchat from './qchat/register.js';
import type { StepsContext } from './workflow-steps/steps.js';
import * as workflowSteps from './workflow-steps/steps.js';
import type { SanctionChanges } from '../moderation/sanction-changes.js';
import * as undo from './undo/register.js';
import * as rollback from './rollback/register.js';

/** What the features are given, built once by src/compose.ts. */
export type ListenerDeps = {
  read: ReadDeps;
  lookup: LookupDeps;
  /** With an audit trail only: every change is audited, so the update side exists only then. */
  updates?: {
    write: WriteDeps;
    history: AuditHistoryDeps;
    steps: StepsContext;
    /** Rollbacks as durable long runs (their one audit channel message, the interrupted notice, Continue). */
    rollbacks: RollbackService;
    /** The bot's own client, for what runs outside any request (the approval expiry sweep). */
    client: webApi.WebClient;
  };
  /** The App Home, republished when `changes` says a sanction made here changed. */
  home: HomeContext & { changes: SanctionChanges };
};

/**
 * The table of features: every command, button and form the app answers is registered by one of these. The read
 * side is always there; with an audit trail, updates, moderation and the audit history are too. A new feature is a
 * folder with a `register(app, deps)` and a line here (docs/architecture.md).
 */
export function registerListeners(app: App, deps: ListenerDeps): () => void {
  const { read, updates } = deps;
  lookup.register(app, deps.lookup, updates ? editCard.imUserEditSubcommand(updates.write) : undefined);
  qchat.register(app, read, updates?.write);
  const homeFeature = home.register(app, deps.home, deps.home.changes);
  if (!updates) return () => homeFeature.stop();
  editCard.register(app, updates.write);
  moderation.register(app, updates.write);
  audit.register(app, updates.history);
  workflowSteps.register(app, updates.steps);
  const undoDeps = { ...updates.write, markUndone: audit.markUndoneInChannel(updates.write.trail.store) };
  undo.register(app, undoDeps);
  const rollbackDeps = { ...updates.write, rollbacks: updates.rollbacks };
  rollback.register(app, rollbackDeps);
  const { approvals } = updates.write;
  // The kinds of request an approval can carry out: each feature that asks hands over its own.
  const kinds = approval.approvalKinds([
    moderation.moderationApprovalKind(updates.write),
    moderation.batchApprovalKind(updates.write),
    undo.undoApprovalKind(undoDeps),
    editCard.cardEditApprovalKind(updates.write),
    qchat.memberEditApprovalKind(updates.write),
    rollback.rollbackApprovalKind(rollbackDeps),
  ]);
  const approvalFeature = approvals
    ? approval.register(app, { ...updates.write, approvals, kinds, client: updates.client })
    : () => undefined;
  return () => {
    homeFeature.stop();
    approvalFeature();
  };
}
