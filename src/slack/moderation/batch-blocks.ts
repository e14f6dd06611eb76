import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { BatchRecord } from '../../audit/batch-record.js';
import type { BatchSlice } from '../../moderation/batch/announce.js';
import type { AccountList } from '../../moderation/batch/account-list.js';
import type { RunEnd } from '../../moderation/batch/batch-service.js';
import type { BatchCounts } from '../../moderation/batch/progress.js';
import { type Sanction, sanctionSchema } from '../../moderation/sanction.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { batchActionIds } from '../ids.js';
import { Budget, packList } from '../ui/budget.js';
import type { SlackMessage } from '../ui/message.js';
import { actorMention, code, context, header, link, plain, section } from '../ui/text.js';
import { confirmationText } from './report.js';

/**
 * Pure renderers of a batch (one action on many accounts): its confirmation (the count, the ids set aside), its
 * progress with a Stop button, the audit channel's one message and its thread replies, and the notice of a batch a
 * process death interrupted, with a Continue button.
 */

/** The sanction a batch record carries, with its accounts. */
export function sanctionOfBatch(batch: BatchRecord): Sanction {
  return { ...sanctionSchema.omit({ accids: true }).parse(batch.sanction), accids: [...batch.accids] };
}

/** The confirmation of a batch: what will happen to how many, and what was set aside before counting. */
export function batchConfirmationBlocks(input: { sanction: Sanction; list: AccountList; locale: Locale; now: number }): KnownBlock[] {
  const m = messages(input.locale).moderation.batch;
  const blocks: KnownBlock[] = [section(confirmationText(input.sanction, input.sanction.accids.length, input.locale, input.now))];
  const notes: string[] = [];
  if (input.list.duplicates > 0) notes.push(m.duplicatesFolded(input.list.duplicates));
  if (input.list.invalidCount > 0) {
    const shown = input.list.invalid.map((invalid) => code(invalid.text, 40)).join(' ');
    notes.push(m.invalidSetAside(input.list.invalidCount, shown));
  }
  if (notes.length > 0) blocks.push(section(notes.join('\n')));
  blocks.push(context(m.confirmNote));
  return blocks;
}

/** "412 of 734 — 3 failed" and the state, for the person's modal or message and the audit channel. */
export function countsText(locale: Locale, counts: BatchCounts, total: number): string {
  const m = messages(locale).moderation.batch;
  const settled = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return m.counts({ settled, total, ...counts });
}

/** How far it is: its state (paused by a shutdown, while its record still says running) and the counts. */
function stateLine(batch: BatchRecord, locale: Locale): string {
  const m = messages(locale).moderation.batch;
  const state = batch.state === 'running' && batch.pausedAt !== undefined ? m.pausedByShutdown : m.state[batch.state];
  return `${state} · ${countsText(locale, batch.counts, batch.accids.length)}`;
}

/** While it runs: the confirmation line, the counts, and Stop. */
export function batchProgressBlocks(batch: BatchRecord, locale: Locale, now: number): KnownBlock[] {
  const m = messages(locale).moderation.batch;
  const blocks: KnownBlock[] = [
    section(confirmationText(sanctionOfBatch(batch), batch.accids.length, locale, now)),
    context(stateLine(batch, locale)),
  ];
  if (batch.state === 'running' && batch.pausedAt === undefined)
    blocks.push(buttons([{ text: m.stop, actionId: batchActionIds.stop, value: batch.id, style: 'danger' }]));
  return blocks;
}

/** The audit channel's one message for the batch: who, what, why, for how long, and the counts. */
export function batchAuditMessage(batch: BatchRecord, locale: Locale): SlackMessage {
  const m = messages(locale).moderation.batch;
  const title = m.auditTitle(batch.action, batch.accids.length);
  const counts = countsText(locale, batch.counts, batch.accids.length);
  const blocks: KnownBlock[] = [
    header(title),
    section(
      [
        actorMention(batch.actor),
        ...(batch.approvedBy ? [m.approvedBy(actorMention(batch.approvedBy))] : []),
        confirmationText(sanctionOfBatch(batch), batch.accids.length, locale, batch.createdAt),
      ].join(' · '),
    ),
    context(`${stateLine(batch, locale)} · ${m.batchId(code(batch.id, 80))}`),
  ];
  return { text: `${title}: ${counts}`, blocks };
}

/** One thread reply: the accounts of one slice and how each ended. */
export function batchReplyMessage(batch: BatchRecord, slice: BatchSlice, locale: Locale): SlackMessage {
  const m = messages(locale).moderation.batch;
  const title = m.replyTitle(slice.from + 1, slice.to, batch.accids.length);
  const lines = slice.accounts.map((account) => `${code(account.accid, 40)} ${m.status[account.status ?? 'stopped']}`);
  const budget = new Budget();
  return {
    text: title,
    blocks: [...budget.spend([section(`*${title}*`)]), ...packList('', lines, budget, messages(locale).common.andMore)],
  };
}

/**
 * To the person who started it, when a run ends (finished, stopped, failed): what, the counts over every run, and a
 * link to the audit channel's message for it (its id when there is no link).
 */
export function batchEndedMessage(batch: BatchRecord, how: RunEnd, locale: Locale): SlackMessage {
  const m = messages(locale).moderation.batch;
  const text = m.ended(how, batch.action, batch.accids.length, countsText(locale, batch.counts, batch.accids.length));
  const permalink = batch.posted?.permalink;
  const where = permalink ? m.auditMessageLink(link(permalink, m.auditMessageLabel)) : m.batchId(code(batch.id, 80));
  return {
    text,
    blocks: [
      section(text),
      context(`${confirmationText(sanctionOfBatch(batch), batch.accids.length, locale, batch.createdAt)} · ${where}`),
    ],
  };
}

/** To the person (and in the audit channel): the batch was cut short by a process death; Continue does the rest. */
export function batchInterruptedMessage(batch: BatchRecord, locale: Locale): SlackMessage {
  const m = messages(locale).moderation.batch;
  const counts = countsText(locale, batch.counts, batch.accids.length);
  const text = m.interrupted(batch.accids.length, counts);
  return {
    text,
    blocks: [
      section(text),
      context(confirmationText(sanctionOfBatch(batch), batch.accids.length, locale, batch.createdAt)),
      buttons([{ text: m.continue, actionId: batchActionIds.continue, value: batch.id, style: 'primary' }]),
    ],
  };
}

function buttons(items: { text: string; actionId: string; value: string; style?: 'primary' | 'danger' }[]): ActionsBlock {
  return {
    type: 'actions',
    elements: items.map((item) => ({
      type: 'button',
      text: plain(item.text, 75),
      action_id: item.actionId,
      value: item.value,
      ...(item.style ? { style: item.style } : {}),
    })),
  };
}
