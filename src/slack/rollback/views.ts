import type { KnownBlock, ModalView } from '@slack/types';
import type { RollbackPlan } from '../../undo/rollback-plan.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { callbackIds, INPUT_ACTION_ID, rollbackBlocks } from '../ids.js';
import { modalLimits } from '../ui/modal.js';
import { actorMention, context, plain, section } from '../ui/text.js';
import { rollbackPreviewBlocks } from './preview-blocks.js';

export const periods = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type Period = keyof typeof periods;

/** The first step: since when (the last hour, 24 hours, 7 days, or a date and time). */
export function rollbackSinceView(input: { locale: Locale; actor: string; privateMetadata: string }): ModalView {
  const m = messages(input.locale);
  const r = m.rollback;
  const option = (period: Period) => ({ text: plain(r.periods[period], 75), value: period });
  return {
    type: 'modal',
    callback_id: callbackIds.rollbackSince,
    private_metadata: input.privateMetadata,
    title: plain(r.title, modalLimits.title),
    submit: plain(r.preview, modalLimits.button),
    close: plain(m.modal.cancel, modalLimits.button),
    blocks: [
      section(r.sinceIntro(actorMention(input.actor))),
      {
        type: 'input',
        block_id: rollbackBlocks.period,
        label: plain(r.period, modalLimits.label),
        element: {
          type: 'static_select',
          action_id: INPUT_ACTION_ID,
          options: [option('1h'), option('24h'), option('7d')],
          initial_option: option('1h'),
        },
      },
      {
        type: 'input',
        block_id: rollbackBlocks.at,
        optional: true,
        label: plain(r.at, modalLimits.label),
        element: { type: 'datetimepicker', action_id: INPUT_ACTION_ID },
      },
    ],
  };
}

/** The preview: what will be undone and skipped; Roll back only when there is something to undo. */
export function rollbackPreviewView(input: {
  locale: Locale;
  plan: RollbackPlan;
  actor: string;
  since: number;
  privateMetadata: string;
  /** IM_APPROVAL_FOR covers this rollback: the button asks a second person instead. */
  needsApproval?: boolean;
}): ModalView {
  const m = messages(input.locale);
  const anything = input.plan.steps.some((step) => step.status === 'undo');
  const asks = anything && input.needsApproval === true;
  const blocks: KnownBlock[] = [
    ...rollbackPreviewBlocks({ ...input, maxBlocks: modalLimits.blocks - (asks ? 1 : 0) }),
    ...(asks ? [context(m.approval.needsNote)] : []),
  ];
  return {
    type: 'modal',
    callback_id: anything ? callbackIds.rollbackConfirm : callbackIds.notice,
    private_metadata: input.privateMetadata,
    title: plain(m.rollback.title, modalLimits.title),
    ...(anything ? { submit: plain(asks ? m.approval.request : m.rollback.submit, modalLimits.button) } : {}),
    close: plain(anything ? m.modal.cancel : m.modal.close, modalLimits.button),
    blocks,
  };
}

/** While it runs: how many of the changes are settled. */
export function rollbackProgressBlocks(locale: Locale, settled: number, total: number): KnownBlock[] {
  return [context(messages(locale).rollback.progress(settled, total))];
}
