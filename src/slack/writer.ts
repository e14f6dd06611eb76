import type { RespondFn, webApi } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { auditRefusal, type AuditAction, type AuditTarget, type AuditTrail } from '../audit/index.js';
import { noteFailure, noteOutcome } from '../metrics/outcome.js';
import type { ServerMember, ServerMemberUpdate, UserCardChanges, WriteResult } from '../nim/types.js';
import { authorizeWrite, type Authorization } from '../policy/authorize.js';
import type { Refusal, SlackPerson } from '../policy/types.js';
import { renderError } from './blocks/errors.js';
import { renderRefusal } from './blocks/refusal.js';
import { context } from './blocks/text.js';
import { localeFromSlack, messages, type Locale } from './i18n/catalog.js';
import type { AppLogger } from '../logger.js';
import type { SlackMessage } from './message.js';
import type { UsergroupHandles } from './blocks/usergroups.js';
import { usergroupHandles } from './usergroup-handles.js';
import { answer, type NimReader, type ReadDeps } from './reader.js';
import { loadingView, noticeView } from './views/common.js';
import type { MetadataKey } from './views/metadata.js';

/**
 * What every update listener needs, injected by createSlackApp, and the steps they share: check the write
 * permission (auditing a refusal), open a modal at once and fill it later, and answer a modal's submission (which has
 * no response_url) ephemerally in the channel where the person started, or by DM.
 */

/** The part of the NetEase client the update side uses. */
export type NimWriter = NimReader & {
  updateUinfo(accid: string, changes: UserCardChanges, options?: { correlationId?: string }): Promise<WriteResult>;
  updateServerMember(update: ServerMemberUpdate, options?: { correlationId?: string }): Promise<ServerMember>;
};

export type WriteDeps = Omit<ReadDeps, 'nim'> & {
  nim: NimWriter;
  trail: AuditTrail;
  /** Seals modal private_metadata. */
  metadataKey: MetadataKey;
};

/** Someone who passed the write check, in their language. */
export type Writer = { person: SlackPerson; locale: Locale };

/** `id`: the command's correlation id, used as the audit entry's id (one is made when absent). */
export type Attempt = { action: AuditAction; command: string; target: AuditTarget; id?: string };

/** A refusal, with the handles of the user groups it names (`renderRefusal(refusal, locale, handles)`). */
export type Refused = { refusal: Refusal; locale: Locale; auditId: string; handles: UsergroupHandles };

export type Admission = { writer: Writer } | Refused;

/**
 * May `userId` update? Asked of Slack (cached ≤ 60 s) every time: when a modal opens and again when it is submitted.
 * A refusal is audited (log and audit channel) before this returns; nothing is sent to NetEase.
 */
export async function admitWriter(deps: WriteDeps, userId: string, attempt: Attempt, log: AppLogger): Promise<Admission> {
  return settleAdmission(deps, userId, attempt, log, await authorizeWrite(deps.directory, userId, deps.access));
}

/** The second half of admitWriter, for a caller that started the authorization early. */
export async function settleAdmission(
  deps: WriteDeps,
  userId: string,
  attempt: Attempt,
  log: AppLogger,
  auth: Authorization,
): Promise<Admission> {
  const locale = localeFromSlack(auth.person?.locale);
  if (auth.decision.allowed && auth.person) return { writer: { person: auth.person, locale } };
  const refusal: Refusal = auth.decision.allowed ? { reason: 'unknown_person' } : auth.decision.refusal;
  return refuse(deps, userId, attempt, refusal, locale, log, auth.cause);
}

/** Audits a refusal (never throws) and returns it, with the names of the user groups that would have granted it. */
export async function refuse(
  deps: WriteDeps,
  userId: string,
  attempt: Attempt,
  refusal: Refusal,
  locale: Locale,
  log: AppLogger,
  cause?: unknown,
): Promise<Refused> {
  log.info({ refusal, err: cause, target: attempt.target }, 'update refused');
  deps.metrics?.refused(attempt.action, refusal.reason);
  noteOutcome('refused');
  const [auditId, handles] = await Promise.all([
    auditRefusal(deps.trail, { actor: userId, ...attempt, refusal }),
    usergroupHandles(deps.directory, 'usergroups' in refusal ? refusal.usergroups : [], log),
  ]);
  return { refusal, locale, auditId, handles };
}

/** The person's language, or English when Slack cannot say. */
export async function localeOf(deps: Pick<WriteDeps, 'directory'>, userId: string): Promise<Locale> {
  try {
    return localeFromSlack((await deps.directory.person(userId)).locale);
  } catch {
    return 'en';
  }
}

/** `promise`'s value if it settles within `ms`, else undefined (the promise keeps running). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
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
 * Opens a modal at once with a loading view (the trigger id lasts 3 s) while the write permission is checked; a
 * refusal replaces the loading view (and is audited). Returns the view to fill in and who may, or undefined.
 */
export async function openGuardedModal(deps: WriteDeps, start: GuardedModalStart): Promise<{ viewId: string; writer: Writer } | undefined> {
  const { client, log } = start;
  const auth = authorizeWrite(deps.directory, start.userId, deps.access);
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
  return { viewId, writer: admission.writer };
}

/** Opens a modal with `view` (a trigger id is single-use and lasts 3 s). Returns the view id Slack gave it. */
export async function openModal(client: webApi.WebClient, triggerId: string, view: ModalView): Promise<string> {
  const answer = await client.views.open({ trigger_id: triggerId, view });
  const id = answer.view?.id;
  if (!id) throw new Error('views.open answered without a view id');
  return id;
}

/** Replaces an open modal. Failures (the person closed it meanwhile) are logged, not thrown. */
export async function updateModal(client: webApi.WebClient, viewId: string, view: ModalView, log: AppLogger): Promise<boolean> {
  try {
    await client.views.update({ view_id: viewId, view });
    return true;
  } catch (error) {
    log.warn({ err: error, viewId }, 'views.update failed (the modal may have been closed)');
    return false;
  }
}

/** Where the answer to a modal goes: the channel it was opened from (ephemeral), else a DM. */
export type AnswerPlace = { userId: string; channelId?: string | undefined; locale: Locale };

/**
 * Tells the person the result of a modal: chat.postEphemeral in the channel where they started, or, when there is
 * none or Slack refuses it (the bot is not in that channel, a DM with someone else), a DM from the bot. Each is tried
 * again without images when Slack could not fetch one. Returns false when nothing could be delivered (logged).
 */
export async function tellPerson(
  client: webApi.WebClient,
  place: AnswerPlace,
  render: (withImages: boolean) => SlackMessage,
  log: AppLogger,
): Promise<boolean> {
  if (place.channelId) {
    const channel = place.channelId;
    const sent = await withImageFallback(render, (message) => client.chat.postEphemeral({ channel, user: place.userId, ...message }), log);
    if (sent) return true;
  }
  const note = context(messages(place.locale).write.savedElsewhere);
  const dm = (withImages: boolean): SlackMessage => {
    const message = render(withImages);
    return place.channelId ? { ...message, blocks: [...message.blocks.slice(0, 49), note] } : message;
  };
  const sent = await withImageFallback(dm, (message) => client.chat.postMessage({ channel: place.userId, ...message }), log);
  if (!sent) log.error({ userId: place.userId }, 'could not deliver the answer to a modal, neither in the channel nor by DM');
  return sent;
}

async function withImageFallback(
  render: (withImages: boolean) => SlackMessage,
  send: (message: SlackMessage) => Promise<unknown>,
  log: AppLogger,
): Promise<boolean> {
  try {
    await send(render(true));
    return true;
  } catch (error) {
    if (slackError(error) !== 'invalid_blocks') {
      log.warn({ err: error }, 'Slack refused an answer');
      return false;
    }
  }
  try {
    await send(render(false));
    return true;
  } catch (error) {
    log.warn({ err: error }, 'Slack refused an answer without images too');
    return false;
  }
}

function slackError(error: unknown): unknown {
  return (error as { data?: { error?: unknown } } | undefined)?.data?.error;
}
