import { describe, expect, it } from 'vitest';
import type { BatchRecord } from '../../../src/audit/batch-record.js';
import { batchAuditMessage } from '../../../src/slack/moderation/batch-blocks.js';

const batch: BatchRecord = {
  id: 'b1',
  actor: 'U0ASKER',
  action: 'mute',
  command: '/im-mute',
  sanction: { kind: 'mute', reason: 'spam wave', scope: 'everywhere', duration: { forever: true } },
  accids: Array.from({ length: 60 }, (_, i) => `spam${i}`),
  state: 'running',
  owner: 'p',
  leaseUntil: 0,
  createdAt: Date.UTC(2026, 11, 7, 15),
  updatedAt: Date.UTC(2026, 11, 7, 15),
  counts: { done: 0, already: 0, not_found: 0, failed: 0, unknown: 0, stopped: 0 },
  settled: {},
  origin: { user: 'U0ASKER' },
  replies: 0,
  runs: 1,
};

describe("a batch's one audit channel message", () => {
  it('names who asked and, for an approved batch, who approved', () => {
    const plain = JSON.stringify(batchAuditMessage(batch, 'en').blocks);
    expect(plain).toContain('<@U0ASKER>');
    expect(plain).not.toMatch(/approved by/);
    const approved = JSON.stringify(batchAuditMessage({ ...batch, approvedBy: 'U0SECOND' }, 'en').blocks);
    expect(approved).toMatch(/<@U0ASKER> · approved by <@U0SECOND> · /);
  });
});
