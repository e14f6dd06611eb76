import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalStore } from '../../../src/audit/store/approvals.js';
import { AuditStoreError } from '../../../src/audit/store/contract.js';
import { SqliteAuditStore } from '../../../src/audit/store/sqlite/store.js';
import { approvalActionIds } from '../../../src/slack/ids.js';
import { defaultPeople, visibleText } from '../../support/app-harness.js';
import { AUDIT_CHANNEL, startUpdateHarness, type UpdateHarness } from './update-harness.js';

const ADMIN = 'U0ADMIN';
const SECOND = 'U0SECOND';
const people = [...defaultPeople, { id: SECOND, name: 'Sam Second', role: 'admin' as const }];
const approvals = { approvalPolicy: { actions: ['mute' as const] }, approvalMinutes: 30, approvalExpiryEveryMs: 50 };

/**
 * The audit store failing just as an approval request is stored (the submission's at-most-once key was claimed a
 * moment before): the requester is told the request was not stored, nothing is pending, posted or sent, and to try
 * again — and trying again, once the store is back, posts the request, never "already done".
 */
describe('an approval request the audit store cannot keep', () => {
  let h: (UpdateHarness & { removeDir(): Promise<void> }) | undefined;
  afterEach(async () => {
    await h?.close();
    await h?.removeDir();
    h = undefined;
  });

  it('is said not stored, nothing pending or sent; the same request made again is stored and posted', async () => {
    let down = false;
    let store: SqliteAuditStore | undefined;
    h = await startUpdateHarness({
      people,
      approvals,
      auditStore: (path) => {
        store = new SqliteAuditStore({ path, logger: pino({ level: 'silent' }) });
        const kept = store.approvals;
        const failing: ApprovalStore = {
          ...kept,
          putApproval: (request) => (down ? Promise.reject(new AuditStoreError(path, 'database unreachable')) : kept.putApproval(request)),
        };
        Object.defineProperty(store, 'approvals', { value: failing });
        return store;
      },
    });
    const requests = () =>
      h!.slack
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === AUDIT_CHANNEL && JSON.stringify(c.args.blocks ?? []).includes(approvalActionIds.approve));

    down = true;
    await h.command('/im-mute', 'alice 24h spam', ADMIN);
    const first = await h.filledView('moderation_confirm');
    await h.submit(first, ADMIN);
    const told = await h.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === first.id && /could not be stored/.test(JSON.stringify(c.args.view)),
      15_000,
    );
    const shown = visibleText(told.args.view as { blocks?: unknown[] });
    expect(shown).toMatch(/nothing was posted and nothing was sent to NetEase\. Nothing is waiting for approval: try again/);
    expect(shown).not.toMatch(/who looks at what/);
    expect(requests()).toEqual([]);
    expect(await store!.approvals.pendingApprovals({ now: Date.now(), limit: 10 })).toEqual([]);
    expect(h.emulator.count({ endpoint: 'user/mute.action' })).toBe(0);

    down = false;
    await h.command('/im-mute', 'alice 24h spam', ADMIN);
    const again = await h.filledView('moderation_confirm');
    await h.submit(again, ADMIN);
    await h.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === again.id && /Approval requested/.test(JSON.stringify(c.args.view)),
      15_000,
    );
    await expect.poll(() => requests().length, { timeout: 15_000 }).toBe(1);
    expect(await store!.approvals.pendingApprovals({ now: Date.now(), limit: 10 })).toHaveLength(1);
    expect(h.emulator.count({ endpoint: 'user/mute.action' })).toBe(0);
  }, 30_000);
});
