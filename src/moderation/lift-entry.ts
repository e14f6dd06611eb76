import type { AuditTrail } from '../audit/index.js';
import type { ScheduledLift } from '../audit/store/contract.js';
import { liftAtMismatch } from '../audit/store/schedule-check.js';

/**
 * The audit side of a timed lift: which entry id an attempt gets, whether the schedule still says what the chain
 * says, and the audited refusal when it does not.
 */

/** Entry ids are at most 128 characters (records.ts). */
const ID_MAX = 128;

/**
 * The entry id of this attempt to lift `sanctionId`: `lift-<sanctionId>` the first time, `lift-<sanctionId>.2`, `.3`…
 * after attempts that failed. An id names one attempt: a store keeps one intent per id, so reusing the first attempt's
 * id after it failed would make every later attempt fail too (and the mute stay for ever).
 */
export async function liftEntryId(trail: Pick<AuditTrail, 'store'>, sanctionId: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const suffix = attempt === 1 ? '' : `.${attempt}`;
    const id = `lift-${sanctionId}`.slice(0, ID_MAX - suffix.length) + suffix;
    if ((await trail.store.entry(id)) === undefined) return id;
  }
}

/** Why the schedule cannot be trusted for this lift (its time is not its chained intent's), or undefined. */
export function scheduleMismatch(lift: ScheduledLift): string | undefined {
  return liftAtMismatch(lift.intent, lift.sanctionId, lift.liftAt);
}

/**
 * Records the refused lift as an update that changed nothing (`not_applied`, `schedule_mismatch`), posted to the audit
 * channel like any entry, so people see that the schedule was altered and lift by hand when the chain says.
 */
export async function auditRefusedLift(
  trail: AuditTrail,
  lift: ScheduledLift,
  options: { id: string; actor: string; problem: string },
): Promise<void> {
  const at = new Date(trail.now()).toISOString();
  const { intent } = lift;
  await trail.store.appendIntent(
    {
      kind: 'intent',
      id: options.id,
      at,
      actor: options.actor,
      action: 'unmute',
      command: 'timed lift',
      target: { accid: intent.target.accid },
      changes: {},
      sanction: { lifts: lift.sanctionId, onBehalfOf: intent.actor, ...(intent.sanction?.scope ? { scope: intent.sanction.scope } : {}) },
    },
    { owner: trail.owner, leaseUntil: trail.now() },
  );
  await trail.store.appendOutcome({
    kind: 'outcome',
    id: options.id,
    at,
    status: 'not_applied',
    errorCode: 'schedule_mismatch',
    detail: `Not lifted: ${options.problem}. The schedule was changed outside the audit trail; nothing was sent. Lift it by hand when the intent says.`,
  });
  trail.outbox.kick();
}

/**
 * Said in every lift's outcome: the app reads only NetEase's flags, and NetEase keeps one flag per scope, so a mute set
 * again outside im-admin (for longer, or for ever) before the due time is lifted too.
 */
export const LIFT_UNCHECKED_NOTE =
  'Lifted as scheduled. The mute flags were read first, but NetEase keeps one flag per place, so whether the mute was set again outside im-admin (for longer, or for ever) could not be checked.';
