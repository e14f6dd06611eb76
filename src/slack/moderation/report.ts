import type { KnownBlock } from '@slack/types';
import { utcMinute } from '../../moderation/duration.js';
import type { AccountOutcome, ModerationReport } from '../../moderation/execute.js';
import { type Sanction, scopeModules } from '../../moderation/sanction.js';
import type { MuteModule, UserCard } from '../../nim/types.js';
import { messages, type Locale, type Messages } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';
import { Budget, packList } from '../ui/budget.js';
import { code, context, header, section, untrusted } from '../ui/text.js';

/** Pure renderers of moderation: the one confirmation ("what will happen") and the per-account report. */

const REASON_SHOWN = 600;

function placeLabel(m: Messages, module: MuteModule): string {
  const labels: Record<MuteModule, string> = {
    muteP2P: m.muteStatus.scopeP2P,
    muteTeam: m.muteStatus.scopeTeam,
    muteRoom: m.muteStatus.scopeRoom,
    muteQChat: m.muteStatus.scopeQChat,
  };
  return labels[module];
}

/**
 * Exactly what will happen, in one line of mrkdwn: "*Mute 3 accounts everywhere for 24 h, until 2026-12-01 14:00 UTC*
 * — reason: spam links". `now` is when it was confirmed, and the lift time is counted from it; before the
 * confirmation (`now` undefined) no time is named: it would be frozen at the moment the confirmation opened.
 */
export function confirmationText(
  sanction: Omit<Sanction, 'accids'>,
  /** How many accounts it acts on (a batch's request lists only its first few). */
  count: number,
  locale: Locale,
  now: number | undefined,
  /** Without `now`: a timed mute counts from the confirmation, or (an approval request) from its approval. */
  from: 'confirm' | 'approval' = 'confirm',
): string {
  const m = messages(locale).moderation;
  const reason = untrusted(sanction.reason.trim(), REASON_SHOWN);
  const n = count;
  switch (sanction.kind) {
    case 'mute': {
      const scope = sanction.scope ?? 'everywhere';
      const where =
        scope === 'everywhere'
          ? m.whereEverywhere
          : m.whereIn(
              scopeModules(scope)
                .map((module) => placeLabel(messages(locale), module))
                .join(messages(locale).muteStatus.scopeSeparator),
            );
      const duration = sanction.duration ?? { forever: true };
      const howLong = duration.forever
        ? m.forever
        : now === undefined
          ? (from === 'approval' ? m.forHowLongFromApproval : m.forHowLongFromConfirm)(duration.amount, duration.unit)
          : m.forHowLong(duration.amount, duration.unit, utcMinute(now + duration.ms));
      return m.summary.mute(n, where, howLong, reason);
    }
    case 'unmute':
      return m.summary.unmute(n, reason);
    case 'block':
      return m.summary.block(n, sanction.needkick === true, reason);
    case 'unblock':
      return m.summary.unblock(n, reason);
  }
}

/**
 * The confirmation's blocks: what will happen, the accounts, the device message, and a note. `scheduled` says whether
 * this deployment keeps a lift schedule; without one a timed mute is said plainly not to lift by itself.
 */
export function confirmationBlocks(
  sanction: Sanction,
  locale: Locale,
  now: number,
  scheduled: boolean,
  /** IM_APPROVAL_FOR covers it: the button asks, and what it would do happens when someone else approves. */
  asksApproval = false,
): KnownBlock[] {
  const m = messages(locale).moderation;
  // The lift time is counted when the person confirms: the report names it (this view may sit open for a while).
  void now;
  const blocks: KnownBlock[] = [
    section(confirmationText(sanction, sanction.accids.length, locale, undefined, asksApproval ? 'approval' : 'confirm')),
  ];
  const duration = sanction.kind === 'mute' ? sanction.duration : undefined;
  if (duration && !duration.forever && !scheduled) blocks.push(context(m.noScheduleAhead));
  blocks.push(section(m.accountList(sanction.accids.map((accid) => code(accid, 40)).join(' '))));
  if (sanction.kind === 'block' && sanction.kickNotifyExt) blocks.push(context(m.deviceMessage(code(sanction.kickNotifyExt, 300))));
  if (!asksApproval) blocks.push(context(m.confirmNote));
  return blocks;
}

/** An account's state as NetEase reports it, in a few words. */
export function stateText(m: Messages, card: UserCard | undefined): string {
  const mm = m.moderation;
  if (!card) return mm.stateUnread;
  const places: string[] = [];
  if (card.mute === true) places.push(mm.whereEverywhere);
  for (const module of ['muteP2P', 'muteTeam', 'muteRoom', 'muteQChat'] as const)
    if (card[module] === true) places.push(placeLabel(m, module));
  const mute = places.length > 0 ? mm.mutedIn(places.join(m.muteStatus.scopeSeparator)) : mm.notMuted;
  return `${mute} · ${card.valid === false ? mm.blocked : mm.notBlocked}`;
}

function statusText(m: Messages, outcome: AccountOutcome): string {
  const status = m.moderation.status;
  switch (outcome.status) {
    case 'done':
      return outcome.confirmedByReadBack ? status.doneConfirmed : status.done;
    case 'already':
      return status.already;
    case 'not_found':
      return status.not_found;
    case 'failed':
      if (outcome.nimCode === 416 && outcome.retryAfterMs !== undefined)
        return status.rateLimited(Math.max(1, Math.ceil(outcome.retryAfterMs / 1000)));
      return status.failed(outcome.nimCode === undefined ? outcome.errorCode : `NetEase ${outcome.nimCode}`);
    case 'unknown':
      return status.unknown;
    case 'stopped':
      return m.moderation.batch.status.stopped;
  }
}

export type ReportInput = {
  sanction: Sanction;
  report: ModerationReport;
  locale: Locale;
  /** A lift schedule exists. */ scheduled: boolean;
};

/** The per-account report: done, already so, not found, failed with NetEase's code; and each account's state now. */
export function renderModerationReport(input: ReportInput): SlackMessage {
  const m = messages(input.locale);
  const { outcomes } = input.report;
  const count = (status: AccountOutcome['status']) => outcomes.filter((outcome) => outcome.status === status).length;
  const summary = m.moderation.reportSummary(
    count('done'),
    count('already'),
    count('not_found'),
    count('failed') + count('unknown'),
    count('stopped'),
  );
  const budget = new Budget();
  const title = m.moderation.reportTitle[input.sanction.kind](outcomes.length);
  const blocks: KnownBlock[] = budget.spend([header(title), section(confirmationTextPast(input)), context(summary)]);
  if (input.report.liftAt !== undefined && count('done') > 0) {
    const until = utcMinute(input.report.liftAt);
    blocks.push(...budget.spend([context(input.scheduled ? m.moderation.liftsAt(until) : m.moderation.noSchedule(until))]));
  }
  const lines = outcomes.map((outcome) => {
    const state = outcome.status === 'not_found' ? '' : ` · ${m.moderation.nowState(stateText(m, outcome.card))}`;
    return `• ${code(outcome.accid, 40)} — ${statusText(m, outcome)}${state}`;
  });
  blocks.push(...packList('', lines, budget, m.common.andMore));
  return { text: `${title}: ${summary}`, blocks };
}

/** The confirmation line again, under the report, so the message says what was asked. */
function confirmationTextPast(input: ReportInput): string {
  const liftAt = input.report.liftAt;
  const duration = input.sanction.duration;
  // Only a timed mute shows a time, and it has liftAt; the others ignore `now`.
  const now = liftAt !== undefined && duration && !duration.forever ? liftAt - duration.ms : 0;
  return confirmationText(input.sanction, input.sanction.accids.length, input.locale, now);
}

/** The progress line while a bulk action runs. */
export function progressBlocks(sanction: Sanction, locale: Locale, done: number, now: number): KnownBlock[] {
  return [
    section(confirmationText(sanction, sanction.accids.length, locale, now)),
    context(messages(locale).moderation.progress(done, sanction.accids.length)),
  ];
}
