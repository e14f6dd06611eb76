import type { IntentRecord, OutcomeRecord, ReadBackVerdict } from './records.js';
import type { AuditStore } from './store/contract.js';

/**
 * The second read-back of a write whose outcome stayed unknown. NetEase may apply a write after the client gave up
 * and after the one read-back that followed (it is slow, not failed): that read-back cannot tell "not applied" from
 * "not yet applied", so the entry says `unknown` (a timed mute keeps its lift), and a while later the card is read
 * again. The later read-back is a chained entry of its own, `<id>.recheck`, linked by `rechecks`, so the trail keeps
 * both what was known then and what was found after; it is posted to the audit channel like any entry.
 *
 * It is scheduled durably with the means the store already has: its intent is stored with a settlement lease that
 * runs out at the time of the second look, so the outbox's settlement round (any process, once, after restarts too)
 * claims it then, reads the card back and stores what it found (settlement.ts).
 */

/** How long after the unknown outcome the card is read again, in ms. */
export const RECHECK_AFTER_MS = 60_000;

/** Entry ids are at most 128 characters (records.ts). */
const SUFFIX = '.recheck';

/** Schedules the second read-back of `intent`. Never rejects: without it the entry simply stays `unknown`. */
export async function scheduleRecheck(
  options: { store: AuditStore; owner: string; now: () => number; afterMs?: number; logger: { warn(d: object, m: string): void } },
  intent: IntentRecord,
): Promise<void> {
  const at = options.now();
  const recheck: IntentRecord = {
    kind: 'intent',
    id: intent.id.slice(0, 128 - SUFFIX.length) + SUFFIX,
    at: new Date(at).toISOString(),
    actor: 'im-admin',
    action: intent.action,
    command: 'read back again',
    target: intent.target,
    changes: intent.changes,
    ...(intent.sanction === undefined ? {} : { sanction: intent.sanction }),
    rechecks: intent.id,
  };
  try {
    await options.store.appendIntent(recheck, { owner: options.owner, leaseUntil: at + (options.afterMs ?? RECHECK_AFTER_MS) });
  } catch (error) {
    options.logger.warn({ id: intent.id, err: error }, 'audit store: the second read-back of an unknown outcome could not be scheduled');
  }
}

/** What the second read-back found, as the recheck entry's outcome. */
export function recheckOutcome(intent: IntentRecord, readBack: ReadBackVerdict, at: number): OutcomeRecord {
  const of = intent.rechecks ?? intent.id;
  const found = {
    in_place: { status: 'applied_confirmed_by_read_back', detail: `Read back again: ${of} is in place (NetEase applied it late).` },
    not_in_place: { status: 'not_applied', detail: `Read back again: ${of} is not in place.` },
    unknown: { status: 'unknown', detail: `Read back again: whether ${of} is in place could not be told.` },
  } as const;
  return { kind: 'outcome', id: intent.id, at: new Date(at).toISOString(), readBack, ...found[readBack] };
}
