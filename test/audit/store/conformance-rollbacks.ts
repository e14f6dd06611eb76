import { expect, it } from 'vitest';
import type { BatchRecord } from '../../../src/audit/batch-record.js';
import type { RollbackRecord } from '../../../src/audit/rollback-record.js';
import type { AuditStore } from '../../../src/audit/store/contract.js';
import { MINUTE, T0 } from './records.js';

const LEASE = 60_000;
const at = (minute: number) => T0 + minute * MINUTE;

export const rollbackAt = (id: string, minute: number, overrides: Partial<RollbackRecord> = {}): RollbackRecord => ({
  kind: 'rollback',
  id,
  actor: 'U0ADMIN',
  command: 'rollback',
  subject: 'U0ROGUE',
  since: at(-60),
  until: at(minute),
  items: [
    { original: 'c2', accid: 'Alice' },
    { original: 'c1', accid: 'lina', serverId: '1513535' },
  ],
  state: 'running',
  owner: 'p1',
  leaseUntil: at(minute) + LEASE,
  createdAt: at(minute),
  updatedAt: at(minute),
  counts: { undone: 1, skipped_changed_since: 0, skipped: 0, failed: 0 },
  settled: { c2: { status: 'undone', undoId: `${id}.1` } },
  origin: { user: 'U0ADMIN', locale: 'en' },
  replies: 0,
  runs: 1,
  ...overrides,
});

/**
 * Rollbacks share the batches' table, lease and interrupted claim: each kind is read back only as itself, so a
 * rollback left by a dead process is never handed to the batches' finder, nor a batch to the rollbacks'.
 */
export function rollbackConformance(
  open: () => Promise<AuditStore>,
  restart: (store: AuditStore) => Promise<AuditStore>,
  batchAt: (id: string, minute: number) => BatchRecord,
): void {
  it('keeps a rollback record across a restart, the latest save winning, apart from the batches', async () => {
    const store = await open();
    await store.saveRollback(rollbackAt('r1', 0));
    const progressed = rollbackAt('r1', 1, {
      settled: { c2: { status: 'undone', undoId: 'r1.1' }, c1: { status: 'skipped_changed_since', detail: 'changed_since' } },
      posted: { channel: 'C0AUDIT', ts: '1.2' },
    });
    await store.saveRollback(progressed);
    await store.saveBatch(batchAt('b1', 0));
    const again = await restart(store);
    expect(await again.rollback('r1')).toEqual(progressed);
    expect(await again.rollback('b1')).toBeUndefined();
    expect(await again.batch('r1')).toBeUndefined();
    expect(await again.rollback('nope')).toBeUndefined();
  });

  it("refuses to save a rollback under the id of a batch, or a batch under a rollback's, keeping each as it was", async () => {
    const store = await open();
    await store.saveBatch(batchAt('b1', 0));
    await store.saveRollback(rollbackAt('r1', 0));
    await expect(store.saveRollback(rollbackAt('b1', 1))).rejects.toThrow(/long run b1 is stored as another kind than rollback/);
    await expect(store.saveBatch({ ...batchAt('r1', 1) })).rejects.toThrow(/long run r1 is stored as another kind than moderation/);
    expect(await store.batch('b1')).toEqual(batchAt('b1', 0));
    expect(await store.rollback('r1')).toEqual(rollbackAt('r1', 0));
    expect(await store.rollback('b1')).toBeUndefined();
    expect(await store.ready()).toBe(true);
  });

  it('hands an ended run whose channel message is owed to one sweep at a time, once its lease ran out, leaving the rest', async () => {
    const store = await open();
    const owed = { announcing: { tries: 0 } };
    await store.saveRollback(rollbackAt('owed', 0, { state: 'finished', ...owed }));
    await store.saveRollback(rollbackAt('owed-stopped', 1, { state: 'stopped', ...owed }));
    await store.saveRollback(rollbackAt('owed-later', 10, { state: 'finished', ...owed }));
    await store.saveRollback(rollbackAt('still-running', 0, owed));
    await store.saveRollback(rollbackAt('announced', 0, { state: 'finished' }));
    await store.saveBatch({ ...batchAt('owed-batch', 0), state: 'finished', ...owed });
    const again = await restart(store);
    const claimed = await again.claimUnannouncedRollbacks({ now: at(5), leaseMs: LEASE, limit: 10 });
    expect(claimed.map((run) => [run.id, run.leaseUntil])).toEqual([
      ['owed', at(5) + LEASE],
      ['owed-stopped', at(5) + LEASE],
    ]);
    expect(await again.claimUnannouncedRollbacks({ now: at(5), leaseMs: LEASE, limit: 10 })).toEqual([]);
    expect((await again.rollback('owed'))?.leaseUntil).toBe(at(5) + LEASE);
    const batches = await again.claimUnannouncedBatches({ now: at(5), leaseMs: LEASE, limit: 10 });
    expect(batches.map((batch) => batch.id)).toEqual(['owed-batch']);
    expect((await again.claimUnannouncedRollbacks({ now: at(7) + LEASE, leaseMs: LEASE, limit: 10 })).map((run) => run.id)).toEqual([
      'owed',
      'owed-stopped',
    ]);
  });

  it('hands a rollback left running by a dead process to the rollbacks claim once, never to the batches claim', async () => {
    const store = await open();
    await store.saveRollback(rollbackAt('dead-rollback', 0));
    await store.saveRollback(rollbackAt('alive', 10));
    await store.saveRollback(rollbackAt('over', 0, { state: 'finished' }));
    await store.saveBatch(batchAt('dead-batch', 0));
    const again = await restart(store);
    const rollbacks = await again.claimInterruptedRollbacks({ owner: 'p2', now: at(5), limit: 10 });
    expect(rollbacks.map((run) => [run.id, run.state])).toEqual([['dead-rollback', 'interrupted']]);
    expect(await again.claimInterruptedRollbacks({ owner: 'p3', now: at(5), limit: 10 })).toEqual([]);
    expect((await again.rollback('dead-rollback'))?.state).toBe('interrupted');
    const batches = await again.claimInterruptedBatches({ owner: 'p2', now: at(5), limit: 10 });
    expect(batches.map((batch) => batch.id)).toEqual(['dead-batch']);
  });
}
