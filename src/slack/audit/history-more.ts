import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { noteOutcome, tracked } from '../../metrics/outcome.js';
import { answerHistoryPage, parsePageQuery, type AuditHistoryDeps } from './history.js';
import { auditHistoryMoreAction } from './history-blocks.js';
import { slackUserId } from '../interaction/payloads.js';
import { yieldAfterAck } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';

const buttonPayload = z.object({
  user: z.object({ id: slackUserId }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().max(2000).optional() })).min(1),
});

/**
 * "More" under a page of `/im-audit`: the next (older) page, as a new ephemeral message so the earlier pages stay.
 * The button's value comes back from the client, so it is parsed again and the permission checked again.
 */
export function registerAuditHistoryMore(app: App, deps: AuditHistoryDeps): void {
  app.action<BlockButtonAction>(
    auditHistoryMoreAction,
    tracked(deps.metrics, `button:${auditHistoryMoreAction}`, async ({ ack, body, respond, context }) => {
      await ack();
      await yieldAfterAck();
      const { correlationId, log } = requestOf(context);
      const payload = buttonPayload.safeParse(body);
      const query = payload.success ? parsePageQuery(payload.data.actions[0]!.value) : undefined;
      if (!payload.success || !query) {
        // A value we did not write: nothing to show, and nothing to say to whoever forged it.
        log.warn('unreadable audit history button');
        noteOutcome('input_error');
        return;
      }
      await answerHistoryPage(deps, { userId: payload.data.user.id, query, respond, correlationId, log });
    }),
  );
}
