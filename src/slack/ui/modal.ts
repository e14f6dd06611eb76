import type { InputBlock, KnownBlock, ModalView, PlainTextInput } from '@slack/types';
import { plain } from './text.js';
import type { Locale } from '../i18n/catalog.js';
import { messages } from '../i18n/catalog.js';
import type { SlackMessage } from './message.js';
import { callbackIds, INPUT_ACTION_ID } from '../ids.js';

/** Slack's limits for modals (slack-notes.md). */
export const modalLimits = { title: 24, button: 24, blocks: 100, hint: 2000, label: 2000, initialValue: 3000 } as const;

/** Opened at once (the trigger id lasts 3 s) while the permission check and the NetEase read run. */
export function loadingView(locale: Locale): ModalView {
  const m = messages(locale);
  return {
    type: 'modal',
    callback_id: callbackIds.loading,
    title: plain(m.modal.loadingTitle, modalLimits.title),
    close: plain(m.modal.cancel, modalLimits.button),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: m.modal.loading } }],
  };
}

/** A refusal or an error shown in place of the form: the message's blocks, and only a Close button. */
export function noticeView(locale: Locale, kind: 'refused' | 'error' | 'already_done', message: SlackMessage): ModalView {
  const m = messages(locale);
  const title = kind === 'refused' ? m.modal.refusedTitle : kind === 'already_done' ? m.modal.alreadyDoneTitle : m.modal.errorTitle;
  return closeOnlyView(locale, title, message.blocks);
}

/** A modal with nothing to submit: a title, the blocks (as many as Slack takes) and only a Close button. */
export function closeOnlyView(locale: Locale, title: string, blocks: readonly KnownBlock[]): ModalView {
  return {
    type: 'modal',
    callback_id: callbackIds.notice,
    title: plain(title, modalLimits.title),
    close: plain(messages(locale).modal.close, modalLimits.button),
    blocks: blocks.slice(0, modalLimits.blocks),
  };
}

export type TextInputSpec = {
  blockId: string;
  label: string;
  hint?: string;
  initial?: string;
  multiline?: boolean;
  optional: boolean;
  /** The most characters Slack lets the person type (Slack allows up to 3000). */
  maxLength?: number;
};

/** A plain text input whose value comes back under `blockId` / `value`. */
export function textInput(spec: TextInputSpec): InputBlock {
  const element: PlainTextInput = { type: 'plain_text_input', action_id: INPUT_ACTION_ID };
  if (spec.multiline) element.multiline = true;
  if (spec.maxLength !== undefined) element.max_length = spec.maxLength;
  // Slack rejects an empty initial_value; an absent one shows an empty field.
  if (spec.initial) element.initial_value = spec.initial.slice(0, modalLimits.initialValue);
  return {
    type: 'input',
    block_id: spec.blockId,
    optional: spec.optional,
    label: plain(spec.label, modalLimits.label),
    ...(spec.hint ? { hint: plain(spec.hint, modalLimits.hint) } : {}),
    element,
  };
}
