import type { IntentRecord, LookupRecord, OutcomeRecord, RefusalRecord } from '../../../src/audit/records.js';

/** Records for the store tests: times are minutes after T0, so "newest first" is visible in the ids. */
export const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
export const MINUTE = 60_000;
export const iso = (ms: number) => new Date(ms).toISOString();

export function intentAt(id: string, minute: number, overrides: Partial<Omit<IntentRecord, 'kind' | 'id' | 'at'>> = {}): IntentRecord {
  return {
    kind: 'intent',
    id,
    at: iso(T0 + minute * MINUTE),
    actor: 'U0ADMIN1',
    action: 'update_user_card',
    command: '/im update',
    target: { accid: 'alice' },
    changes: { name: { before: 'Alice', after: `Alice ${id}` } },
    ...overrides,
  };
}

export function outcomeAt(id: string, minute: number, status: OutcomeRecord['status'] = 'applied'): OutcomeRecord {
  return { kind: 'outcome', id, at: iso(T0 + minute * MINUTE), status };
}

export function refusalAt(id: string, minute: number, overrides: Partial<Omit<RefusalRecord, 'kind' | 'id' | 'at'>> = {}): RefusalRecord {
  return {
    kind: 'refusal',
    id,
    at: iso(T0 + minute * MINUTE),
    actor: 'U0MEMBER',
    action: 'update_user_card',
    command: 'edit card modal',
    target: { accid: 'alice' },
    refusal: { reason: 'not_a_writer', required: 'admin', usergroups: [] },
    ...overrides,
  };
}

export function lookupAt(id: string, minute: number, accids: string[] = ['alice']): LookupRecord {
  return { kind: 'lookup', id, at: iso(T0 + minute * MINUTE), actor: 'U0READER', command: '/im-user', accids };
}
