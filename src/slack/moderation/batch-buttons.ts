import type { App, BlockButtonAction } from '@slack/bolt';
import { noteOutcome, tracked } from '../../metrics/outcome.js';
import { batchActionIds } from '../ids.js';
import { admit, type Attempt } from '../interaction/admit.js';
import type { WriteDeps } from '../interaction/deps.js';
import { accidButtonPayload } from '../interaction/payloads.js';
import { answer } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';
import { messages } from '../i18n/catalog.js';
import { renderRefusal } from '../ui/refusal.js';
import { section } from '../ui/text.js';

/**
 * Stop and Continue on a batch's progress and on its interrupted notice. The button's value is the batch id (checked
 * against the store); the moderate permission is asked again at the click, and a refusal is audited.
 */
export function registerBatchButtons(app: App, deps: WriteDeps): void {
  for (const [name, actionId] of [
    ['stop', batchActionIds.stop],
    ['continue', batchActionIds.continue],
  ] as const) {
    app.action<BlockButtonAction>(
      actionId,
      tracked(deps.metrics, `button:${actionId}`, async ({ ack, body, respond, context }) => {
        await ack();
        const { correlationId, log } = requestOf(context);
        const payload = accidButtonPayload.safeParse(body);
        const batchId = payload.success ? (payload.data.actions[0]?.value ?? '') : '';
        if (!payload.success || !/^[\w.:-]{1,128}$/.test(batchId)) {
          log.warn({ issues: payload.success ? [] : payload.error.issues }, 'unreadable batch button payload');
          noteOutcome('input_error');
          return;
        }
        const userId = payload.data.user.id;
        const batch = await deps.batches.stored(batchId);
        if (!batch) {
          noteOutcome('input_error');
          return;
        }
        const attempt: Attempt = {
          action: batch.action,
          command: `${name} button`,
          target: { accid: `batch ${batchId}`.slice(0, 128) },
          id: correlationId,
        };
        const admission = await admit(deps, userId, attempt, log);
        if ('refusal' in admission) {
          await answer(respond, renderRefusal(admission.refusal, admission.locale, admission.handles), log);
          return;
        }
        const m = messages(admission.admitted.locale).moderation.batch;
        if (name === 'stop') {
          const text = deps.batches.stop(batchId) ? m.stopped : m.notRunningHere;
          await answer(respond, { text, blocks: [section(text)] }, log);
          return;
        }
        const continued = await deps.batches.continue(batchId, userId);
        if (!continued) await answer(respond, { text: m.cannotContinue, blocks: [section(m.cannotContinue)] }, log);
      }),
    );
  }
}
