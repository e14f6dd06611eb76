import type { Checkboxes, FileInput, InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { durationText, type Duration } from '../../moderation/duration.js';
import type { AccountOutcome } from '../../moderation/execute.js';
import { MAX_ACCOUNTS, REASON_MAX, type MuteScope, type Sanction, type SanctionKind } from '../../moderation/sanction.js';
import { KICK_NOTIFY_EXT_MAX } from '../../nim/moderation-validate.js';
import { muteModules, type MuteModule } from '../../nim/types.js';
import { confirmationBlocks, progressBlocks } from './report.js';
import { context, plain } from '../ui/text.js';
import { messages, type Locale, type Messages } from '../i18n/catalog.js';
import type { SlackMessage } from '../ui/message.js';
import { closeOnlyView, modalLimits, textInput } from '../ui/modal.js';
import { callbackIds, INPUT_ACTION_ID } from '../ids.js';

/** The moderation modals: the form (what is missing), the one confirmation, progress, and the report. */

/** What the form is prefilled with: whatever was typed or clicked. */
export type ModerationPrefill = {
  accids?: readonly string[];
  reason?: string;
  scope?: MuteScope;
  duration?: Duration;
  needkick?: boolean;
  kickNotifyExt?: string;
};

export const EVERYWHERE = 'everywhere';
export const KICK = 'kick';
/** The block of the form's file_input (a list of accounts). */
export const ACCOUNTS_FILE = 'accountsFile';

export function moderationFormView(input: {
  kind: SanctionKind;
  locale: Locale;
  prefill: ModerationPrefill;
  privateMetadata: string;
  /** Offer a file_input for a list of accounts (bulk actions are wired); the Accounts field is then optional. */
  attachFile?: { maxAccounts: number; maxBytes: number };
}): ModalView {
  const m = messages(input.locale);
  const mm = m.moderation;
  const { kind, prefill, attachFile } = input;
  const blocks: KnownBlock[] = [
    textInput({
      blockId: 'accids',
      label: mm.accountsLabel,
      hint: mm.accountsHint(attachFile?.maxAccounts ?? MAX_ACCOUNTS),
      initial: (prefill.accids ?? []).join(' '),
      multiline: true,
      optional: attachFile !== undefined,
    }),
  ];
  if (attachFile) blocks.push(accountsFileInput(m, attachFile.maxBytes));
  if (kind === 'mute') {
    blocks.push(scopeInput(m, prefill.scope));
    blocks.push(
      textInput({
        blockId: 'duration',
        label: mm.durationLabel,
        hint: mm.durationHint,
        ...(prefill.duration ? { initial: durationText(prefill.duration) } : {}),
        optional: false,
      }),
    );
  }
  const restrictive = kind === 'mute' || kind === 'block';
  blocks.push(
    textInput({
      blockId: 'reason',
      label: restrictive ? mm.reasonLabel : mm.reasonOptionalLabel,
      hint: mm.reasonHint(REASON_MAX),
      maxLength: REASON_MAX,
      ...(prefill.reason ? { initial: prefill.reason } : {}),
      multiline: true,
      optional: !restrictive,
    }),
  );
  if (kind === 'block') {
    const option: PlainTextOption = { text: plain(mm.needkickOption, 75), value: KICK };
    const element: Checkboxes = { type: 'checkboxes', action_id: INPUT_ACTION_ID, options: [option] };
    if (prefill.needkick) element.initial_options = [option];
    blocks.push({ type: 'input', block_id: 'needkick', optional: true, label: plain(mm.needkickLabel), element });
    blocks.push(
      textInput({
        blockId: 'kickNotifyExt',
        label: mm.kickNotifyExtLabel,
        hint: mm.kickNotifyExtHint(KICK_NOTIFY_EXT_MAX),
        maxLength: KICK_NOTIFY_EXT_MAX,
        ...(prefill.kickNotifyExt ? { initial: prefill.kickNotifyExt } : {}),
        optional: true,
      }),
    );
  }
  return {
    type: 'modal',
    callback_id: callbackIds.moderationForm,
    title: plain(mm.formTitle[kind], modalLimits.title),
    submit: plain(mm.review, modalLimits.button),
    close: plain(m.modal.cancel, modalLimits.button),
    private_metadata: input.privateMetadata,
    blocks,
  };
}

/** One .txt or .csv of account ids (read by account-list's tokensOfFile). */
function accountsFileInput(m: Messages, maxBytes: number): InputBlock {
  const element: FileInput = { type: 'file_input', action_id: INPUT_ACTION_ID, filetypes: ['txt', 'csv'], max_files: 1 };
  return {
    type: 'input',
    block_id: ACCOUNTS_FILE,
    optional: true,
    label: plain(m.moderation.fileLabel, modalLimits.label),
    hint: plain(m.moderation.fileHint(Math.round(maxBytes / 1024)), modalLimits.hint),
    element,
  };
}

function scopeInput(m: Messages, scope: MuteScope | undefined): InputBlock {
  const labels: Record<MuteModule, string> = {
    muteP2P: m.muteStatus.scopeP2P,
    muteTeam: m.muteStatus.scopeTeam,
    muteRoom: m.muteStatus.scopeRoom,
    muteQChat: m.muteStatus.scopeQChat,
  };
  const options: PlainTextOption[] = [
    { text: plain(m.moderation.scopeEverywhere, 75), value: EVERYWHERE },
    ...muteModules.map((module) => ({ text: plain(labels[module], 75), value: module })),
  ];
  const chosen = scope === undefined || scope === 'everywhere' ? [EVERYWHERE] : [...scope];
  const element: Checkboxes = {
    type: 'checkboxes',
    action_id: INPUT_ACTION_ID,
    options,
    initial_options: options.filter((option) => chosen.includes(option.value!)),
  };
  return { type: 'input', block_id: 'scope', label: plain(m.moderation.scopeLabel), hint: plain(m.moderation.scopeHint), element };
}

/** The one confirmation: exactly what will happen; the submit button names the action. */
export function moderationConfirmView(input: {
  sanction: Sanction;
  locale: Locale;
  now: number;
  scheduled: boolean;
  privateMetadata: string;
  /** IM_APPROVAL_FOR covers it: the button asks for approval instead of acting. */
  needsApproval?: boolean;
}): ModalView {
  const m = messages(input.locale);
  const blocks = confirmationBlocks(input.sanction, input.locale, input.now, input.scheduled, input.needsApproval);
  if (input.needsApproval) blocks.push(context(m.approval.needsNote));
  return {
    type: 'modal',
    callback_id: callbackIds.moderationConfirm,
    title: plain(m.moderation.confirmTitle, modalLimits.title),
    submit: plain(input.needsApproval ? m.approval.request : m.moderation.verb[input.sanction.kind], modalLimits.button),
    close: plain(m.modal.cancel, modalLimits.button),
    private_metadata: input.privateMetadata,
    blocks,
  };
}

/** While the accounts are worked on: the confirmation line and "n of N done". Nothing to submit. */
export function moderationProgressView(sanction: Sanction, locale: Locale, done: number, now: number): ModalView {
  return closeOnlyView(locale, messages(locale).moderation.workingTitle, progressBlocks(sanction, locale, done, now));
}

/** The report in the modal when it is done (it is also posted where the person started). */
/**
 * How the run ended, for the report's title: every account as asked (or already so, or not found), some failed or
 * unknown, none applied, or stopped (a shutdown paused it) with accounts never sent. A modal saying "Done" over a
 * list of failures, or of accounts not sent, would be read as success.
 */
export type ReportEnd = 'done' | 'problems' | 'failed' | 'stopped';

export function reportEnd(outcomes: readonly Pick<AccountOutcome, 'status'>[]): ReportEnd {
  // Stopped accounts were never sent (a shutdown paused the batch; the next start offers Continue).
  if (outcomes.some((outcome) => outcome.status === 'stopped')) return 'stopped';
  const troubled = outcomes.filter((outcome) => outcome.status === 'failed' || outcome.status === 'unknown').length;
  return troubled === 0 ? 'done' : troubled === outcomes.length ? 'failed' : 'problems';
}

export function moderationReportView(report: SlackMessage, locale: Locale, end: ReportEnd = 'done'): ModalView {
  const mm = messages(locale).moderation;
  const title = { done: mm.doneTitle, problems: mm.problemsTitle, failed: mm.failedTitle, stopped: mm.stoppedTitle }[end];
  return closeOnlyView(locale, title, report.blocks);
}
