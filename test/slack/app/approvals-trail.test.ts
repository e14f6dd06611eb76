import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { approvalActionIds } from '../../../src/slack/ids.js';
import { defaultPeople, visibleText } from '../../support/app-harness.js';
import { AUDIT_CHANNEL, startUpdateHarness, type UpdateHarness } from './update-harness.js';

const ADMIN = 'U0ADMIN';
const SECOND = 'U0SECOND';
const MUTE = 'user/mute.action';
const UPDATE = 'user/updateUinfo.action';
const people = [...defaultPeople, { id: SECOND, name: 'Sam Second', role: 'admin' as const }];
const approvals = {
  approvalPolicy: { actions: ['mute' as const, 'update_user_card' as const] },
  approvalMinutes: 30,
  approvalExpiryEveryMs: 50,
};

type Harness = UpdateHarness & { removeDir(): Promise<void> };

/** The newest request's message (one not in `seen`). */
const requestPosted = (h: Harness, seen: readonly string[] = []): Promise<ApiCall> =>
  h.slack.waitForCall(
    'chat.postMessage',
    (c) =>
      c.args.channel === AUDIT_CHANNEL &&
      JSON.stringify(c.args.blocks ?? []).includes(approvalActionIds.approve) &&
      !seen.includes(idOf(c)),
    15_000,
  );
const idOf = (posted: ApiCall) => /"value":"([^"]+)"/.exec(JSON.stringify(posted.args.blocks))![1]!;

async function requestMute(h: Harness, accounts = 'alice', seen: readonly string[] = []): Promise<string> {
  await h.command('/im-mute', `${accounts} 24h spam`, ADMIN);
  await h.submit(await h.filledView('moderation_confirm'), ADMIN);
  return idOf(await requestPosted(h, seen));
}

async function imAudit(h: Harness, text: string): Promise<string> {
  const { responseId } = await h.command('/im-audit', text, SECOND);
  return visibleText((await h.answer(responseId, 15_000)).body);
}

describe('a request that ends without its change is an audit-trail entry (IM_APPROVAL_FOR)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    await h?.removeDir();
    h = undefined;
  });

  it('a rejected mute is an entry: not applied, who rejected it, in /im-audit and the audit channel; nothing sent', async () => {
    h = await startUpdateHarness({ people, approvals });
    const id = await requestMute(h);
    await h.click(approvalActionIds.reject, id, SECOND);
    const entry = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === AUDIT_CHANNEL && /Request rejected by/.test(JSON.stringify(c.args.blocks ?? [])),
      15_000,
    );
    expect(visibleText(entry.args as { text?: string })).toMatch(/Request rejected by <@U0SECOND>: nothing sent/);
    expect(visibleText(entry.args as { text?: string })).toMatch(/Not applied/);
    const records = await h.records();
    expect(records.filter((r) => r.kind === 'intent')).toEqual([
      expect.objectContaining({
        id: `${id}.1`,
        actor: ADMIN,
        action: 'mute',
        command: '/im-mute',
        changes: {},
        approvalEnded: { status: 'rejected', by: SECOND },
        // What was asked, as the run would have recorded it: the reason, where and how long.
        sanction: { reason: 'spam', scope: 'everywhere', durationMs: 86_400_000 },
      }),
    ]);
    expect(visibleText(entry.args as { text?: string })).toMatch(
      /Reason\*\n> spam\n\*Where\*\neverywhere\n\*For how long\*\nfor 1 day from when it is approved/,
    );
    expect(records.find((r) => r.kind === 'outcome')).toMatchObject({
      id: `${id}.1`,
      status: 'not_applied',
      errorCode: 'approval_rejected',
    });
    const page = await imAudit(h, 'alice');
    expect(page).toMatch(/Request rejected by <@U0SECOND>/);
    expect(page).toMatch(/spam/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);
  });

  it('an expired request of two accounts leaves an entry for each (found by /im-audit), one channel message: the request’s', async () => {
    h = await startUpdateHarness({ people, approvals: { ...approvals, approvalMinutes: 0.02 } });
    h.emulator.putUser({ accid: 'bob2' });
    const id = await requestMute(h, 'alice bob2');
    await h.slack.waitForCall('chat.update', (c) => /Expired/.test(JSON.stringify(c.args.blocks)), 15_000);
    await expect.poll(async () => (await h!.records()).filter((r) => r.kind === 'outcome').length, { timeout: 15_000 }).toBe(2);
    const intents = (await h.records()).filter((r) => r.kind === 'intent');
    expect(intents).toEqual([
      expect.objectContaining({ id: `${id}.1`, target: { accid: 'alice' }, batch: id, approvalEnded: { status: 'expired', accounts: 2 } }),
      expect.objectContaining({ id: `${id}.2`, target: { accid: 'bob2' }, batch: id, approvalEnded: { status: 'expired', accounts: 2 } }),
    ]);
    expect(await imAudit(h, 'bob2')).toMatch(/Request expired before anyone approved it/);
    // The request's own message stands for both: no entry of its own in the audit channel.
    const posts = h.slack.calls('chat.postMessage').filter((c) => c.args.channel === AUDIT_CHANNEL);
    expect(posts.filter((c) => /Request expired/.test(JSON.stringify(c.args.blocks ?? [])))).toEqual([]);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);
  });

  it('an approved card edit’s channel entry says who approved it; a withdrawn one says so', async () => {
    h = await startUpdateHarness({ people, approvals });
    await h.command('/im-user', 'edit alice', ADMIN);
    await h.submit(await h.filledView('edit_card'), ADMIN, { name: 'Alice C.' });
    const edit = idOf(await requestPosted(h));
    await h.click(approvalActionIds.approve, edit, SECOND);
    const entry = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === AUDIT_CHANNEL && /Applied/.test(JSON.stringify(c.args.blocks ?? [])),
      15_000,
    );
    expect(visibleText(entry.args as { text?: string })).toMatch(/Approved by <@U0SECOND>/);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(1);

    const id = await requestMute(h, 'alice', [edit]);
    await h.click(approvalActionIds.reject, id, ADMIN);
    const withdrawn = await h.slack.waitForCall('chat.postMessage', (c) => /withdrawn/.test(JSON.stringify(c.args.blocks ?? [])), 15_000);
    expect(visibleText(withdrawn.args as { text?: string })).toMatch(/Request withdrawn by the requester: nothing sent/);
  });
});
