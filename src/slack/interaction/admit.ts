import { randomUUID } from 'node:crypto';
import type { RespondFn, webApi } from '@slack/bolt';
import { auditRefusal, type AuditAction, type AuditTarget, type AuditTrail } from '../../audit/index.js';
import type { AppLogger } from '../../logger.js';
import { noteFailure, noteOutcome } from '../../metrics/outcome.js';
import { authorize, type Authorization } from '../../policy/authorize.js';
import type { Freshness } from '../../policy/directory.js';
import { permissionFor } from '../../policy/permissions.js';
import type { Refusal, SlackPerson } from '../../policy/types.js';
import { renderError } from '../ui/errors.js';
import { renderRefusal } from '../ui/refusal.js';
import type { UsergroupHandles } from '../ui/usergroups.js';
import { localeFromSlack, type Locale } from '../i18n/catalog.js';
import { type ReadDeps } from './deps.js';
import { answer, ephemeralReply, type Reply } from './reply.js';
import { usergroupHandles } from './usergroup-handles.js';
import { loadingView, noticeView } from '../ui/modal.js';
import { openModal, updateModal } from './modal-reply.js';
import { within } from './within.js';

/**
 * The one guard of every command, button and form that changes something: action → policy decision (the action names
 * the permission: editing or moderating) → refusal, audited. Reads are admitted by admitReader (above) with the
 * same policy call; their refusals are logged, not audited.
 */

/** Someone who passed the read check, in their language. */
export type Reader = { person: SlackPerson; locale: Locale };

/**
 * May `userId` read? Returns who they are, or tells them why not (in their language when Slack said it) and
 * returns undefined.
 */
export async function admitReader(deps: ReadDeps, userId: string, respond: RespondFn, log: AppLogger): Promise<Reader | undefined> {
  return admitReaderReplying(deps, userId, ephemeralReply(respond, log), log);
}

/** admitReader for an answer that does not go through a response_url (the Home's lookup box answers by DM). */
export async function admitReaderReplying(deps: ReadDeps, userId: string, reply: Reply, log: AppLogger): Promise<Reader | undefined> {
  const { decision, person, cause } = await authorize(deps.directory, userId, 'read', deps.access);
  const locale = localeFromSlack(person?.locale);
  if (decision.allowed && person) return { person, locale };
  if (!decision.allowed) {
    log.info({ refusal: decision.refusal, err: cause }, 'read refused');
    deps.metrics?.refused('read', decision.refusal.reason);
    noteOutcome('refused');
    await reply(renderRefusal(decision.refusal, locale));
  }
  return undefined;
}

/** What the guard needs: who people are, the access settings, and the audit trail for refusals. */
export type GuardDeps = Pick<ReadDeps, 'directory' | 'access' | 'metrics'> & { trail: AuditTrail };

/** Someone who passed the check for an action, in their language. */
export type Admitted = { person: SlackPerson; locale: Locale };

/**
 * `id`: the command's correlation id, used as the audit entry's id (one is made when absent). `accounts`: every
 * account a bulk action names; a refusal is then one entry naming them all (one audit channel message), and each
 * account has a record of its own (`<id>.<n>`, as the action's own entries) so that its /im-audit finds it.
 * `target` names the attempt in logs.
 */
export type Attempt = { action: AuditAction; command: string; target: AuditTarget; id?: string; accounts?: readonly string[] };

/** A refusal, with the handles of the user groups it names (`renderRefusal(refusal, locale, handles)`). */
export type Refused = { refusal: Refusal; locale: Locale; auditId: string; handles: UsergroupHandles };

export type Admission = { admitted: Admitted } | Refused;

/**
 * May `userId` do `attempt.action` now? The action decides the permission (the policy's permissionFor). Asked of
 * Slack afresh (users.info and the user groups, no cached answer): this is the moment a change is submitted or
 * confirmed, and a role removed a second ago must count. A refusal is audited (log and audit channel) before this
 * returns; nothing is sent to NetEase.
 */
export async function admit(deps: GuardDeps, userId: string, attempt: Attempt, log: AppLogger): Promise<Admission> {
  return settleAdmission(deps, userId, attempt, log, await authorizeAttempt(deps, userId, attempt));
}

/**
 * The policy decision for an attempt, without auditing it (for a caller that settles it later). Fresh unless told
 * otherwise: only opening a modal (which changes nothing) may use the directory's cached answer.
 */
export function authorizeAttempt(
  deps: Pick<GuardDeps, 'directory' | 'access'>,
  userId: string,
  attempt: Pick<Attempt, 'action'>,
  freshness: Freshness = { fresh: true },
): Promise<Authorization> {
  return authorize(deps.directory, userId, permissionFor(attempt.action), deps.access, freshness);
}

/** The second half of admitWriter, for a caller that started the authorization early. */
export async function settleAdmission(
  deps: GuardDeps,
  userId: string,
  attempt: Attempt,
  log: AppLogger,
  auth: Authorization,
): Promise<Admission> {
  const locale = localeFromSlack(auth.person?.locale);
  if (auth.decision.allowed && auth.person) return { admitted: { person: auth.person, locale } };
  const refusal: Refusal = auth.decision.allowed ? { reason: 'unknown_person' } : auth.decision.refusal;
  return refuse(deps, userId, attempt, refusal, locale, log, auth.cause);
}

/** Audits a refusal (never throws) and returns it, with the names of the user groups that would have granted it. */
export async function refuse(
  deps: GuardDeps,
  userId: string,
  attempt: Attempt,
  refusal: Refusal,
  locale: Locale,
  log: AppLogger,
  cause?: unknown,
): Promise<Refused> {
  log.info({ refusal, err: cause, action: attempt.action, target: attempt.target }, 'refused');
  deps.metrics?.refused(attempt.action, refusal.reason);
  noteOutcome('refused');
  const [auditId, handles] = await Promise.all([
    auditAttemptRefusal(deps.trail, userId, attempt, refusal),
    usergroupHandles(deps.directory, 'usergroups' in refusal ? refusal.usergroups : [], log),
  ]);
  return { refusal, locale, auditId, handles };
}

/**
 * One refusal entry for the attempt, however many accounts it names: the action on many accounts is one message in
 * the audit channel, and so is its refusal (a post per account made 50 for a refused 50-account approval). The
 * trail indexes one account per record, so each other account gets a record `partOf` that one, never posted.
 */
async function auditAttemptRefusal(trail: AuditTrail, actor: string, attempt: Attempt, refusal: Refusal): Promise<string> {
  const { accounts, ...one } = attempt;
  if (!accounts || accounts.length < 2) return auditRefusal(trail, { actor, ...one, refusal });
  const id = attempt.id ?? (trail.newId ?? randomUUID)();
  const named = accounts.map((accid) => accid.slice(0, 128));
  const entryId = await auditRefusal(trail, { actor, ...one, id: `${id}.1`, target: { accid: named[0]! }, accounts: named, refusal });
  await Promise.all(
    named
      .slice(1)
      .map((accid, index) => auditRefusal(trail, { actor, ...one, id: `${id}.${index + 2}`, target: { accid }, partOf: entryId, refusal })),
  );
  return entryId;
}

/** The person's language, or English when Slack cannot say. */
export async function localeOf(deps: Pick<GuardDeps, 'directory'>, userId: string): Promise<Locale> {
  try {
    return localeFromSlack((await deps.directory.person(userId)).locale);
  } catch {
    return 'en';
  }
}

/** How long a modal waits for the permission check before opening in English. */
const LOCALE_WAIT_MS = 700;

export type GuardedModalStart = {
  userId: string;
  triggerId: string;
  attempt: Attempt;
  /** Tells the person when the modal could not even open. */
  respond: RespondFn;
  client: webApi.WebClient;
  correlationId: string;
  log: AppLogger;
};

/**
 * Opens a modal at once with a loading view (the trigger id lasts 3 s) while the permission for the attempt's action
 * is checked; a refusal replaces the loading view (and is audited). Returns the view to fill in and who may, or
 * undefined.
 */
export async function openGuardedModal(
  deps: GuardDeps,
  start: GuardedModalStart,
): Promise<{ viewId: string; admitted: Admitted } | undefined> {
  const { client, log } = start;
  // Opening changes nothing: the cached answer will do (the submission asks Slack again).
  const auth = authorizeAttempt(deps, start.userId, start.attempt, { fresh: false });
  // Usually cached: then the loading view is already in the person's language.
  const early = await within(auth, LOCALE_WAIT_MS);
  const locale = localeFromSlack(early?.person?.locale);
  let viewId: string;
  try {
    viewId = await openModal(client, start.triggerId, loadingView(locale));
  } catch (error) {
    log.error({ err: error }, 'views.open failed');
    noteFailure(error);
    await auth.catch(() => undefined);
    await answer(start.respond, renderError(error, { locale, correlationId: start.correlationId }), log);
    return undefined;
  }
  const admission = await settleAdmission(deps, start.userId, start.attempt, log, await auth);
  if ('refusal' in admission) {
    const refused = noticeView(admission.locale, 'refused', renderRefusal(admission.refusal, admission.locale, admission.handles));
    await updateModal(client, viewId, refused, log);
    return undefined;
  }
  return { viewId, admitted: admission.admitted };
}
