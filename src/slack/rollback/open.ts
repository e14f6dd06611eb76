import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { noteFailure, noteOutcome, tracked } from '../../metrics/outcome.js';
import { rollbackActionIds } from '../ids.js';
import type { WriteDeps } from '../interaction/deps.js';
import { openModal, updateModal } from '../interaction/modal-reply.js';
import { slackUserId } from '../interaction/payloads.js';
import { answer } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';
import { sealMetadata } from '../interaction/sealed-metadata.js';
import { renderError } from '../ui/errors.js';
import { loadingView } from '../ui/modal.js';
import { admitRollbackInModal } from './admit-rollback.js';
import { rollbackSinceMetadata, type RollbackSinceMetadata } from './metadata.js';
import { rollbackSinceView } from './views.js';

const buttonPayload = z.object({
  user: z.object({ id: slackUserId }),
  trigger_id: z.string().min(1).max(255),
  actions: z.array(z.object({ value: slackUserId })).min(1),
});

/**
 * Roll back… on an /im-audit @person answer: the modal opens at once (the trigger lasts 3 s), the person is checked
 * afresh (write and moderate; a refusal is audited and shown in the modal), then "since" is asked.
 */
export function registerRollbackButton(app: App, deps: WriteDeps): void {
  app.action<BlockButtonAction>(
    rollbackActionIds.open,
    tracked(deps.metrics, `button:${rollbackActionIds.open}`, async ({ ack, body, respond, client, context }) => {
      await ack();
      const { correlationId, log } = requestOf(context);
      const payload = buttonPayload.safeParse(body);
      if (!payload.success) {
        log.warn({ issues: payload.error.issues }, 'unreadable rollback button payload');
        noteOutcome('input_error');
        return;
      }
      const userId = payload.data.user.id;
      const actor = payload.data.actions[0]!.value;
      let viewId: string;
      try {
        viewId = await openModal(client, payload.data.trigger_id, loadingView('en'));
      } catch (error) {
        noteFailure(error);
        log.error({ err: error }, 'views.open failed');
        await answer(respond, renderError(error, { locale: 'en', correlationId }), log);
        return;
      }
      const admission = await admitRollbackInModal(deps, { userId, actor, correlationId, log, client, viewId });
      if (!admission) return;
      const { locale } = admission.admitted;
      const meta: RollbackSinceMetadata = { kind: 'rollback_since', viewId, user: userId, locale, actor };
      const privateMetadata = sealMetadata(deps.metadataKey, rollbackSinceMetadata.parse(meta));
      await updateModal(client, viewId, rollbackSinceView({ locale, actor, privateMetadata }), log);
    }),
  );
}
