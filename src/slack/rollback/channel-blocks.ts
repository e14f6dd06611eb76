import type { KnownBlock } from '@slack/types';
import type { RollbackRecord } from '../../audit/rollback-record.js';
import type { RollbackSlice } from '../../undo/rollback-progress.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { rollbackActionIds } from '../ids.js';
import { auditTime } from '../ui/audit-labels.js';
import type { SlackMessage } from '../ui/message.js';
import { actorMention, code, context, plain, section } from '../ui/text.js';
import { packLines } from './packed-lines.js';
import { resultLine } from './report-blocks.js';

/**
 * A rollback in the audit channel (English: the channel is shared), from its stored record: the one message (who
 * rolled back whose changes since when, the counts, how far it is), the thread replies listing each change and how
 * it ended, and the notice of a rollback a process death interrupted, with Continue.
 */

function countsOf(run: RollbackRecord, locale: Locale): string {
  const { undone, skipped_changed_since, skipped, failed } = run.counts;
  return messages(locale).rollback.reportCounts(undone, skipped_changed_since, skipped, failed);
}

const settledOf = (run: RollbackRecord) => run.items.filter((item) => run.settled[item.original] !== undefined).length;

export function rollbackAuditMessage(run: RollbackRecord): SlackMessage {
  const r = messages('en').rollback;
  const head = r.channel(
    actorMention(run.actor),
    actorMention(run.subject),
    auditTime(new Date(run.since).toISOString()),
    code(run.id, 80),
  );
  const counts = countsOf(run, 'en');
  const settled = settledOf(run);
  const state =
    run.state === 'running'
      ? [context(run.pausedAt === undefined ? r.channelRunning(settled, run.items.length) : r.channelPaused(settled, run.items.length))]
      : run.state === 'interrupted'
        ? [context(r.channelInterrupted(settled, run.items.length))]
        : [];
  const approved = run.approvedBy ? [context(r.approvedBy(actorMention(run.approvedBy)))] : [];
  return { text: `${head.replace(/[*`]/g, '')}: ${counts}`, blocks: [section(head), ...approved, context(counts), ...state] };
}

/** One thread reply: changes `from`–`to` and how each ended (or that it was not reached). */
export function rollbackReplyMessage(run: RollbackRecord, slice: RollbackSlice): SlackMessage {
  const m = messages('en');
  const lines = slice.items.map((item) =>
    item.result ? resultLine(m, item.result) : `• ${code(item.original, 80)} · ${code(item.accid, 64)}: ${m.rollback.notReached}`,
  );
  const head = m.rollback.replyHead(slice.from + 1, slice.to, run.items.length);
  const packed = packLines(lines, 45);
  const blocks: KnownBlock[] = [section(head), ...packed.blocks];
  if (packed.notShown > 0) blocks.push(context(m.rollback.notShown(packed.notShown)));
  return { text: head, blocks };
}

/** To the person who ran it (their locale) and in the audit channel: how far it got, and Continue. */
export function rollbackInterruptedMessage(run: RollbackRecord, locale: Locale): SlackMessage {
  const r = messages(locale).rollback;
  const text = r.interrupted(actorMention(run.subject), settledOf(run), run.items.length, countsOf(run, locale));
  return {
    text,
    blocks: [
      section(text),
      context(code(run.id, 80)),
      {
        type: 'actions',
        elements: [{ type: 'button', text: plain(r.continue, 75), action_id: rollbackActionIds.continue, value: run.id, style: 'primary' }],
      },
    ],
  };
}
