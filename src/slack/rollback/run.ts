import type { webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import { previewRollback } from '../../undo/rollback-load.js';
import { runRollback } from '../../undo/rollback-run.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { renderError } from '../ui/errors.js';
import type { SlackMessage } from '../ui/message.js';
import type { RollbackDeps } from './deps.js';
import { countResults, rollbackChannelMessage, rollbackReportBlocks } from './report-blocks.js';
import { progressPace } from './progress-pace.js';
import { rollbackProgressBlocks } from './views.js';

/** The modal's progress is redrawn at most this often (views.update is rate limited per view). */
const PROGRESS_EVERY_MS = 2000;

/** Where a rollback's progress, then its report (or what went wrong), is shown: the modal, or the requester's DM. */
export type RollbackScreen = {
  progress(title: string, blocks: KnownBlock[]): Promise<unknown>;
  report(title: string, blocks: KnownBlock[]): Promise<unknown>;
  failed(message: SlackMessage): Promise<unknown>;
};

export type RollbackToRun = {
  /** Who rolls back (who asked, when it was approved). */
  lead: string;
  /** Who approved it, when IM_APPROVAL_FOR asked a second person: on every undo and in the channel message. */
  approvedBy?: string;
  /** Whose changes. */
  actor: string;
  since: number;
  /** When the preview was made: no change after it is undone. */
  until: number;
  /** The changes an approval request listed: only those are undone. */
  only?: ReadonlySet<string>;
  locale: Locale;
  rollbackId: string;
};

/**
 * Runs a confirmed (or approved) rollback: planned again from the audit store (the changes the preview showed, the
 * accounts as they are now), carried out by the core at the NetEase budget's pace, the progress on `screen` at most
 * every 2 s, then the per-item report; the audit channel gets the rollback's one message (each undo is audited on its
 * own, naming the rollback as its batch).
 * Never throws: what goes wrong is shown on `screen` and logged.
 */
export async function runRollbackInSlack(
  deps: RollbackDeps,
  input: { run: RollbackToRun; screen: RollbackScreen; client: webApi.WebClient; log: AppLogger },
): Promise<void> {
  const { run, screen, client, log } = input;
  const { rollbackId, locale } = run;
  const r = messages(locale).rollback;
  const now = deps.now ?? Date.now;
  try {
    const { actor, since, until } = run;
    const plan = await previewRollback(deps.trail.store, deps.nim, {
      actor,
      since,
      until,
      ...(run.only ? { only: run.only } : {}),
      correlationId: rollbackId,
    });
    const due = progressPace(now, PROGRESS_EVERY_MS);
    const results = await runRollback(plan, {
      trail: deps.trail,
      nim: deps.nim,
      reader: deps.nim,
      actor: run.lead,
      ...(run.approvedBy === undefined ? {} : { approvedBy: run.approvedBy }),
      command: 'rollback',
      rollbackId,
      now,
      ...(deps.qchatOperatorAccid ? { qchatOperatorAccid: deps.qchatOperatorAccid } : {}),
      ...(deps.liftSchedule ? { schedule: deps.liftSchedule } : {}),
      onProgress: (settled, total) => {
        if (due(settled, total)) void screen.progress(r.workingTitle, rollbackProgressBlocks(locale, settled, total));
      },
    });
    const counts = countResults(results);
    log.info({ rollbackId, actor, since, approvedBy: run.approvedBy, ...counts }, 'rollback finished');
    await screen.report(r.doneTitle, rollbackReportBlocks({ locale, results }));
    if (deps.auditChannel) {
      const message = rollbackChannelMessage({ ...run, counts });
      await client.chat
        .postMessage({ channel: deps.auditChannel, ...message, unfurl_links: false, unfurl_media: false })
        .catch((error: unknown) => log.warn({ err: error, rollbackId }, 'rollback: the audit channel message could not be posted'));
    }
  } catch (error) {
    noteFailure(error);
    log.error({ err: error, rollbackId }, 'rollback failed');
    await screen.failed(renderError(error, { locale, correlationId: rollbackId })).catch(() => undefined);
  }
}
