import type { IntentRecord } from '../audit/records.js';
import type { AuditStore, HistoryItem } from '../audit/store/contract.js';
import { accidKey } from '../nim/accid.js';
import { muteModules, type UserCard } from '../nim/types.js';

/**
 * Who set an account's mute or block, when, why and when it lifts — for sanctions made through this app, read from the
 * audit store; a sanction NetEase shows but the audit trail does not explain was set outside im-admin.
 */
export type SanctionSource = Pick<AuditStore, 'history' | 'pendingLifts'>;

export type SanctionInfo =
  { madeHere: true; sanctionId: string; actor: string; at: string; reason?: string; liftAt?: number } | { madeHere: false };

export type AccountSanctions = { mute?: SanctionInfo; block?: SanctionInfo };

const APPLIED = new Set(['applied', 'applied_confirmed_by_read_back']);
/** How far back an account's history is searched for the change that explains its state. */
const HISTORY_DEPTH = 20;

/** For each card that is muted somewhere or blocked: who did it here, or "outside im-admin". Cards with neither are left out. */
export async function sanctionsOf(source: SanctionSource, cards: readonly UserCard[]): Promise<Map<string, AccountSanctions>> {
  const sanctioned = cards.filter((card) => isMuted(card) || card.valid === false);
  const result = new Map<string, AccountSanctions>();
  if (sanctioned.length === 0) return result;
  const lifts = await source.pendingLifts(sanctioned.map((card) => accidKey(card.accid)));
  const liftOf = new Map(lifts.map((lift) => [lift.sanctionId, lift.liftAt]));
  await Promise.all(
    sanctioned.map(async (card) => {
      const { items } = await source.history({ accid: card.accid, limit: HISTORY_DEPTH });
      const info: AccountSanctions = {};
      if (isMuted(card)) info.mute = explain(items, ['mute', 'unmute'], 'mute', liftOf);
      if (card.valid === false) info.block = explain(items, ['block', 'unblock'], 'block', liftOf);
      result.set(accidKey(card.accid), info);
    }),
  );
  return result;
}

function explain(items: readonly HistoryItem[], actions: readonly string[], setting: string, liftOf: Map<string, number>): SanctionInfo {
  // Newest first: the last applied change of this kind made here explains the state only if it set it.
  const last = items.find(
    (item): item is Extract<HistoryItem, { kind: 'update' }> =>
      item.kind === 'update' && actions.includes(item.intent.action) && item.outcome !== undefined && APPLIED.has(item.outcome.status),
  );
  if (!last || last.intent.action !== setting) return { madeHere: false };
  // A second read-back that found the change in place stands for the change itself (who, why, when it lifts).
  const rechecked = last.intent.rechecks;
  const original = rechecked === undefined ? undefined : items.find((item) => item.kind === 'update' && item.intent.id === rechecked);
  const intent = original?.kind === 'update' ? original.intent : last.intent;
  return describe(intent, liftOf.get(intent.id));
}

function describe(intent: IntentRecord, liftAt: number | undefined): SanctionInfo {
  return {
    madeHere: true,
    sanctionId: intent.id,
    actor: intent.actor,
    at: intent.at,
    ...(intent.sanction?.reason ? { reason: intent.sanction.reason } : {}),
    ...(liftAt === undefined ? {} : { liftAt }),
  };
}

function isMuted(card: UserCard): boolean {
  return card.mute === true || muteModules.some((module) => card[module] === true);
}
