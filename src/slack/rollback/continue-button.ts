import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { noteOutcome, tracked } from '../../metrics/outcome.js';
import { messages } from '../i18n/catalog.js';
import { rollbackActionIds } from '../ids.js';
import { slackUserId } from '../interaction/payloads.js';
import { answer } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';
import { renderRefusal } from '../ui/refusal.js';
import { section } from '../ui/text.js';
import { admitRollback } from './admit-rollback.js';
import { rollbackNeedsApproval } from './approval-kind.js';
import type { RollbackDeps } from './deps.js';
import { rollbackReportBlocks } from './report-blocks.js';

const buttonPayload = z.object({
  user: z.object({ id: slackUserId }),
  actions: z.array(z.object({ value: z.string().regex(/^[\w.:-]{1,128}$/) })).min(1),
});

/**
 * Continue on the notice of a rollback a process death interrupted: the clicker is checked afresh (write and
 * moderate, a refusal audited), then the changes left are undone in the background, each read again first and undone
 * only if nothing changed since (what the dead run sent shows as undone, never sent twice); once per interruption,
 * however often it is clicked. The clicker is answered at once and given the report at the end.
 */
export function registerRollbackContinue(app: App, deps: RollbackDeps): void {
  app.action<BlockButtonAction>(
    rollbackActionIds.continue,
    tracked(deps.metrics, `button:${rollbackActionIds.continue}`, async ({ ack, body, respond, context }) => {
      await ack();
      const { correlationId, log } = requestOf(context);
      const payload = buttonPayload.safeParse(body);
      const stored = payload.success ? await deps.rollbacks.stored(payload.data.actions[0]!.value) : undefined;
      if (!payload.success || !stored) {
        log.warn({ issues: payload.success ? [] : payload.error.issues }, 'unreadable rollback continue payload');
        noteOutcome('input_error');
        return;
      }
      const userId = payload.data.user.id;
      const admission = await admitRollback(deps, { userId, actor: stored.subject, correlationId, log });
      if ('refusal' in admission) {
        await answer(respond, renderRefusal(admission.refusal, admission.locale, admission.handles), log);
        return;
      }
      const { locale } = admission.admitted;
      const r = messages(locale).rollback;
      const say = (text: string) => answer(respond, { text, blocks: [section(text)] }, log);
      void deps.rollbacks
        .continue(stored.id, userId, {
          // A rollback approved when it started continues under that approval; one IM_APPROVAL_FOR covers only now does not.
          allow: (plan, run) => run.approvedBy !== undefined || !rollbackNeedsApproval(deps, plan),
          watch: { onProgress: (settled, total) => void (settled === 1 && say(r.continuing(total))) },
        })
        .then(async (outcome) => {
          if (outcome === undefined) await say(r.cannotContinue);
          else if (outcome === 'not_allowed') await say(r.continueNeedsApproval);
          else if (outcome.paused) await say(r.pausedByShutdown(Object.keys(outcome.run.settled).length, outcome.run.items.length));
          else {
            log.info({ rollback: stored.id, ...outcome.run.counts }, 'rollback continued and finished');
            const report = rollbackReportBlocks({ locale, results: outcome.results, maxBlocks: 45 });
            await answer(respond, { text: r.doneTitle, blocks: report }, log);
          }
        })
        .catch((error: unknown) => {
          log.error({ err: error, rollback: stored.id }, 'rollback: the continue failed');
          return say(r.cannotContinue);
        });
    }),
  );
}
