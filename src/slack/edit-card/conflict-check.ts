import type { ModalView } from '@slack/types';
import type { UserCard, UserCardChanges } from '../../nim/types.js';
import { userCardChangeFields } from '../../nim/types.js';
import { authorizeAttempt } from '../interaction/admit.js';
import { PRE_ACK_MS, within } from '../interaction/within.js';
import { conflictAnswers, KEEP_THEIRS } from '../ui/conflict-choice.js';
import type { Messages } from '../i18n/catalog.js';
import { cardEditNeedsApproval } from './approval-kind.js';
import { editCardView, conflictBlockId } from './view.js';
import { sealMetadata } from '../interaction/sealed-metadata.js';
import { editCardMetadata, type EditCardMetadata } from '../interaction/modal-metadata.js';
import { chosenOption, unansweredChoices, type SubmittedValues } from '../interaction/submitted.js';
import type { WriteDeps } from '../interaction/deps.js';
import { findConflicts, prefillDigests, type Conflict } from './conflicts.js';

export type ConflictCheck = {
  /** The card as it is now (read once, shared with the save). */
  current: Promise<UserCard | undefined>;
  /** The form to show again when someone else changed a field this person changed; absent otherwise. */
  conflictView?: ModalView;
};

/** Drops the fields whose conflict the person settled with "keep theirs" in a form shown again after a conflict. */
export function applyKeepChoices(changes: UserCardChanges, values: SubmittedValues): UserCardChanges {
  const kept = { ...changes } as Record<string, unknown>;
  for (const field of userCardChangeFields) {
    if (chosenOption(values, conflictBlockId(field)) === KEEP_THEIRS) delete kept[field];
  }
  return kept;
}

/**
 * The conflict choices a form shown again after a conflict asks for and that this submission leaves unanswered, as
 * `response_action: errors` (under each choice); undefined when every one is answered. Nothing may be sent before.
 */
export function unansweredConflictErrors(m: Messages, meta: EditCardMetadata, values: SubmittedValues): Record<string, string> | undefined {
  const unanswered = unansweredChoices(values, (meta.conflicts ?? []).map(conflictBlockId), conflictAnswers);
  if (unanswered.length === 0) return undefined;
  return Object.fromEntries(unanswered.map((blockId) => [blockId, m.editCard.conflictChoiceMissing]));
}

/** Reads the card and, if the person may edit, compares it with the form as it was opened (before the ack). */
export async function checkForConflicts(
  deps: WriteDeps,
  input: { meta: EditCardMetadata; userId: string; changes: UserCardChanges; correlationId: string },
): Promise<ConflictCheck> {
  const { meta, changes } = input;
  // Nothing to send: nothing to read either.
  if (Object.keys(changes).length === 0) return { current: Promise.resolve(undefined) };
  const current = deps.nim.getUinfos([meta.accid], { correlationId: input.correlationId }).then((lookup) => lookup.found[0]);
  // The save may stop before it needs the card (a refusal, a repeat): its failure must not go unhandled then.
  current.catch(() => undefined);
  const auth = authorizeAttempt(deps, input.userId, { action: 'update_user_card' });
  const early = await within(Promise.all([auth, current]), PRE_ACK_MS);
  // Slow, failed or refused: the save that follows reads the same promise and says what happened.
  if (!early || !early[0].decision.allowed || !early[1]) return { current };
  const card = early[1];
  const conflicts = findConflicts(deps.metadataKey, meta.prefill, changes, card);
  if (conflicts.length === 0) return { current };
  return { current, conflictView: conflictForm(deps, meta, card, changes, conflicts) };
}

/** The form again: the card as it is now, the person's values in the fields, and a choice under each conflict. */
function conflictForm(deps: WriteDeps, meta: EditCardMetadata, card: UserCard, changes: UserCardChanges, conflicts: Conflict[]): ModalView {
  // Sealed as the card is now: what the person leaves as theirs is kept, what differs is sent.
  const resealed: EditCardMetadata = {
    ...meta,
    prefill: prefillDigests(deps.metadataKey, card),
    conflicts: conflicts.map((conflict) => conflict.field),
  };
  const privateMetadata = sealMetadata(deps.metadataKey, editCardMetadata.parse(resealed));
  const typed = Object.fromEntries(Object.entries(changes).map(([field, value]) => [field, String(value)]));
  const needsApproval = cardEditNeedsApproval(deps);
  return editCardView({ card, locale: meta.locale, privateMetadata, conflict: { typed, fields: conflicts }, needsApproval });
}
