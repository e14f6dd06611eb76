import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { needsApproval } from '../../approval/index.js';
import type { HistoryItem } from '../../audit/store/contract.js';
import { noteFailure, noteOutcome, tracked } from '../../metrics/outcome.js';
import { undoActionOf } from '../../undo/inverse.js';
import { prepareUndo } from '../../undo/prepare.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { undoActionIds } from '../ids.js';
import { openGuardedModal } from '../interaction/admit.js';
import type { WriteDeps } from '../interaction/deps.js';
import { updateModal } from '../interaction/modal-reply.js';
import { slackUserId } from '../interaction/payloads.js';
import { answer } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';
import { sealMetadata } from '../interaction/sealed-metadata.js';
import { renderError } from '../ui/errors.js';
import { noticeView } from '../ui/modal.js';
import { renderRefusal } from '../ui/refusal.js';
import { undoConfirmView } from './confirm-view.js';
import { undoConfirmMetadata, type UndoConfirmMetadata } from './metadata.js';
import { note, preparationNotice } from './notices.js';
import { refusedAsProtectedUndo } from './protected-refusal.js';

const COMMAND = 'undo button';

const buttonPayload = z.object({
  user: z.object({ id: slackUserId }),
  trigger_id: z.string().min(1).max(255),
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z.object({ channel_id: z.string().min(1).optional() }).optional(),
  actions: z.array(z.object({ value: z.string().min(1).max(128) })).min(1),
});

/**
 * Undo on an audit channel entry or an /im-audit item: the entry's id comes back from the client, so it is looked up
 * in the audit store, never trusted for more. The permission of the action the undo performs is checked at once (a
 * refusal is audited and shown in the modal), then the account is read and the one confirmation shows exactly what
 * will be set, and what someone changed since.
 */
export function registerUndoButton(app: App, deps: WriteDeps): void {
  app.action<BlockButtonAction>(
    undoActionIds.undo,
    tracked(deps.metrics, `button:${undoActionIds.undo}`, async ({ ack, body, respond, client, context }) => {
      await ack();
      const { correlationId, log } = requestOf(context);
      const payload = buttonPayload.safeParse(body);
      if (!payload.success) {
        log.warn({ issues: payload.error.issues }, 'unreadable undo button payload');
        noteOutcome('input_error');
        return;
      }
      const { data } = payload;
      const entryId = data.actions[0]!.value;
      let item: HistoryItem | undefined;
      try {
        item = await deps.trail.store.entry(entryId);
      } catch (error) {
        noteFailure(error);
        await answer(respond, renderError(error, { locale: 'en', correlationId }), log);
        return;
      }
      if (!item || item.kind !== 'update') {
        const u = messages('en').undo;
        await answer(respond, note(item ? u.notUndoable.refusal : u.unknownEntry), log);
        return;
      }
      const original = item.intent;
      // A rollback's entry is a request that ended without running: nothing of it is in place to undo.
      if (original.action === 'rollback') return void (await answer(respond, note(messages('en').undo.notUndoable.refusal), log));
      const action = undoActionOf(original.action);
      const opened = await openGuardedModal(deps, {
        userId: data.user.id,
        triggerId: data.trigger_id,
        attempt: { action, command: COMMAND, target: original.target, id: correlationId },
        respond,
        client,
        correlationId,
        log,
      });
      if (!opened) return;
      const { viewId, admitted } = opened;
      const locale: Locale = admitted.locale;
      const protectedRefusal = await refusedAsProtectedUndo(deps, {
        userId: data.user.id,
        attempt: { action, command: COMMAND, target: original.target, id: correlationId },
        undo: { action, target: original.target },
        locale,
        log,
      });
      if (protectedRefusal) {
        const refusal = renderRefusal(protectedRefusal.refusal, locale, protectedRefusal.handles);
        await updateModal(client, viewId, noticeView(locale, 'refused', refusal), log);
        return;
      }
      try {
        const prep = await prepareUndo(deps.trail.store, deps.nim, entryId, correlationId);
        if (prep.kind !== 'checked' || prep.check.status === 'already') {
          await updateModal(client, viewId, noticeView(locale, 'error', preparationNotice(locale, prep)), log);
          return;
        }
        const channel = data.channel?.id ?? data.container?.channel_id;
        const meta: UndoConfirmMetadata = {
          kind: 'undo_confirm',
          viewId,
          user: data.user.id,
          locale,
          entryId,
          action,
          changed: prep.check.status === 'changed_since' ? prep.check.changed.map((change) => change.key) : [],
          ...(channel && /^[CDG][A-Z0-9]{2,}$/.test(channel) ? { channel } : {}),
        };
        const privateMetadata = sealMetadata(deps.metadataKey, undoConfirmMetadata.parse(meta));
        const approvals = deps.approvals;
        const asks = approvals !== undefined && needsApproval(approvals.policy, { kind: 'undo', action: prep.inverse.action });
        await updateModal(client, viewId, undoConfirmView({ locale, original, prep, privateMetadata, needsApproval: asks }), log);
      } catch (error) {
        noteFailure(error);
        log.error({ err: error, entryId }, 'undo: reading the account failed');
        await updateModal(client, viewId, noticeView(locale, 'error', renderError(error, { locale, correlationId })), log);
      }
    }),
  );
}
