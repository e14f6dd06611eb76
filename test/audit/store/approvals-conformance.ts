import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalRequest, ApprovalStore } from '../../../src/audit/store/approvals.js';
import type { AuditStore } from '../../../src/audit/store/contract.js';
import type { ConformanceSubject, StorageUnderTest } from './conformance.js';
import { MINUTE, T0 } from './records.js';

/** What every store that keeps approval requests (AuditStore.approvals) does: the same suite for each. */
export function approvalStoreConformance(subject: ConformanceSubject): void {
  describe(`ApprovalStore conformance: ${subject.name}`, () => {
    let storage: StorageUnderTest;
    const opened: AuditStore[] = [];
    beforeEach(async () => {
      storage = await subject.setUp();
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close().catch(() => undefined);
      await storage.tearDown();
    });
    async function open(): Promise<{ store: AuditStore; approvals: ApprovalStore }> {
      const store = storage.newStore();
      await store.open();
      opened.push(store);
      if (!store.approvals) throw new Error(`the ${subject.name} store keeps no approvals`);
      return { store, approvals: store.approvals };
    }
    const request = (id: string, minutes = 30): ApprovalRequest => ({
      id,
      requester: 'U0ASKER',
      permission: 'moderate',
      action: 'block',
      payload: { sanction: { kind: 'block', accids: ['spam1'] }, note: '“quoted”' },
      requestedAt: T0,
      expiresAt: T0 + minutes * MINUTE,
    });
    const twoProcesses = subject.sharedByProcesses ? it : it.skip;

    it('lists the requests still waiting, soonest to expire first, not decided or expired ones', async () => {
      const { approvals } = await open();
      for (const [id, minutes] of [
        ['p1', 30],
        ['p2', 10],
        ['p3', 20],
        ['p4', 5],
      ] as const)
        await approvals.putApproval(request(id, minutes));
      await approvals.decideApproval('p3', { status: 'rejected', by: 'U0OTHER', at: T0 + MINUTE });
      const waiting = await approvals.pendingApprovals({ now: T0 + 6 * MINUTE, limit: 10 });
      expect(waiting.map((state) => state.id)).toEqual(['p2', 'p1']);
      expect(waiting[0]).toMatchObject({ status: 'pending', requester: 'U0ASKER', action: 'block' });
      expect((await approvals.pendingApprovals({ now: T0, limit: 1 })).map((state) => state.id)).toEqual(['p4']);
    });

    it('keeps a pending request across a restart, payload and all', async () => {
      const first = await open();
      await first.approvals.putApproval(request('a1'));
      await first.store.close();
      opened.splice(0);
      const { approvals } = await open();
      expect(await approvals.approval('a1')).toEqual({ ...request('a1'), status: 'pending' });
      expect(await approvals.approval('nope')).toBeUndefined();
    });

    it('is decided once: a second decision, approve or reject, changes nothing', async () => {
      const { approvals } = await open();
      await approvals.putApproval(request('a1'));
      const decided = await approvals.decideApproval('a1', { status: 'approved', by: 'U0SECOND', at: T0 + MINUTE });
      expect(decided).toMatchObject({ status: 'approved', decidedBy: 'U0SECOND', decidedAt: T0 + MINUTE });
      expect(await approvals.decideApproval('a1', { status: 'approved', by: 'U0THIRD', at: T0 + 2 * MINUTE })).toBeUndefined();
      expect(await approvals.decideApproval('a1', { status: 'rejected', by: 'U0THIRD', at: T0 + 2 * MINUTE })).toBeUndefined();
      expect(await approvals.approval('a1')).toMatchObject({ status: 'approved', decidedBy: 'U0SECOND' });
    });

    it('cannot be decided once its time ran out; expiry moves it once and returns it once', async () => {
      const { approvals } = await open();
      await approvals.putApproval(request('late', 10));
      await approvals.putApproval(request('later', 20));
      expect(await approvals.decideApproval('late', { status: 'approved', by: 'U0SECOND', at: T0 + 10 * MINUTE })).toBeUndefined();
      const expired = await approvals.expireApprovals({ now: T0 + 15 * MINUTE, limit: 10 });
      expect(expired.map((state) => [state.id, state.status])).toEqual([['late', 'expired']]);
      expect(await approvals.expireApprovals({ now: T0 + 15 * MINUTE, limit: 10 })).toEqual([]);
      expect(await approvals.approval('later')).toMatchObject({ status: 'pending' });
    });

    it('remembers the message it was posted as', async () => {
      const { approvals } = await open();
      await approvals.putApproval(request('a1'));
      await approvals.setApprovalMessage('a1', { channel: 'C0AUDIT', ts: '1700000000.000100' });
      expect(await approvals.approval('a1')).toMatchObject({ message: { channel: 'C0AUDIT', ts: '1700000000.000100' } });
    });

    twoProcesses('two processes deciding at once: exactly one decides', async () => {
      const one = await open();
      const two = await open();
      await one.approvals.putApproval(request('a1'));
      const results = await Promise.all([
        one.approvals.decideApproval('a1', { status: 'approved', by: 'U0B', at: T0 + MINUTE }),
        two.approvals.decideApproval('a1', { status: 'approved', by: 'U0C', at: T0 + MINUTE }),
        two.approvals.decideApproval('a1', { status: 'rejected', by: 'U0D', at: T0 + MINUTE }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const expiring = await Promise.all(
        [one, two].map(({ approvals }) => approvals.expireApprovals({ now: T0 + 60 * MINUTE, limit: 10 })),
      );
      expect(expiring.flat()).toEqual([]);
    });
  });
}
