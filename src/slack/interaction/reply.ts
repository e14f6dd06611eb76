import type { RespondArguments, RespondFn } from '@slack/bolt';
import { noteFailure, noteOutcome } from '../../metrics/outcome.js';
import { renderError } from '../ui/errors.js';
import { logFailure } from './failure-log.js';
import { type Locale } from '../i18n/catalog.js';
import type { AppLogger } from '../../logger.js';
import type { SlackMessage } from '../ui/message.js';

/**
 * How a listener answers: ephemerally through response_url (never replacing the message a button sits in), again
 * without images when Slack refuses them, and with a plain-words message for a failure (logged in full).
 */

/**
 * Called right after ack(): lets the event loop take the requests already waiting (and ack them) before this one's
 * NetEase and rendering work starts, so a burst of commands is acked first and answered after.
 */
export function yieldAfterAck(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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

/** Where an answer goes, seen only by the person who asked; resolves false when Slack did not take it. */
export type Reply = (message: SlackMessage) => Promise<boolean>;

/** The ephemeral answer through a response_url, as a Reply. */
export function ephemeralReply(respond: RespondFn, log: AppLogger): Reply {
  return (message) => answer(respond, message, log);
}

/**
 * Sends `render(true)`; if Slack refuses it (an avatar it could not fetch makes the whole message invalid), sends
 * `render(false)` without images; if that fails too, an error message, so the person never waits on silence.
 */
export async function replyWithImageFallback(
  reply: Reply,
  render: (withImages: boolean) => SlackMessage,
  context: { locale: Locale; correlationId: string },
): Promise<void> {
  if (await reply(render(true))) return;
  if (await reply(render(false))) return;
  noteOutcome('slack_error');
  await reply(renderError(new Error('Slack refused the answer'), context));
}

/** replyWithImageFallback through a response_url. */
export async function answerWithImageFallback(
  respond: RespondFn,
  render: (withImages: boolean) => SlackMessage,
  context: { locale: Locale; correlationId: string; log: AppLogger },
): Promise<void> {
  await replyWithImageFallback(ephemeralReply(respond, context.log), render, context);
}

/** Logs a failure in full and tells the person in plain words. */
export async function replyFailure(
  reply: Reply,
  error: unknown,
  context: { locale: Locale; correlationId: string; log: AppLogger },
): Promise<void> {
  logFailure(context.log, error, {}, 'lookup failed');
  noteFailure(error);
  await reply(renderError(error, context));
}

/** replyFailure through a response_url. */
export async function answerFailure(
  respond: RespondFn,
  error: unknown,
  context: { locale: Locale; correlationId: string; log: AppLogger },
): Promise<void> {
  await replyFailure(ephemeralReply(respond, context.log), error, context);
}
