import type { AuditEntry, AuditRecord, IntentRecord, OutcomeRecord } from './records.js';

export type RecoveryPlan = {
  /** Finished entries (update with outcome, refusal) with no `posted` marker after them, in log order. */
  unposted: AuditEntry[];
  /** Intents with no outcome: the process stopped mid-update. */
  unfinished: IntentRecord[];
  /** Ids of outcomes whose intent is missing (a torn line): nothing to render. */
  orphans: string[];
};

/**
 * What a start must do, from the records of the log. A `posted` marker counts only when it follows the record that
 * finished its entry: an entry posted from memory whose outcome never reached the disk is still unfinished.
 */
export function planRecovery(records: readonly AuditRecord[]): RecoveryPlan {
  type State = { intent?: IntentRecord; outcome?: OutcomeRecord; refusal?: AuditEntry; posted: boolean };
  const byId = new Map<string, State>();
  for (const record of records) {
    if (record.kind === 'lookup') continue;
    const state = byId.get(record.id) ?? { posted: false };
    byId.set(record.id, state);
    state.posted = record.kind === 'posted';
    if (record.kind === 'intent') state.intent = record;
    if (record.kind === 'outcome') state.outcome = record;
    if (record.kind === 'refusal') state.refusal = { kind: 'refusal', refusal: record };
  }
  const plan: RecoveryPlan = { unposted: [], unfinished: [], orphans: [] };
  for (const [id, { intent, outcome, refusal, posted }] of byId) {
    if (intent && !outcome) plan.unfinished.push(intent);
    else if (posted) continue;
    else if (intent && outcome) plan.unposted.push({ kind: 'update', intent, outcome });
    else if (refusal) plan.unposted.push(refusal);
    else if (outcome) plan.orphans.push(id);
  }
  return plan;
}
