import type { webApi } from '@slack/bolt';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import { previewRollback } from '../../undo/rollback-load.js';
import { runRollback } from '../../undo/rollback-run.js';
import { messages } from '../i18n/catalog.js';
import { updateModal } from '../interaction/modal-reply.js';
import { renderError } from '../ui/errors.js';
import { closeOnlyView, noticeView } from '../ui/modal.js';
import type { RollbackDeps } from './deps.js';
import type { RollbackConfirmMetadata } from './metadata.js';
import { countResults, rollbackChannelMessage, rollbackReportBlocks } from './report-blocks.js';
import { progressPace } from './progress-pace.js';
import { rollbackProgressBlocks } from './views.js';

/** The modal's progress is redrawn at most this often (views.update is rate limited per view). */
const PROGRESS_EVERY_MS = 2000;

/**
 * Runs a confirmed rollback: planned again from the audit store (the changes the preview showed, the accounts as they
 * are now), carried out by the core at the NetEase budget's pace, the progress in the modal at most every 2 s, then
 * the per-item report; the audit channel gets the rollback's one message (each undo is audited on its own, naming the
 * rollback as its batch).
 * Never throws: what goes wrong is shown in the modal and logged.
 */
export async function runRollbackInSlack(
  deps: RollbackDeps,
  input: { meta: RollbackConfirmMetadata; viewId: string; client: webApi.WebClient; rollbackId: string; log: AppLogger },
): Promise<void> {
  const { meta, viewId, client, rollbackId, log } = input;
  const r = messages(meta.locale).rollback;
  const now = deps.now ?? Date.now;
  try {
    const { actor, since, until } = meta;
    const plan = await previewRollback(deps.trail.store, deps.nim, { actor, since, until, correlationId: rollbackId });
    const due = progressPace(now, PROGRESS_EVERY_MS);
    const results = await runRollback(plan, {
      trail: deps.trail,
      nim: deps.nim,
      reader: deps.nim,
      actor: meta.user,
      command: 'rollback',
      rollbackId,
      now,
      ...(deps.qchatOperatorAccid ? { qchatOperatorAccid: deps.qchatOperatorAccid } : {}),
      ...(deps.liftSchedule ? { schedule: deps.liftSchedule } : {}),
      onProgress: (settled, total) => {
        if (!due(settled, total)) return;
        void updateModal(
          client,
          viewId,
          closeOnlyView(meta.locale, r.workingTitle, rollbackProgressBlocks(meta.locale, settled, total)),
          log,
        );
      },
    });
    const counts = countResults(results);
    log.info({ rollbackId, actor: meta.actor, since: meta.since, ...counts }, 'rollback finished');
    await updateModal(client, viewId, closeOnlyView(meta.locale, r.doneTitle, rollbackReportBlocks({ locale: meta.locale, results })), log);
    if (deps.auditChannel) {
      const message = rollbackChannelMessage({ lead: meta.user, actor: meta.actor, since: meta.since, rollbackId, counts });
      await client.chat
        .postMessage({ channel: deps.auditChannel, ...message, unfurl_links: false, unfurl_media: false })
        .catch((error: unknown) => log.warn({ err: error, rollbackId }, 'rollback: the audit channel message could not be posted'));
    }
  } catch (error) {
    noteFailure(error);
    log.error({ err: error, rollbackId }, 'rollback failed');
    const shown = renderError(error, { locale: meta.locale, correlationId: rollbackId });
    await updateModal(client, viewId, noticeView(meta.locale, 'error', shown), log).catch(() => undefined);
  }
}
