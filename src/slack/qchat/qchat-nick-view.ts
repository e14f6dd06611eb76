import type { ModalView } from '@slack/types';
import { serverMemberFieldLimits } from '../../nim/validate.js';
import { context, plain, section } from '../ui/text.js';
import type { Locale } from '../i18n/catalog.js';
import { messages } from '../i18n/catalog.js';
import { conflictChoiceBlocks, conflictValueText } from '../ui/conflict-choice.js';
import { modalLimits, textInput } from '../ui/modal.js';
import { callbackIds } from '../ids.js';

export type QchatNickPrefill = { serverId?: string; accid?: string; nick?: string; avatar?: string; custom?: string };

export type QchatNickViewInput = {
  prefill: QchatNickPrefill;
  locale: Locale;
  /** Sealed private_metadata (interaction/sealed-metadata.ts). */
  privateMetadata: string;
  /** Shown again after a conflict: the nickname someone else set meanwhile beside the one typed (in the field). */
  conflict?: { theirs: string; yours: string };
  /** IM_APPROVAL_FOR covers QChat member cards: the button asks for approval instead of saving. */
  needsApproval?: boolean;
};

/** Block id of the keep-theirs/overwrite choice under the nickname after a conflict. */
export const NICK_CONFLICT_BLOCK = 'conflict.nick';

/**
 * The `/qchat-nick` modal, for when fewer than three arguments were typed: server id and accid (required), then
 * nickname, avatar URL and custom data, each left as it is when empty. Prefilled with what was typed.
 */
export function qchatNickView(input: QchatNickViewInput): ModalView {
  const m = messages(input.locale);
  const { prefill, conflict } = input;
  const choice = conflict
    ? conflictChoiceBlocks(m, {
        blockId: NICK_CONFLICT_BLOCK,
        label: m.fields.nick,
        theirs: conflictValueText(m, conflict.theirs),
        yours: conflictValueText(m, conflict.yours),
      })
    : [];
  const keep = (field: keyof typeof serverMemberFieldLimits) =>
    `${m.modal.limitChars(serverMemberFieldLimits[field].max)} ${m.qchatNick.keepHint}`;
  return {
    type: 'modal',
    callback_id: callbackIds.qchatNick,
    title: plain(m.qchatNick.title, modalLimits.title),
    submit: plain(input.needsApproval ? m.approval.request : m.modal.save, modalLimits.button),
    close: plain(m.modal.cancel, modalLimits.button),
    private_metadata: input.privateMetadata,
    blocks: [
      ...(conflict ? [section(m.qchatNick.conflictIntro)] : []),
      section(m.qchatNick.intro),
      textInput({
        blockId: 'serverId',
        label: m.fields.serverId,
        hint: m.qchatNick.serverIdHint,
        initial: prefill.serverId,
        optional: false,
      }),
      textInput({ blockId: 'accid', label: m.fields.accid, initial: prefill.accid, optional: false }),
      textInput({ blockId: 'nick', label: m.fields.nick, hint: keep('nick'), initial: prefill.nick, optional: true }),
      ...choice,
      textInput({ blockId: 'avatar', label: m.fields.avatar, hint: keep('avatar'), initial: prefill.avatar, optional: true }),
      textInput({
        blockId: 'custom',
        label: m.fields.custom,
        hint: keep('custom'),
        initial: prefill.custom,
        multiline: true,
        optional: true,
      }),
      ...(input.needsApproval ? [context(m.approval.needsNote)] : []),
    ],
  };
}
