import type { IntentRecord, OutcomeStatus, TrailAction } from '../records.js';

/**
 * The rule both stores keep for standingSanctions: per account, the latest applied change of each kind of sanction
 * (mute or unmute; block or unblock) says whether a sanction made here stands. Timed mutes are the lift schedule's.
 */
export type SanctionFamily = 'mute' | 'block';

/** The kind of sanction an action sets or lifts; undefined for card edits. */
export function sanctionFamily(action: TrailAction): SanctionFamily | undefined {
  if (action === 'mute' || action === 'unmute') return 'mute';
  if (action === 'block' || action === 'unblock') return 'block';
  return undefined;
}

/** Whether the action sets its sanction (mute, block) rather than lifting it. */
export function setsSanction(action: TrailAction): boolean {
  return action === 'mute' || action === 'block';
}

/** The outcomes after which the change is in place. */
export const appliedStatuses: readonly OutcomeStatus[] = ['applied', 'applied_confirmed_by_read_back'];

/** A sanction without a scheduled lift: a block, or a mute without end. */
export function isUntimed(intent: IntentRecord): boolean {
  return intent.sanction?.liftAt === undefined;
}
