import { afterEach, describe, expect, it } from 'vitest';
import { runStep } from '../../support/slack-events.js';
import { startUpdateHarness, type UpdateHarness } from '../app/update-harness.js';

const MUTE = 'user/mute.action';
const moderator = { id: 'U0ADMIN', secret: 'c2VjcmV0' };
const member = { id: 'U0MEMBER', secret: 'c2VjcmV0' };

/** How the step ended, once the app told Slack (completeSuccess or completeError). */
const end = (h: UpdateHarness, executionId: string) =>
  Promise.race(
    ['functions.completeSuccess', 'functions.completeError'].map((method) =>
      h.slack.waitForCall(method, (call) => call.args.function_execution_id === executionId, 10_000),
    ),
  ).then(() => h.slack.functionExecution(executionId)!);

describe('Workflow Builder steps over HTTP', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it("Mute IM accounts with a moderator's user context mutes, audits it as via the workflow (one channel message), and completes with outputs", async () => {
    h = await startUpdateHarness();
    const { ack, executionId, token } = await runStep(h.signer, h.slack, 'mute_im_accounts', {
      user_context: moderator,
      accids: 'alice, grace nobody_9',
      duration: '2h',
      reason: 'spam wave',
    });
    expect(ack.status).toBe(200);
    const run = await end(h, executionId);
    expect(run).toMatchObject({ status: 'completed', outputs: { muted_count: 2 } });
    expect(String(run.outputs?.report)).toMatch(/alice: muted\ngrace: muted\nnobody_9: no such account/);
    expect(h.emulator.getUser('alice')?.mute).toBe(true);
    // Bolt completed with the workflow token the event carried.
    expect(h.slack.calls('functions.completeSuccess')[0]?.token).toBe(token);
    const intents = (await h.records()).filter((record) => record.kind === 'intent');
    expect(intents[0]).toMatchObject({
      actor: 'U0ADMIN',
      action: 'mute',
      command: expect.stringMatching(/^Mute IM accounts step, via workflow Wx/),
    });
    // Three accounts are one action: one audit channel message for it (its accounts in a thread reply), none each.
    expect(new Set(intents.map((intent) => (intent as { batch?: string }).batch))).toEqual(new Set([expect.any(String)]));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const posts = h.slack.calls('chat.postMessage').filter((call) => call.args.channel === h.auditChannel && !call.args.thread_ts);
    expect(posts.map((call) => call.args.text)).toEqual([expect.stringMatching(/^Mute: 3 accounts/)]);
  });

  it("with a member's user context the step fails with a message the workflow's author understands, sends nothing, and the refusal is audited", async () => {
    h = await startUpdateHarness();
    const { executionId } = await runStep(h.signer, h.slack, 'mute_im_accounts', {
      user_context: member,
      accids: 'alice',
      duration: '2h',
      reason: 'x',
    });
    const run = await end(h, executionId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/acting person \(U0MEMBER\) may not mute or block NetEase IM accounts: it needs the admin role/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);
    expect((await h.records()).filter((record) => record.kind === 'refusal')).toEqual([
      expect.objectContaining({ actor: 'U0MEMBER', action: 'mute', refusal: expect.objectContaining({ reason: 'not_a_moderator' }) }),
    ]);
  });

  it('with IM_APPROVAL_FOR covering mute the step fails saying it cannot ask for approval, and sends nothing', async () => {
    h = await startUpdateHarness({ approvals: { approvalPolicy: { actions: ['mute'] } } });
    const { executionId } = await runStep(h.signer, h.slack, 'mute_im_accounts', {
      user_context: moderator,
      accids: 'alice',
      duration: '2h',
      reason: 'spam',
    });
    const run = await end(h, executionId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/needs a second person's approval, which a workflow step cannot ask for: use \/im-mute/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);
  });

  it('the same function_execution_id delivered twice acts once', async () => {
    h = await startUpdateHarness();
    const execution = h.slack.startFunctionExecution('mute_im_accounts');
    const inputs = { user_context: moderator, accids: 'alice', duration: '30m', reason: 'flood' };
    await Promise.all([
      runStep(h.signer, h.slack, 'mute_im_accounts', inputs, execution),
      runStep(h.signer, h.slack, 'mute_im_accounts', inputs, execution),
    ]);
    await end(h, execution.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.emulator.count({ endpoint: MUTE })).toBe(1);
    expect(h.slack.calls('functions.completeSuccess')).toHaveLength(1);
    expect((await h.records()).filter((record) => record.kind === 'intent')).toHaveLength(1);
  });

  it('bad input fails naming the input and the rule', async () => {
    h = await startUpdateHarness();
    const { executionId } = await runStep(h.signer, h.slack, 'mute_im_accounts', {
      user_context: moderator,
      accids: 'alice',
      duration: '2 weeks',
      reason: 'x',
    });
    expect((await end(h, executionId)).error).toMatch(/^"Duration" is not a duration: .*\(got "2 weeks"\)\.$/);
    const block = await runStep(h.signer, h.slack, 'block_im_account', { user_context: moderator, accid: 'alice', reason: '' });
    expect((await end(h, block.executionId)).error).toMatch(/"Reason" is required/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);
  });

  it('Look up IM account completes with the name, mutes and block, and the lookup is audited', async () => {
    h = await startUpdateHarness();
    const { executionId } = await runStep(h.signer, h.slack, 'lookup_im_account', { user_context: member, accid: 'alice' });
    expect(await end(h, executionId)).toMatchObject({
      status: 'completed',
      outputs: { found: true, name: expect.any(String), muted_everywhere: false, muted_modules: '', blocked: false },
    });
    expect((await h.records()).filter((record) => record.kind === 'lookup')).toEqual([
      expect.objectContaining({ actor: 'U0MEMBER', accids: ['alice'], command: expect.stringMatching(/^Look up IM account step/) }),
    ]);
  });

  it('Block IM account blocks and logs out when asked', async () => {
    h = await startUpdateHarness();
    const { executionId } = await runStep(h.signer, h.slack, 'block_im_account', {
      user_context: moderator,
      accid: 'frank',
      reason: 'ban evasion',
      log_out: true,
    });
    expect(await end(h, executionId)).toMatchObject({ status: 'completed', outputs: { blocked: true } });
    expect(h.emulator.received.filter((r) => r.endpoint === 'user/block.action').map((r) => r.form)).toEqual([
      expect.objectContaining({ accid: 'frank', needkick: 'true' }),
    ]);
  });
});
