import { targetPerson, type AuditTarget, type IntentRecord } from '../../audit/records.js';
import type { Messages } from '../i18n/catalog.js';
import { auditTime } from '../ui/audit-labels.js';
import { escapeMrkdwn } from '../ui/mrkdwn.js';
import { actorMention, code } from '../ui/text.js';

/** What an entry was about and how its request ended, for the channel entry and /im-audit alike. */

/** The approval line of an entry, for the channel entry and /im-audit alike; undefined when none was asked. */
export function approvalLine(m: Messages, intent: Pick<IntentRecord, 'actor' | 'approvedBy' | 'approvalEnded'>): string | undefined {
  const ended = intent.approvalEnded;
  if (!ended) return intent.approvedBy ? m.approval.entryApprovedBy(actorMention(intent.approvedBy)) : undefined;
  const line =
    ended.status === 'expired'
      ? m.approval.entryExpired
      : !ended.by || ended.by === intent.actor
        ? m.approval.entryWithdrawn
        : m.approval.entryRejectedBy(actorMention(ended.by));
  return ended.accounts ? `${line} ${m.approval.entryAccounts(ended.accounts)}` : line;
}

/** A rollback's entry, beside whose changes (its target): how many changes over how many accounts, since when. */
export function rollbackLine(m: Messages, rollback: NonNullable<IntentRecord['rollback']>): string {
  // Numbers and a time (escaped by auditTime): nothing in it comes from a person.
  return m.audit.rollbackSpan(rollback.changes, rollback.accounts, auditTime(rollback.since));
}

/** An entry's target as shown: the person an entry about a Slack person names (a mention), else the account. */
export function targetText(target: AuditTarget, max = 64): string {
  const person = targetPerson(target);
  return person ? actorMention(person) : code(target.accid, max);
}

/** The target in a notification's plain text: the person's mention, or the account escaped. */
export function fallbackTarget(target: AuditTarget): string {
  const person = targetPerson(target);
  return person ? actorMention(person) : escapeMrkdwn(target.accid);
}

/** The label of an entry's target: an account, or the person whose changes a rollback was about. */
export function targetLabel(m: Messages, target: AuditTarget, accountLabel: string): string {
  return targetPerson(target) ? m.audit.rollbackOf : accountLabel;
}
