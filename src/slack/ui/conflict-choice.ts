import type { KnownBlock, PlainTextOption } from '@slack/types';
import type { Messages } from '../i18n/catalog.js';
import { INPUT_ACTION_ID } from '../ids.js';
import { code, context, plain } from './text.js';

/** The two answers to a conflict: keep what someone else saved meanwhile, or overwrite it with yours. */
export const KEEP_THEIRS = 'keep';
export const OVERWRITE = 'overwrite';
/** Every answer a conflict choice accepts: anything else (or nothing) is no answer. */
export const conflictAnswers: readonly string[] = [KEEP_THEIRS, OVERWRITE];

const CONFLICT_VALUE_MAX = 300;

/**
 * Theirs beside yours and the required keep-theirs/overwrite choice (no default: the person must say); shared by
 * every form with conflict detection (this one and `/qchat-nick`). `theirs` and `yours` are already escaped.
 */
export function conflictChoiceBlocks(m: Messages, input: { blockId: string; label: string; theirs: string; yours: string }): KnownBlock[] {
  const options: PlainTextOption[] = [
    { text: plain(m.editCard.keepTheirs, 75), value: KEEP_THEIRS },
    { text: plain(m.editCard.overwriteMine, 75), value: OVERWRITE },
  ];
  return [
    context(m.editCard.conflictNote(input.theirs, input.yours)),
    {
      type: 'input',
      block_id: input.blockId,
      label: plain(`${input.label}: ${m.editCard.conflictChoice}`, 2000),
      element: { type: 'radio_buttons', action_id: INPUT_ACTION_ID, options },
    },
  ];
}

/** A conflicting text value as the conflict note shows it. */
export function conflictValueText(m: Messages, value: string): string {
  return value === '' ? m.values.empty : code(value, CONFLICT_VALUE_MAX);
}
