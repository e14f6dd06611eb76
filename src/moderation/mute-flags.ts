import type { HistoryItem, ScheduledLift } from '../audit/store/contract.js';
import type { SanctionDetails } from '../audit/records.js';
import { type MuteModule, muteModules } from '../nim/types.js';

/**
 * Which NetEase flags a mute sets: `mute` for everywhere (user/mute.action), else its module flags. NetEase keeps one
 * flag each, not who set it, so a mute "covers" another only where it sets the same flags: a global mute does not
 * cover a one-to-one mute (a separate flag, lifted separately), nor a one-to-one mute a global one.
 */
export type MuteFlag = 'mute' | MuteModule;

export function flagsOf(scope: SanctionDetails['scope']): MuteFlag[] {
  if (scope === undefined || scope === 'everywhere') return ['mute'];
  return muteModules.filter((module) => scope.includes(module));
}

/** Whether a new mute in `scope` sets every flag the pending lift would clear, so that lift has nothing left to do. */
export function covers(scope: SanctionDetails['scope'], lift: Pick<ScheduledLift, 'intent'>): boolean {
  const mine = new Set(flagsOf(scope));
  return flagsOf(lift.intent.sanction?.scope).every((flag) => mine.has(flag));
}

const APPLIED = new Set(['applied', 'applied_confirmed_by_read_back', 'unknown']);

/**
 * The flags that mutes made through the app after `lift`'s sanction keep on past its due time: mutes for ever, or
 * with a later end. `history` is the account's, newest first (AuditStore.history); mutes older than the sanction
 * itself are not looked at. A mute whose outcome is unknown counts: better a flag left on than a later mute undone.
 */
export function flagsKeptByLater(history: readonly HistoryItem[], lift: ScheduledLift): Set<MuteFlag> {
  const kept = new Set<MuteFlag>();
  for (const item of history) {
    if (item.kind !== 'update') continue;
    if (item.intent.id === lift.sanctionId) break;
    if (item.intent.action !== 'mute' || !item.outcome || !APPLIED.has(item.outcome.status)) continue;
    const details = item.intent.sanction;
    const lastsLonger = details?.forever === true || (details?.liftAt !== undefined && Date.parse(details.liftAt) > lift.liftAt);
    if (lastsLonger) for (const flag of flagsOf(details?.scope)) kept.add(flag);
  }
  return kept;
}
