import type { RespondArguments, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { noteFailure, noteOutcome } from '../../metrics/outcome.js';
import type { Metrics } from '../../metrics/registry.js';
import type { MemberRead } from '../../nim/qchat-members.js';
import type { UserLookup } from '../../nim/types.js';
import type { SanctionSource } from '../../moderation/sanction-info.js';
import { authorize } from '../../policy/authorize.js';
import type { Directory } from '../../policy/directory.js';
import type { SlackPerson } from '../../policy/types.js';
import { renderError } from '../ui/errors.js';
import { logFailure } from './failure-log.js';
import { renderRefusal } from '../ui/refusal.js';
import { localeFromSlack, type Locale } from '../i18n/catalog.js';
import type { AppLogger } from '../../logger.js';
import type { SlackMessage } from '../ui/message.js';

/**
 * What every read listener needs, injected by createSlackApp, and the steps they share:
 * authorize the person (telling them why if refused), answer ephemerally, turn failures into messages.
 */

/** The part of the NetEase client the read side uses. */
export type NimReader = {
  getUinfos(accids: readonly string[], options?: { muteStatus?: boolean; correlationId?: string }): Promise<UserLookup>;
  getServerMember(query: { serverId: string; accid: string }, options?: { correlationId?: string }): Promise<MemberRead>;
};

export type ReadDeps = {
  nim: NimReader;
  directory: Directory;
  access: Config['access'];
  logger: AppLogger;
  /** A short id to quote in a message and find in the log. */
  newCorrelationId: () => string;
  /** Logs who looked at whom (the audit log, under the command's correlation id); rejects when it cannot, and then nothing is shown. */
  recordLookup?: (lookup: { actor: string; command: string; accids: string[]; serverId?: string; correlationId?: string }) => Promise<void>;
  /** Counts refusals and command outcomes (GET /metrics). */
  metrics?: Pick<Metrics, 'refused' | 'commandHandled'>;
  /** The update side is wired (an audit trail exists): writers get the "Edit card" button. */
  writeEnabled?: boolean;
  /** Moderation is wired (it needs the audit trail too): moderators get Mute…, Unmute, Block…, Unblock. */
  moderateEnabled?: boolean;
  /** The audit store's history and lift schedule: cards and mute status say who set a sanction here. */
  sanctionSource?: SanctionSource;
};

/** Someone who passed the read check, in their language. */
export type Reader = { person: SlackPerson; locale: Locale };

export const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/);

/**
 * Called right after ack(): lets the event loop take the requests already waiting (and ack them) before this one's
 * NetEase and rendering work starts, so a burst of commands is acked first and answered after.
 */
export function yieldAfterAck(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * May `userId` read? Returns who they are, or tells them why not (in their language when Slack said it) and
 * returns undefined.
 */
export async function admitReader(deps: ReadDeps, userId: string, respond: RespondFn, log: AppLogger): Promise<Reader | undefined> {
  const { decision, person, cause } = await authorize(deps.directory, userId, 'read', deps.access);
  const locale = localeFromSlack(person?.locale);
  if (decision.allowed && person) return { person, locale };
  if (!decision.allowed) {
    log.info({ refusal: decision.refusal, err: cause }, 'read refused');
    deps.metrics?.refused('read', decision.refusal.reason);
    noteOutcome('refused');
    await answer(respond, renderRefusal(decision.refusal, locale), log);
  }
  return undefined;
}

/** An ephemeral answer that never replaces the message a button sits in. Failures are logged, not thrown. */
export async function answer(respond: RespondFn, message: SlackMessage, log: AppLogger): Promise<boolean> {
  const args: RespondArguments = { response_type: 'ephemeral', replace_original: false, ...message };
  try {
    await respond(args);
    return true;
  } catch (error) {
    log.error({ err: error }, 'response_url refused the answer');
    return false;
  }
}

/**
 * Sends `render(true)`; if Slack refuses it (an avatar it could not fetch makes the whole message invalid), sends
 * `render(false)` without images; if that fails too, an error message, so the person never waits on silence.
 */
export async function answerWithImageFallback(
  respond: RespondFn,
  render: (withImages: boolean) => SlackMessage,
  context: { locale: Locale; correlationId: string; log: AppLogger },
): Promise<void> {
  if (await answer(respond, render(true), context.log)) return;
  if (await answer(respond, render(false), context.log)) return;
  noteOutcome('slack_error');
  await answer(respond, renderError(new Error('Slack refused the answer'), context), context.log);
}

/** Logs a failure in full and tells the person in plain words. */
export async function answerFailure(
  respond: RespondFn,
  error: unknown,
  context: { locale: Locale; correlationId: string; log: AppLogger },
): Promise<void> {
  logFailure(context.log, error, {}, 'lookup failed');
  noteFailure(error);
  await answer(respond, renderError(error, context), context.log);
}
