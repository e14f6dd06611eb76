import { afterEach, describe, expect, it } from 'vitest';
import { slashCommandBody } from '../../../src/simulator/sign-request.js';
import { actionIds } from '../../../src/slack/ids.js';
import { visibleText } from '../../support/app-harness.js';
import { clickButton, postSigned } from '../../support/slack-requests.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';

const UPDATE = 'user/updateUinfo.action';
const QCHAT = 'qchat/updateServerMember.action';
const READ = 'user/getUinfos.action';
const MUTE = 'user/mute.action';
const ADMIN = 'U0ADMIN';
type Message = { text?: string; blocks?: unknown[] };

/**
 * Replays of the same signed request (within Slack's 5 minutes, so the signature still verifies): each acts once —
 * one NetEase write, one audit entry — and the repeat is answered "already done" with nothing sent.
 */
describe('at most once', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  const intents = async () => (await h.records()).filter((r) => r.kind === 'intent');
  const ephemerals = () => h.slack.calls('chat.postEphemeral').map((call) => visibleText(call.args as Message));

  it('a /qchat-nick command sent twice writes once; the repeat is answered with the first one’s reference', async () => {
    h = await startUpdateHarness();
    const body = slashCommandBody({
      command: '/qchat-nick',
      text: '1513535 lina Once Only',
      user_id: ADMIN,
      channel_id: 'C0GENERAL',
      response_url: h.slack.responseUrl('replayed'),
      trigger_id: 'trigger.replayed.command',
    });
    expect((await postSigned(h.signer, body)).status).toBe(200);
    await h.answer('replayed', 15_000);
    expect((await postSigned(h.signer, body)).status).toBe(200);
    await expect.poll(() => h.slack.responses('replayed').length, { timeout: 15_000 }).toBe(2);
    const [first, repeat] = h.slack.responses('replayed').map((post) => visibleText(post.body));
    expect(first).toContain('Once Only');
    const [intent] = await intents();
    expect(repeat).toContain(`Already done`);
    expect(repeat).toContain(intent!.id);
    expect(repeat).toMatch(/Applied/);
    expect(h.emulator.count({ endpoint: QCHAT })).toBe(1);
    expect(await intents()).toHaveLength(1);
  });

  it('an Edit card click sent twice reads the card once; the repeat’s modal says already done', async () => {
    h = await startUpdateHarness();
    const click = {
      userId: ADMIN,
      actionId: actionIds.edit,
      value: 'alice',
      responseUrl: h.slack.responseUrl('click'),
      triggerId: 'trigger.replayed.click',
    };
    await clickButton(h.signer, click);
    await h.filledView('edit_card');
    await clickButton(h.signer, click);
    const notice = await h.slack.waitForCall('views.update', (call) => JSON.stringify(call.args.view).includes('Already done'), 15_000);
    expect(JSON.stringify(notice.args.view)).toContain('Already done');
    expect(h.emulator.count({ endpoint: READ })).toBe(1);
  });

  it('an edit card submission sent twice writes once, audited once; the repeat is told', async () => {
    h = await startUpdateHarness();
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    const body = h.submissionBody(view, ADMIN, { name: 'Alice Once' });
    await postSigned(h.signer, body);
    await expect.poll(() => ephemerals().length, { timeout: 15_000 }).toBe(1);
    await postSigned(h.signer, body);
    await expect.poll(() => ephemerals().length, { timeout: 15_000 }).toBe(2);
    expect(ephemerals()[0]).toContain('Alice Once');
    expect(ephemerals()[1]).toContain('Already done');
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(1);
    expect(await intents()).toHaveLength(1);
  });

  it('a /qchat-nick form submission sent twice writes once, audited once; the repeat is told', async () => {
    h = await startUpdateHarness();
    await h.command('/qchat-nick', '1513535 lina', ADMIN);
    const view = await h.filledView('qchat_nick');
    const body = h.submissionBody(view, ADMIN, { nick: 'Nana Once' });
    await postSigned(h.signer, body);
    await expect.poll(() => ephemerals().length, { timeout: 15_000 }).toBe(1);
    await postSigned(h.signer, body);
    await expect.poll(() => ephemerals().length, { timeout: 15_000 }).toBe(2);
    expect(ephemerals()[1]).toContain('Already done');
    expect(h.emulator.count({ endpoint: QCHAT })).toBe(1);
    expect(await intents()).toHaveLength(1);
  });
  it('a moderation confirmation sent twice mutes once, audited once; the repeat is told in the modal', async () => {
    h = await startUpdateHarness();
    await h.command('/im-mute', 'zhangwei 2h spam links', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    const body = h.submissionBody(confirm, ADMIN);
    await postSigned(h.signer, body);
    await h.slack.waitForCall(
      'views.update',
      (call) =>
        JSON.stringify(call.args.view).includes('zhangwei') &&
        !JSON.stringify(call.args.view).includes('Already done') &&
        h.emulator.count({ endpoint: MUTE }) === 1,
      15_000,
    );
    await expect.poll(async () => (await intents()).length, { timeout: 15_000 }).toBe(1);
    await postSigned(h.signer, body);
    await h.slack.waitForCall('views.update', (call) => JSON.stringify(call.args.view).includes('Already done'), 15_000);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(1);
    expect(await intents()).toHaveLength(1);
  });
});
