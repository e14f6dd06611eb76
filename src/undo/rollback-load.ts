import type { AuditStore, HistoryItem } from '../audit/store/contract.js';
import { InputError } from '../errors.js';
import { changeInPlace } from './inverse.js';
import { readState, type StateReader } from './read-state.js';
import { changesSince, planRollback, ROLLBACK_MAX, targetKey, type RollbackPlan } from './rollback-plan.js';
import type { AccountState } from './state.js';

/** How far back each touched account's own history is read (undos by others, the mute an unmute lifted). */
const ACCOUNT_DEPTH = 100;

export type RollbackSource = Pick<AuditStore, 'history'>;

/**
 * The preview of a rollback: the person's changes since `since` (and, with `until`, made at or before it: what a
 * confirmed preview showed; with `only`, those of them listed) from the audit store, each touched account read as it is now, and the plan. Throws
 * InputError when there are more than ROLLBACK_MAX changes (narrow "since").
 */
export async function previewRollback(
  store: RollbackSource,
  reader: StateReader,
  input: {
    actor: string;
    since: number;
    until?: number;
    /** Only these changes (ids), when given: those an approval request showed, whatever else the window holds. */
    only?: ReadonlySet<string>;
    /** IM_PROTECTED_ACCIDS: undos that would mute or block them are skipped (`protected`). */
    protectedAccids?: readonly string[];
    correlationId: string;
  },
): Promise<RollbackPlan> {
  const until = input.until ?? Number.POSITIVE_INFINITY;
  const mine = changesSince(await historySince(store, input.actor, input.since), input.actor, input.since).filter(
    (item) => Date.parse(item.intent.at) <= until && (input.only === undefined || input.only.has(item.intent.id)),
  );
  const keys = [...new Set(mine.map((item) => targetKey(item.intent.target)))];
  const targets = new Map(mine.map((item) => [targetKey(item.intent.target), item.intent.target]));
  const histories = new Map<string, HistoryItem[]>();
  const states = new Map<string, AccountState | undefined>();
  await Promise.all(
    keys.map(async (key) => {
      const target = targets.get(key)!;
      const [page, read] = await Promise.all([
        store.history({ accid: target.accid, limit: ACCOUNT_DEPTH }),
        readState(reader, target, input.correlationId),
      ]);
      histories.set(key, page.items);
      states.set(key, read.kind === 'found' ? read.state : undefined);
    }),
  );
  const ids = new Set(mine.map((item) => item.intent.id));
  const undoneElsewhere = new Set<string>();
  for (const items of histories.values()) {
    for (const item of items) {
      if (changeInPlace(item) && item.intent.undoes !== undefined && !ids.has(item.intent.id)) undoneElsewhere.add(item.intent.undoes);
    }
  }
  return planRollback({
    changes: mine,
    states,
    undoneElsewhere,
    accountHistory: (key) => histories.get(key) ?? [],
    ...(input.protectedAccids ? { protectedAccids: input.protectedAccids } : {}),
  });
}

/** The person's history back to `since`, paged; at most ROLLBACK_MAX changes. */
async function historySince(store: RollbackSource, actor: string, since: number): Promise<HistoryItem[]> {
  const items: HistoryItem[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await store.history({ actor, limit: 100, ...(before === undefined ? {} : { before }) });
    const recent = page.items.filter((item) => Date.parse(item.kind === 'update' ? item.intent.at : item.refusal.at) >= since);
    items.push(...recent);
    if (items.filter(changeInPlace).length > ROLLBACK_MAX) {
      throw new InputError('since', `at most ${ROLLBACK_MAX} changes in one rollback: choose a later "since"`);
    }
    if (recent.length < page.items.length || page.next === undefined) return items;
    before = page.next;
  }
}
