import { describe, expect, it } from 'vitest';
import type { AuditRecord, OutcomeRecord, RefusalRecord } from '../../src/audit/records.js';
import { planRecovery } from '../../src/audit/recovery.js';
import { sampleIntent } from './helpers.js';

const at = '2026-11-22T03:00:00.000Z';
const intent = (id: string) => sampleIntent({ id });
const outcome = (id: string): OutcomeRecord => ({ kind: 'outcome', id, at, status: 'applied' });
const posted = (id: string): AuditRecord => ({ kind: 'posted', id, at });
const refusal = (id: string): RefusalRecord => ({
  kind: 'refusal',
  id,
  at,
  actor: 'U0GUEST',
  action: 'update_user_card',
  command: '/im update',
  target: { accid: 'alice' },
  refusal: { reason: 'guest' },
});

describe('planRecovery', () => {
  it('sorts the log into what to post, what to read back and what cannot be shown', () => {
    const plan = planRecovery([
      intent('done-posted'),
      outcome('done-posted'),
      posted('done-posted'),
      intent('done'),
      refusal('refused'),
      outcome('done'),
      intent('crashed'),
      { kind: 'lookup', id: 'look', at, actor: 'U0ADMIN1', command: '/im user', accids: ['alice'] },
      outcome('orphan'),
      refusal('refused-posted'),
      posted('refused-posted'),
    ]);
    expect(plan.unposted).toEqual([
      { kind: 'update', intent: intent('done'), outcome: outcome('done') },
      { kind: 'refusal', refusal: refusal('refused') },
    ]);
    expect(plan.unfinished).toEqual([intent('crashed')]);
    expect(plan.orphans).toEqual(['orphan']);
  });

  it('does not count a posted marker written before the outcome reached the log', () => {
    const plan = planRecovery([intent('a'), posted('a'), outcome('a')]);
    expect(plan.unposted).toHaveLength(1);
  });
});
