import type { KnownBlock, ModalView } from '@slack/types';
import type { IntentRecord } from '../../audit/records.js';
import type { UndoPreparation } from '../../undo/prepare.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { callbackIds } from '../ids.js';
import { conflictChoiceBlocks } from '../ui/conflict-choice.js';
import { actionLabel, auditTime } from '../ui/audit-labels.js';
import { modalLimits } from '../ui/modal.js';
import { actorMention, code, context, plain, section } from '../ui/text.js';
import { keyLabel, valueText } from '../ui/account-values.js';

/** The block id of the keep/overwrite choice under a value someone changed since. */
export const conflictBlockId = (key: string) => `undo_conflict_${key}`;

/**
 * The one confirmation of an undo: which change it reverses, exactly what it will set (each value as it is now → as
 * it will be), for a re-mute how long; and for each value someone changed since, theirs beside the undo's and the
 * keep/overwrite choice (required: nothing is sent for it unless the person overwrites).
 */
export function undoConfirmView(input: {
  locale: Locale;
  original: IntentRecord;
  prep: Extract<UndoPreparation, { kind: 'checked' }>;
  privateMetadata: string;
  /** IM_APPROVAL_FOR covers this undo: the button asks a second person instead. */
  needsApproval?: boolean;
}): ModalView {
  const m = messages(input.locale);
  const u = m.undo;
  const { inverse, state, check } = input.prep;
  const { original } = input;
  const target = original.target.serverId
    ? `${code(original.target.accid, 64)} (${code(original.target.serverId, 32)})`
    : code(original.target.accid, 64);
  const setting = check.status === 'ready' ? check.send : check.status === 'changed_since' ? check.overwrite : {};
  const changed = check.status === 'changed_since' ? check.changed : [];
  const blocks: KnownBlock[] = [
    section(u.intro(actionLabel(m, original.action), target, actorMention(original.actor), auditTime(original.at))),
    section(
      [
        u.willSet,
        ...Object.entries(setting).map(([key, value]) =>
          u.setLine(keyLabel(m, key), valueText(m, key, state[key] ?? ''), valueText(m, key, value)),
        ),
      ].join('\n'),
    ),
  ];
  if (inverse.action === 'mute') {
    const minutes = inverse.mute?.durationMs ? Math.round(inverse.mute.durationMs / 60_000) : undefined;
    blocks.push(context(minutes ? u.remuteFor(minutes) : u.remuteForever));
  }
  if (changed.length > 0) {
    blocks.push(context(u.changedSince));
    for (const change of changed) {
      blocks.push(
        ...conflictChoiceBlocks(m, {
          blockId: conflictBlockId(change.key),
          label: keyLabel(m, change.key),
          theirs: valueText(m, change.key, change.theirs),
          yours: valueText(m, change.key, change.undo),
        }),
      );
    }
  }
  if (input.needsApproval) blocks.push(context(m.approval.needsNote));
  return {
    type: 'modal',
    callback_id: callbackIds.undoConfirm,
    private_metadata: input.privateMetadata,
    title: plain(u.title, modalLimits.title),
    submit: plain(input.needsApproval ? m.approval.request : u.submit, modalLimits.button),
    close: plain(m.modal.cancel, modalLimits.button),
    blocks: blocks.slice(0, modalLimits.blocks),
  };
}
