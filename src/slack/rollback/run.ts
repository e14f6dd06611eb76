import type { KnownBlock } from '@slack/types';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { renderError } from '../ui/errors.js';
import { section } from '../ui/text.js';
import type { SlackMessage } from '../ui/message.js';
import type { RollbackDeps } from './deps.js';
import { rollbackReportBlocks } from './report-blocks.js';
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
 * Runs a confirmed (or approved) rollback as a durable long run (RollbackService): planned again from the audit store
 * (the changes the preview showed, the accounts as they are now), its record stored before the first undo, carried out
 * at the NetEase budget's pace, the progress on `screen` at most every 2 s, then the per-item report. The audit
 * channel's one message is posted at the start and updated as it runs, the per-change list in thread replies (each
 * undo is audited on its own, naming the rollback as its batch); a process death is reported at the next start.
 * Never throws: what goes wrong is shown on `screen` and logged.
 */
export async function runRollbackInSlack(
  deps: RollbackDeps,
  input: { run: RollbackToRun; screen: RollbackScreen; log: AppLogger },
): Promise<void> {
  const { run, screen, log } = input;
  const { rollbackId, locale } = run;
  const r = messages(locale).rollback;
  const due = progressPace(deps.now ?? Date.now, PROGRESS_EVERY_MS);
  try {
    const outcome = await deps.rollbacks.run(
      {
        id: rollbackId,
        lead: run.lead,
        ...(run.approvedBy === undefined ? {} : { approvedBy: run.approvedBy }),
        subject: run.actor,
        since: run.since,
        until: run.until,
        ...(run.only ? { only: run.only } : {}),
        origin: { user: run.lead, locale },
      },
      {
        onProgress: (settled, total) => {
          if (due(settled, total)) void screen.progress(r.workingTitle, rollbackProgressBlocks(locale, settled, total));
        },
      },
    );
    const { run: record, results } = outcome;
    if (outcome.paused) {
      log.info({ rollbackId, ...record.counts }, 'rollback paused by a shutdown; the next start reports it with Continue');
      const text = r.pausedByShutdown(Object.keys(record.settled).length, record.items.length);
      await screen.report(r.workingTitle, [section(text)]);
      return;
    }
    log.info({ rollbackId, actor: run.actor, since: run.since, approvedBy: run.approvedBy, ...record.counts }, 'rollback finished');
    await screen.report(r.doneTitle, rollbackReportBlocks({ locale, results }));
  } catch (error) {
    noteFailure(error);
    log.error({ err: error, rollbackId }, 'rollback failed');
    await screen.failed(renderError(error, { locale, correlationId: rollbackId })).catch(() => undefined);
  }
}
