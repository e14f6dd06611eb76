import type { KnownBlock, MrkdwnElement } from '@slack/types';
import type { AuditEntry, FieldChange, IntentRecord, OutcomeRecord, RefusalRecord } from '../../audit/records.js';
import type { Refusal } from '../../policy/types.js';
import { messages, type Locale, type Messages } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';
import { escapeMrkdwn } from '../ui/mrkdwn.js';
import { textLength } from '../ui/budget.js';
import { genderLabel, personalValue, type PersonalField } from '../ui/fields.js';
import { roleLabel } from '../ui/refusal.js';
import { usergroupList, type UsergroupHandles } from '../ui/usergroups.js';
import { actionLabel, auditTime } from '../ui/audit-labels.js';
import { approvalLine, fallbackTarget, rollbackLine, targetLabel, targetText } from './entry-subject.js';
import { undoable, undoButtonBlock, undoneNote } from '../ui/undo-button.js';
import { actorMention, code, context, header, labelled, limits, link, mrkdwn, quoted, section, untrusted } from '../ui/text.js';

/**
 * One audit entry for the audit channel: an update (intent and outcome together) or a refusal. The channel is seen by
 * many, so email, mobile and birthday are always masked; every value from a person or from NetEase is escaped, and
 * the only mention is the actor's, and only when it is a well-formed Slack user id.
 */
export function renderAuditEntry(
  entry: AuditEntry,
  locale: Locale = 'en',
  handles: UsergroupHandles = new Map(),
  /** The undo of this entry, when it was undone: its note replaces the Undo button. */
  undoneBy?: IntentRecord,
  /** A refusal standing for this many identical ones within a minute (the outbox folds them). */
  times = 1,
): SlackMessage {
  const m = messages(locale);
  return entry.kind === 'update' ? renderUpdate(m, entry.intent, entry.outcome, undoneBy) : renderRefusal(m, entry.refusal, handles, times);
}

/** How much of one before or after value is shown; the full value is in the audit log. */
const VALUE_MAX = 200;
const SHORT_VALUE_MAX = 40;

function renderUpdate(m: Messages, intent: IntentRecord, outcome: OutcomeRecord, undoneBy: IntentRecord | undefined): SlackMessage {
  const action = actionLabel(m, intent.action);
  const status = m.audit.status[outcome.status];
  const changes = Object.entries(intent.changes);
  const build = (valueMax: number): KnownBlock[] => [
    header(m.audit.title(action)),
    { type: 'section', fields: whatFields(m, intent, status) },
    ...outcomeBlocks(m, outcome),
    ...(intent.rollback ? [section(rollbackLine(m, intent.rollback))] : []),
    ...sanctionBlocks(m, intent),
    ...approvalBlocks(m, intent),
    ...(changes.length > 0 ? [section(`*${m.audit.changes}*`)] : []),
    ...changes.map(([field, change]) => section(changeLine(m, field, change, valueMax))),
    ...(intent.undoes ? [context(m.undo.undoes(code(intent.undoes, 40)))] : []),
    context(
      [...(showsPersonal(intent) ? [m.common.maskedNote] : []), auditTime(outcome.at), escapeMrkdwn(m.audit.correlation(intent.id))].join(
        ' · ',
      ),
    ),
    ...(undoneBy ? [undoneNote(m, undoneBy)] : undoable(outcome) ? [undoButtonBlock(m, intent.id)] : []),
  ];
  let blocks = build(VALUE_MAX);
  // Hostile values escape to 5× their length: shorten them rather than have Slack reject the whole entry.
  if (textLength(blocks) > limits.messageText) blocks = build(SHORT_VALUE_MAX);
  return {
    text: m.audit.fallbackUpdate(actorMention(intent.actor), action, fallbackTarget(intent.target), status),
    blocks,
  };
}

/** A change a second person approved, or a request that ended without its change: who decided. */
function approvalBlocks(m: Messages, intent: IntentRecord): KnownBlock[] {
  const line = approvalLine(m, intent);
  return line ? [context(line)] : [];
}

/** Whether the entry shows email, mobile or birthday (masked): only then does it say they are masked. */
export function showsPersonal(intent: Pick<IntentRecord, 'changes'>): boolean {
  return Object.keys(intent.changes).some(isPersonal);
}

/** A mute, unmute, block or unblock: why, where, until when; for a lift by the app, on whose behalf and how late. */
function sanctionBlocks(m: Messages, intent: IntentRecord): KnownBlock[] {
  const lines = sanctionDetailLines(m, intent);
  return lines.length > 0 ? [section(lines.join('\n'))] : [];
}

/**
 * The lines of a sanction's details, for the channel entry and /im-audit alike. The reason is the person's own text:
 * a quote (escaped, every line prefixed `>`), so nothing in it can pass for one of the entry's fields.
 */
export function sanctionDetailLines(
  m: Messages,
  intent: Pick<IntentRecord, 'sanction' | 'batch' | 'approvalEnded'>,
  reasonMax = 600,
  batchLinks: ReadonlyMap<string, string> = new Map(),
): string[] {
  const details = intent.sanction;
  if (!details) return [];
  const a = m.moderation.audit;
  const lines: string[] = [];
  // One account of a bulk action: a link to the audit channel's one message for the action, or else its batch id,
  // which that message shows.
  if (intent.batch) {
    const permalink = batchLinks.get(intent.batch);
    const batch = m.moderation.batch;
    lines.push(
      batch.linkedBatch(permalink ? link(permalink, batch.batchId(intent.batch.slice(0, 80))) : batch.batchId(code(intent.batch, 80))),
    );
  }
  if (details.reason) lines.push(labelled(m.audit.reason, quoted(details.reason, reasonMax)));
  if (details.scope) {
    const where =
      details.scope === 'everywhere'
        ? m.moderation.whereEverywhere
        : details.scope.map((module) => placeName(m, module)).join(m.muteStatus.scopeSeparator);
    lines.push(labelled(a.scope, escapeMrkdwn(where)));
  }
  if (details.liftAt) lines.push(labelled(a.liftsAt, auditTime(details.liftAt)));
  // A timed mute whose request ended unapproved: how long it would have lasted from its approval (it never started).
  else if (details.durationMs && intent.approvalEnded) lines.push(labelled(m.moderation.durationLabel, howLong(m, details.durationMs)));
  if (details.forever) lines.push(labelled(a.liftsAt, a.never));
  if (details.needkick !== undefined) lines.push(labelled(a.devices, details.needkick ? a.loggedOut : a.staySignedIn));
  if (details.kickNotifyExt) lines.push(labelled(a.deviceMessage, code(details.kickNotifyExt, 300)));
  if (details.lifts)
    lines.push(
      a.timedLift(
        details.onBehalfOf ? actorMention(details.onBehalfOf) : '?',
        escapeMrkdwn(details.lifts),
        Math.round((details.lateMs ?? 0) / 1000),
      ),
    );
  return lines;
}

/** A duration in the largest unit that divides it (86 400 000 ms reads 1 day). */
function howLong(m: Messages, ms: number): string {
  const units = [
    ['w', 7 * 86_400_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const;
  const [unit, size] = units.find(([, each]) => ms % each === 0) ?? ['m', 60_000];
  return escapeMrkdwn(m.moderation.forHowLongFromApproval(Math.round(ms / size), unit));
}

function placeName(m: Messages, module: 'muteP2P' | 'muteTeam' | 'muteRoom' | 'muteQChat'): string {
  return {
    muteP2P: m.muteStatus.scopeP2P,
    muteTeam: m.muteStatus.scopeTeam,
    muteRoom: m.muteStatus.scopeRoom,
    muteQChat: m.muteStatus.scopeQChat,
  }[module];
}

function renderRefusal(m: Messages, refusal: RefusalRecord, handles: UsergroupHandles, times: number): SlackMessage {
  const action = actionLabel(m, refusal.action);
  const reason = refusalReason(m, refusal.refusal, handles);
  const fields = whatFields(m, refusal, m.audit.refused);
  return {
    text: m.audit.fallbackRefusal(actorMention(refusal.actor), action, fallbackTarget(refusal.target)),
    blocks: [
      header(m.audit.refusedTitle(action)),
      { type: 'section', fields },
      section(labelled(m.audit.reason, reason)),
      ...(refusal.accounts ? [section(accountsText(m, refusal.accounts))] : []),
      ...(times > 1 ? [context(m.audit.refusedTimes(times, auditTime(refusal.at)))] : []),
      context([auditTime(refusal.at), escapeMrkdwn(m.audit.correlation(refusal.id))].join(' · ')),
    ],
  };
}

/** How many of a refused action's accounts its message lists (a section holds 3,000 characters). */
const REFUSED_ACCOUNTS_SHOWN = 50;

function accountsText(m: Messages, accounts: readonly string[]): string {
  const more = accounts.length - REFUSED_ACCOUNTS_SHOWN;
  const listed = accounts.slice(0, REFUSED_ACCOUNTS_SHOWN).map((accid) => code(accid, 40));
  return m.audit.refusedAccounts(accounts.length, listed.join(' ') + (more > 0 ? ` ${m.common.andMore(more)}` : ''));
}

function whatFields(m: Messages, record: Pick<IntentRecord, 'actor' | 'command' | 'target'>, outcomeText: string): MrkdwnElement[] {
  const pairs: [string, string][] = [
    [m.audit.who, actorMention(record.actor)],
    [m.audit.command, code(record.command, 100) || m.common.absent],
    [targetLabel(m, record.target, m.fields.accid), targetText(record.target)],
    ...(record.target.serverId ? [[m.fields.serverId, code(record.target.serverId, 32)] as [string, string]] : []),
    [m.audit.outcome, outcomeText],
  ];
  return pairs.map(([label, value]) => mrkdwn(labelled(label, value), limits.field));
}

function outcomeBlocks(m: Messages, outcome: OutcomeRecord): KnownBlock[] {
  const lines: string[] = [];
  if (outcome.recovered) {
    lines.push(`${m.audit.recovered} *${m.audit.readBack[outcome.readBack ?? 'unknown']}*`);
  }
  const said = [
    outcome.nimCode === undefined ? undefined : m.audit.nimCode(outcome.nimCode),
    outcome.detail && !outcome.recovered ? untrusted(outcome.detail, 1000) : undefined,
  ].filter((part): part is string => part !== undefined);
  if (said.length > 0) lines.push(said.join(': '));
  return lines.length > 0 ? [section(lines.join('\n'))] : [];
}

export function changeLine(m: Messages, field: string, change: FieldChange, valueMax: number): string {
  if (isFlag(field)) return flagChangeLine(m, field, change);
  const show = (value: string | number | undefined): string => {
    if (value === undefined) return m.audit.notRead;
    if (field === 'gender' && typeof value === 'number') return genderLabel(m, value);
    const text = String(value);
    if (text === '') return m.values.empty;
    return code(isPersonal(field) ? personalValue(field, text, false) : text, valueMax);
  };
  return `*${escapeMrkdwn(fieldLabel(m, field))}*\n${show(change.before)} → ${show(change.after)}`;
}

const FLAGS = ['mute', 'muteP2P', 'muteTeam', 'muteRoom', 'muteQChat', 'valid'] as const;
type Flag = (typeof FLAGS)[number];

function isFlag(field: string): field is Flag {
  return (FLAGS as readonly string[]).includes(field);
}

/** A sanction flag in words: "Muted everywhere: no → yes"; NetEase's `valid` reads the other way, as "Blocked". */
function flagChangeLine(m: Messages, field: Flag, change: FieldChange): string {
  const word = (value: string | number | undefined): string => {
    if (value === undefined) return m.audit.notRead;
    const on = String(value) === 'true';
    return (field === 'valid' ? !on : on) ? m.audit.yes : m.audit.no;
  };
  return `*${escapeMrkdwn(m.audit.flagNames[field])}*\n${word(change.before)} → ${word(change.after)}`;
}

function isPersonal(field: string): field is PersonalField {
  return field === 'email' || field === 'mobile' || field === 'birth';
}

function fieldLabel(m: Messages, field: string): string {
  return Object.hasOwn(m.fields, field) ? m.fields[field as keyof Messages['fields']] : field;
}

/** The catalog entry that names each audited action. */

/** User groups by handle where Slack named them (`@im-writers`), by id otherwise; the record itself keeps the ids. */
export function refusalReason(m: Messages, refusal: Refusal, handles: UsergroupHandles): string {
  switch (refusal.reason) {
    case 'below_read_role':
      return m.audit.refusal.below_read_role(roleLabel(m, refusal.required));
    case 'not_a_writer':
    case 'not_a_moderator':
      return m.audit.refusal[refusal.reason](roleLabel(m, refusal.required), usergroupList(refusal.usergroups, handles));
    case 'protected_account':
      return m.audit.refusal.protected_account(refusal.accids.map((accid) => code(accid, 32)).join(', '));
    default:
      return m.audit.refusal[refusal.reason];
  }
}
