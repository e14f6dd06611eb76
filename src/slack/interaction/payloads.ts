import type { RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { noteOutcome } from '../../metrics/outcome.js';
import type { AppLogger } from '../../logger.js';
import { renderError } from '../ui/errors.js';
import { answer } from './reply.js';

/** A Slack user id (U… or W…), as every payload carries the person who acted. */
export const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/);

/**
 * The edge of every slash command: the fields of Slack's payload a command reads, checked by zod before anything
 * else runs. Slack caps command text far below 100,000 characters; the cap only keeps a forged body from costing us.
 */
export const slashCommandPayload = z.object({ user_id: slackUserId, text: z.string().max(100_000) });

/** A command that may open a modal also needs the channel it was typed in and the trigger Slack gave it. */
export const modalCommandPayload = slashCommandPayload.extend({
  channel_id: z.string().min(1),
  trigger_id: z.string().min(1).max(255),
});

/**
 * Parses `raw` with `schema`. When Slack sent something unreadable, logs the issues, tells the person (in English:
 * without a user id there is no locale to ask for) and returns undefined.
 */
export async function readCommandPayload<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  context: { respond: RespondFn; correlationId: string; log: AppLogger },
): Promise<T | undefined> {
  const payload = schema.safeParse(raw);
  if (payload.success) return payload.data;
  context.log.warn({ issues: payload.error.issues }, 'unreadable slash command payload');
  noteOutcome('input_error');
  await answer(
    context.respond,
    renderError(new Error('unreadable payload'), { locale: 'en', correlationId: context.correlationId }),
    context.log,
  );
  return undefined;
}

/** A click on a button whose `value` is the accid it acts on (a user card's buttons, the moderation buttons). */
export const accidButtonPayload = z.object({
  user: z.object({ id: slackUserId }),
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z.object({ channel_id: z.string().min(1).optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string().optional(), value: z.string().optional() })).min(1),
});

/** A button that opens a modal also needs the trigger Slack gave it; its value is bounded before the accid is checked. */
export const modalButtonPayload = accidButtonPayload.extend({
  trigger_id: z.string().min(1).max(255),
  actions: z.array(z.object({ value: z.string().max(2000).optional() })).min(1),
});
