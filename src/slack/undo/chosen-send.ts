import type { AppLogger } from '../../logger.js';
import { noteOutcome } from '../../metrics/outcome.js';
import type { UndoPreparation } from '../../undo/prepare.js';
import { messages } from '../i18n/catalog.js';
import { chosenOption, type SubmittedValues } from '../interaction/submitted.js';
import { KEEP_THEIRS, OVERWRITE } from '../ui/conflict-choice.js';
import type { SlackMessage } from '../ui/message.js';
import { conflictBlockId } from './confirm-view.js';
import type { UndoConfirmMetadata } from './metadata.js';
import { note } from './notices.js';

type Checked = Extract<UndoPreparation, { kind: 'checked' }>;

/**
 * What the submitted confirmation sends, from the account as read again now: everything when nothing changed since,
 * else only what the person chose to overwrite. A value that changed after the confirmation opened (the person has
 * not seen it) sends nothing, and so does keeping every one of theirs.
 */
export function chosenSend(
  prep: Checked,
  input: { meta: UndoConfirmMetadata; values: SubmittedValues; log: AppLogger },
): { send: Record<string, string> } | { message: SlackMessage } {
  const u = messages(input.meta.locale).undo;
  if (prep.check.status === 'ready') return { send: prep.check.send };
  if (prep.check.status !== 'changed_since') return { message: note(u.alreadyAsBefore) };
  const changed = prep.check.changed.map((change) => change.key);
  if (changed.some((key) => !input.meta.changed.includes(key))) {
    noteOutcome('conflict');
    return { message: note(u.changedAgain) };
  }
  const kept = changed.filter((key) => chosenOption(input.values, conflictBlockId(key)) !== OVERWRITE);
  const send = Object.fromEntries(Object.entries(prep.check.overwrite).filter(([key]) => !kept.includes(key)));
  // Slack requires an answer; one that is neither (a forged form) keeps theirs.
  if (kept.some((key) => chosenOption(input.values, conflictBlockId(key)) !== KEEP_THEIRS))
    input.log.warn({ kept }, 'undo: a conflict without an answer is kept');
  if (Object.keys(send).length === 0) {
    noteOutcome('conflict');
    return { message: note(u.keptTheirs) };
  }
  return { send };
}
