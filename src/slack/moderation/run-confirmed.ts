import type { webApi } from '@slack/bolt';
import type { AppLogger } from '../../logger.js';
import { noteFailure, noteOutcome } from '../../metrics/outcome.js';
import { carryOutAsBatch } from '../../moderation/batch/carry-out-batch.js';
import { carryOut } from '../../moderation/execute.js';
import type { Sanction } from '../../moderation/sanction.js';
import { messages, type Locale } from '../i18n/catalog.js';
import type { WriteDeps } from '../interaction/deps.js';
import { tellPerson, type updateModal } from '../interaction/modal-reply.js';
import { withApprovedBy } from '../ui/approval-message.js';
import { renderError } from '../ui/errors.js';
import type { SlackMessage } from '../ui/message.js';
import { noticeView } from '../ui/modal.js';
import { section } from '../ui/text.js';
import { renderModerationReport } from './report.js';
import { moderationProgressView, moderationReportView, reportEnd } from './views.js';

/** How often at most a bulk action updates its progress (Slack's views.update is rate limited). */
const PROGRESS_EVERY_MS = 700;

/** How a confirmed sanction is carried out and reported: by its confirmation, or by the approval of its request. */
export type ConfirmedRun = {
  sanction: Sanction;
  actor: string;
  approvedBy?: string;
  command: string;
  correlationId: string;
  client: webApi.WebClient;
  log: AppLogger;
  locale: Locale;
  /** Where progress and the report are shown (the modal), if anywhere. */
  show?: (view: Parameters<typeof updateModal>[2]) => Promise<unknown>;
  /** The channel the person started in (the report goes there, ephemeral, else by DM). */
  channel?: string | undefined;
};

/**
 * Carries the sanction out through the core (each account's intent stored first), shows progress and the report,
 * and tells the person. One account is one audited write (and its own audit channel message); more run as a batch
 * (one audit channel message for the action). Returns the report's message, or undefined when the accounts could not
 * be read first (nothing sent).
 */
export async function runConfirmed(deps: WriteDeps, input: ConfirmedRun): Promise<SlackMessage | undefined> {
  const { sanction, client, correlationId, log, locale } = input;
  const userId = input.actor;
  const show = input.show ?? (() => Promise.resolve());
  const now = deps.now ?? Date.now;
  let lastShown = now();
  let report;
  const onProgress = (done: number, total: number) => {
    if (done === total || now() - lastShown < PROGRESS_EVERY_MS) return;
    lastShown = now();
    void show(moderationProgressView(sanction, locale, done, lastShown));
  };
  const approvedBy = input.approvedBy === undefined ? {} : { approvedBy: input.approvedBy };
  try {
    report =
      sanction.accids.length > 1
        ? await carryOutAsBatch(
            deps.batches,
            deps.nim,
            {
              id: correlationId,
              sanction,
              actor: userId,
              ...approvedBy,
              command: input.command,
              // The modal shows this run's progress and report here, so the batch's own modal updates are not asked for.
              origin: { user: userId, locale, ...(input.channel ? { channel: input.channel } : {}) },
            },
            { onProgress: (progress) => onProgress(progress.settled, progress.total) },
          )
        : await carryOut(sanction, {
            trail: deps.trail,
            nim: deps.nim,
            actor: userId,
            ...approvedBy,
            command: input.command,
            correlationId,
            now,
            ...(deps.liftSchedule ? { schedule: deps.liftSchedule } : {}),
          });
  } catch (error) {
    noteFailure(error);
    log.error({ err: error }, 'moderation: reading the accounts first failed; nothing sent');
    const message = renderError(error, { locale, correlationId });
    const failed = { ...message, blocks: [section(messages(locale).moderation.readFailed), ...message.blocks] };
    await show(noticeView(locale, 'error', failed));
    // An approved request has no modal open: the requester is told where they started, or by DM.
    if (!input.show) await tellPerson(client, { userId, channelId: input.channel, locale }, () => failed, log);
    return undefined;
  }
  const counts = Object.fromEntries(
    ['done', 'already', 'not_found', 'failed', 'unknown', 'stopped'].map((s) => [s, report.outcomes.filter((o) => o.status === s).length]),
  );
  log.info({ action: sanction.kind, accounts: sanction.accids.length, ...counts }, 'moderation carried out');
  if (counts.failed || counts.unknown) noteOutcome('nim_error');
  const message = renderModerationReport({ sanction, report, locale, scheduled: deps.liftSchedule !== undefined });
  await show(moderationReportView(message, locale, reportEnd(report.outcomes)));
  const told = input.approvedBy === undefined ? message : withApprovedBy(message, input.approvedBy, locale);
  await tellPerson(client, { userId, channelId: input.channel, locale: locale }, () => told, log);
  return message;
}
