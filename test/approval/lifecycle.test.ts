import { afterEach, expect, it } from 'vitest';
import { ApprovalExpiry } from '../../src/approval/expiry.js';
import { decideApproval, requestApproval, type MayAct } from '../../src/approval/index.js';
import type { AuditStore } from '../../src/audit/store/contract.js';
import type { ApprovalStore } from '../../src/audit/store/approvals.js';
import { describeNeeding } from '../support/prerequisites.js';
import { postgresMissing, postgresStore, usePostgresServer } from '../audit/store/postgres/fixtures.js';

const NOW = Date.UTC(2026, 11, 1, 14, 0);
const moderators = new Set(['U0ASKER', 'U0MOD2', 'U0MOD3']);
const mayAct: MayAct = async (userId) =>
  moderators.has(userId)
    ? { allowed: true }
    : { allowed: false, refusal: { reason: 'not_a_moderator', required: 'admin', usergroups: [] } };

describeNeeding('postgresql', postgresMissing)('an approval request, decided once', () => {
  const { server } = usePostgresServer();
  const opened: AuditStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  async function approvals(url?: string): Promise<{ approvals: ApprovalStore; url: string }> {
    const at = url ?? (await server().createDatabase());
    const store = postgresStore(at);
    await store.open();
    opened.push(store);
    return { approvals: store.approvals, url: at };
  }
  const ask = (store: ApprovalStore) =>
    requestApproval(
      store,
      { id: 'a1', requester: 'U0ASKER', permission: 'moderate', action: 'block', payload: { accids: ['spam1'] } },
      { now: NOW, minutes: 30 },
    );

  it("the requester's own Approve is refused whatever their role, a member's too; another moderator's decides it once", async () => {
    const { approvals: store } = await approvals();
    await ask(store);
    const click = (clicker: string, decision: 'approve' | 'reject' = 'approve') =>
      decideApproval(store, { id: 'a1', clicker, decision, now: NOW + 60_000, mayAct });
    expect((await click('U0ASKER')).kind).toBe('own_request');
    expect(await click('U0MEMBER')).toMatchObject({ kind: 'refused', refusal: { reason: 'not_a_moderator' } });
    expect(await click('U0MOD2')).toMatchObject({
      kind: 'decided',
      state: { status: 'approved', decidedBy: 'U0MOD2', requester: 'U0ASKER' },
    });
    expect(await click('U0MOD2')).toMatchObject({ kind: 'already' });
    expect(await click('U0MOD3', 'reject')).toMatchObject({ kind: 'already', state: { status: 'approved' } });
  });

  it('a restart in between keeps the request; past its time it is not decided', async () => {
    const first = await approvals();
    await ask(first.approvals);
    await opened.pop()!.close();
    const { approvals: again } = await approvals(first.url);
    expect(await decideApproval(again, { id: 'a1', clicker: 'U0MOD2', decision: 'approve', now: NOW + 31 * 60_000, mayAct })).toMatchObject(
      {
        kind: 'expired',
      },
    );
    expect((await again.expireApprovals({ now: NOW + 31 * 60_000, limit: 10 })).map((s) => s.id)).toEqual(['a1']);
  });

  it('the requester may withdraw their own request', async () => {
    const { approvals: store } = await approvals();
    await ask(store);
    expect(await decideApproval(store, { id: 'a1', clicker: 'U0ASKER', decision: 'reject', now: NOW, mayAct })).toMatchObject({
      kind: 'decided',
      state: { status: 'rejected', decidedBy: 'U0ASKER' },
    });
  });

  it('an expired request is ended once, whichever of two processes sweeps, and the sweep tells of it', async () => {
    const first = await approvals();
    const second = await approvals(first.url);
    await ask(first.approvals);
    const told: string[] = [];
    const sweep = (store: ApprovalStore) =>
      new ApprovalExpiry({ store, now: () => NOW + 31 * 60_000, onExpired: async (state) => void told.push(state.id), logger: console });
    const ended = await Promise.all([sweep(first.approvals).expireDue(), sweep(second.approvals).expireDue()]);
    expect(ended.flat().map((state) => state.status)).toEqual(['expired']);
    expect(told).toEqual(['a1']);
  });
});
