import { rollbackButtonBlock } from '../ui/rollback-button.js';
import type { KnownBlock } from '@slack/types';
import type { IntentRecord, RefusalRecord } from '../../audit/records.js';
import type { HistoryItem } from '../../audit/store/contract.js';
import { messages, type Locale, type Messages } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';
import { escapeMrkdwn } from '../ui/mrkdwn.js';
import { actorMention } from '../ui/text.js';
import { changeLine, refusalReason, sanctionDetailLines, showsPersonal } from './entry.js';
import { approvalLine, rollbackLine, targetLabel, targetText } from './entry-subject.js';
import type { UsergroupHandles } from '../ui/usergroups.js';
import { actionLabel, auditTime } from '../ui/audit-labels.js';
import { undoable, undoButton } from '../ui/undo-button.js';
import { textLength } from '../ui/budget.js';
import { clipMrkdwn, code, context, inlineLabelled, labelled, limits, plain, section } from '../ui/text.js';

/** The "More" button under a page; its value is the next page's query (re-validated on every click). */
export const auditHistoryMoreAction = 'audit_history.more';

/** Whose history: one NetEase account, or one Slack person's doings. */
export type HistorySubject = { accid: string } | { actor: string };

export type AuditHistoryInput = {
  subject: HistorySubject;
  items: readonly HistoryItem[];
  locale: Locale;
  /** The "More" button's value (the next page's query), when there are older items. */
  more?: string;
  /** The handles of the user groups refusals name (`@im-writers`), as in the channel; ids where absent. */
  handles?: UsergroupHandles;
  /** Roll back… under a person's history: the viewer may both write and moderate. */
  rollback?: boolean;
  /** The audit channel message of each bulk action (batch id → permalink) an entry on the page is part of. */
  batchLinks?: ReadonlyMap<string, string>;
};

/** How much of one before or after value is shown; a page holds up to 10 entries, so less than in the channel. */
const VALUE_MAX = 80;
const SHORT_VALUE_MAX = 20;

/**
 * One page of `/im-audit`: changes, sanctions and refusals, newest first, each as who, what, before → after, outcome
 * and when. Masked as in the audit channel (email, mobile, birthday), every value escaped, the only mentions the
 * actors', and a "More" button when older entries remain.
 */
export function renderAuditHistory(input: AuditHistoryInput): SlackMessage {
  const m = messages(input.locale);
  const title =
    'accid' in input.subject
      ? m.auditHistory.titleAccount(code(input.subject.accid, 64))
      : m.auditHistory.titlePerson(actorMention(input.subject.actor));
  const handles = input.handles ?? new Map<string, string>();
  const batchLinks = input.batchLinks ?? new Map<string, string>();
  const masked = input.items.some((item) => item.kind === 'update' && showsPersonal(item.intent)) ? [m.common.maskedNote] : [];
  // An undo newer than what it undid is on this page or an earlier one: the page knows those it shows.
  const undone = new Map(
    input.items.flatMap((item) =>
      item.kind === 'update' && item.intent.undoes && undoable(item.outcome) ? [[item.intent.undoes, item.intent]] : [],
    ),
  );
  const build = (valueMax: number): KnownBlock[] => [
    section(title),
    ...(input.items.length === 0 ? [section(m.auditHistory.empty)] : []),
    ...input.items.flatMap((item): KnownBlock[] => [{ type: 'divider' }, itemBlock(m, item, { valueMax, handles, batchLinks }, undone)]),
    ...(input.items.length > 0 ? [context([m.auditHistory.shown(input.items.length), ...masked].join(' · '))] : []),
    ...(input.more ? [moreButton(m, input.more)] : []),
    ...(input.rollback && 'actor' in input.subject && input.items.length > 0 ? [rollbackButtonBlock(m, input.subject.actor)] : []),
  ];
  let blocks = build(VALUE_MAX);
  // Escaping can make hostile values five times longer: shorten them rather than have Slack refuse the page.
  if (textLength(blocks) > limits.messageText) blocks = build(SHORT_VALUE_MAX);
  return { text: clipMrkdwn(title, limits.altText), blocks };
}

/** One entry; a change in place gets Undo beside it, or says who undid it. */
/** How an item is drawn: how much of a value, the user groups' handles, the bulk actions' links. */
type ItemStyle = { valueMax: number; handles: UsergroupHandles; batchLinks: ReadonlyMap<string, string> };

function itemBlock(m: Messages, item: HistoryItem, style: ItemStyle, undone: ReadonlyMap<string, IntentRecord>): KnownBlock {
  const text = itemText(m, item, style);
  if (item.kind !== 'update' || !undoable(item.outcome)) return section(text);
  const by = undone.get(item.intent.id);
  if (by)
    return section(
      clipMrkdwn(`${text}\n${m.undo.undoneBy(actorMention(by.actor), auditTime(by.at), code(by.id, 40))}`, limits.sectionText),
    );
  return { ...section(text), accessory: undoButton(m, item.intent.id) };
}

function itemText(m: Messages, item: HistoryItem, style: ItemStyle): string {
  const text = item.kind === 'update' ? updateText(m, item, style) : refusalText(m, item.refusal, style.handles);
  return clipMrkdwn(text, limits.sectionText);
}

function updateText(m: Messages, item: Extract<HistoryItem, { kind: 'update' }>, style: ItemStyle): string {
  const { valueMax } = style;
  const { intent, outcome } = item;
  const status = outcome ? m.audit.status[outcome.status] : m.auditHistory.inFlight;
  const nimCode = outcome?.nimCode === undefined ? '' : ` (${m.audit.nimCode(outcome.nimCode)})`;
  const changes = Object.entries(intent.changes).map(([field, change]) => changeLine(m, field, change, valueMax));
  const details = sanctionDetailLines(m, intent, valueMax * 3, style.batchLinks);
  const approval = approvalLine(m, intent);
  const outcomeLine = `${status}${escapeMrkdwn(nimCode)}`;
  return [
    headLine(m, intent.action, intent.at),
    whoLine(m, intent),
    outcomeLine,
    ...(approval ? [approval] : []),
    ...(intent.rollback ? [rollbackLine(m, intent.rollback)] : []),
    ...details,
    ...changes,
  ].join('\n');
}

function refusalText(m: Messages, refusal: RefusalRecord, handles: UsergroupHandles): string {
  return [
    headLine(m, refusal.action, refusal.at),
    whoLine(m, refusal),
    labelled(m.audit.refused, refusalReason(m, refusal.refusal, handles)),
  ].join('\n');
}

function headLine(m: Messages, action: IntentRecord['action'], at: string): string {
  return `*${escapeMrkdwn(actionLabel(m, action))}* · ${auditTime(at)}`;
}

function whoLine(m: Messages, record: Pick<IntentRecord, 'actor' | 'command' | 'target'>): string {
  return [
    inlineLabelled(m.audit.who, actorMention(record.actor)),
    inlineLabelled(targetLabel(m, record.target, m.auditHistory.account), targetText(record.target)),
    ...(record.target.serverId ? [inlineLabelled(m.fields.serverId, code(record.target.serverId, 32))] : []),
    inlineLabelled(m.audit.command, code(record.command, 100) || m.common.absent),
  ].join(' · ');
}

function moreButton(m: Messages, value: string): KnownBlock {
  return {
    type: 'actions',
    elements: [{ type: 'button', action_id: auditHistoryMoreAction, text: plain(m.auditHistory.more, limits.buttonText), value }],
  };
}
