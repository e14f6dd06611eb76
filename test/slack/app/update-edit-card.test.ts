import { afterEach, describe, expect, it } from 'vitest';
import { actionIds } from '../../../src/slack/ids.js';
import { visibleText } from '../../support/app-harness.js';
import { ackJson, startUpdateHarness, type UpdateHarness } from './update-harness.js';

const UPDATE = 'user/updateUinfo.action';
const ADMIN = 'U0ADMIN';

describe('editing a user card', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('opens at once with a loading view, then fills in the current card', async () => {
    h = await startUpdateHarness();
    const { ack } = await h.command('/im-user', 'edit alice', ADMIN);
    expect(ack.status).toBe(200);
    const open = await h.slack.waitForCall('views.open');
    expect(JSON.stringify(open.args.view)).toMatch(/Checking your permission/);
    const view = await h.filledView('edit_card');
    const initial = Object.fromEntries(
      view.blocks.filter((b) => b.type === 'input').map((b) => [b.block_id, b.element?.initial_value ?? b.element?.initial_option?.value]),
    );
    expect(initial).toMatchObject({ name: 'Alice Chen', email: 'alice@example.com', mobile: '+1-4155550123', gender: '2' });
    expect(JSON.stringify(view.blocks)).toMatch(/Empty the field to clear it/);
    expect(view.private_metadata!.length).toBeLessThanOrEqual(3000);
  });

  it("an admin's update reaches NetEase with exactly the changed fields; the person, the audit channel and the log have it", async () => {
    h = await startUpdateHarness();
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    const ack = await h.submit(view, ADMIN, { name: 'Alice C.', sign: '' });
    expect(ack.status).toBe(200);
    expect(ackJson(ack)).toEqual({});

    const ephemeral = await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
    expect(ephemeral.args).toMatchObject({ channel: 'C0GENERAL', user: ADMIN });
    const text = visibleText(ephemeral.args);
    expect(text).toContain('Alice Chen');
    expect(text).toContain('Alice C.');

    const sent = h.emulator.received.filter((r) => r.endpoint === UPDATE);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.form).toEqual({ accid: 'alice', name: 'Alice C.', sign: '' });
    expect(h.emulator.getUser('alice')).toMatchObject({ name: 'Alice C.' });

    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    const audit = visibleText(post.args);
    expect(audit).toContain('<@U0ADMIN>');
    expect(audit).toMatch(/Applied/);
    expect(audit).toContain('Alice C.');

    const records = await h.records();
    const intent = records.find((r) => r.kind === 'intent');
    expect(intent).toMatchObject({ actor: ADMIN, action: 'update_user_card', target: { accid: 'alice' } });
    expect(intent && 'changes' in intent && intent.changes).toEqual({
      name: { before: 'Alice Chen', after: 'Alice C.' },
      sign: { before: 'Product @ Example Inc.', after: '' },
    });
    expect(records.find((r) => r.kind === 'outcome')).toMatchObject({ id: intent!.id, status: 'applied' });
    await expect.poll(async () => (await h.records()).some((r) => r.kind === 'posted' && r.id === intent!.id)).toBe(true);
  });

  it('shows email, mobile and birthday in full in the editor’s own answer', async () => {
    h = await startUpdateHarness();
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    await h.submit(view, ADMIN, { mobile: '+852-61234567' });
    const ephemeral = await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
    expect(visibleText(ephemeral.args as { text?: string; blocks?: unknown[] })).toContain('+852-61234567');
    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    expect(visibleText(post.args as { text?: string; blocks?: unknown[] })).not.toContain('61234567');
  });

  it('the "Edit card" button is on cards for writers only, and opens the modal', async () => {
    h = await startUpdateHarness();
    const member = await h.command('/im-user', 'alice', 'U0MEMBER');
    expect(JSON.stringify((await h.answer(member.responseId)).body)).not.toContain(actionIds.edit);
    const admin = await h.command('/im-user', 'alice', ADMIN);
    expect(JSON.stringify((await h.answer(admin.responseId)).body)).toContain(`"action_id":"${actionIds.edit}","value":"alice"`);

    await h.click(actionIds.edit, 'alice', ADMIN);
    const view = await h.filledView('edit_card');
    expect(JSON.stringify(view.blocks)).toContain('Alice Chen');
    expect((await h.records()).filter((r) => r.kind === 'lookup').map((r) => r.kind === 'lookup' && r.command)).toEqual([
      '/im-user',
      '/im-user',
      'Edit card button',
    ]);
  });

  it('sends nothing when no field was changed, and says so', async () => {
    h = await startUpdateHarness();
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    await h.submit(view, ADMIN);
    const ephemeral = await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
    expect(visibleText(ephemeral.args as { text?: string })).toMatch(/did not change any field/);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(0);
  });

  it('shows invalid values under their fields with the limit, and sends nothing', async () => {
    h = await startUpdateHarness();
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    const ack = await h.submit(
      view,
      ADMIN,
      { name: 'n'.repeat(65), icon: `https://x.example/${'a'.repeat(1007)}` },
      { selected: { gender: '3' } },
    );
    expect(ackJson(ack)).toEqual({
      response_action: 'errors',
      errors: {
        name: 'At most 64 characters (this is 65).',
        icon: 'At most 1024 bytes in UTF-8 (this is 1025).',
        gender: 'Choose one of: Not specified, Male, Female.',
      },
    });
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(0);
    expect((await h.records()).filter((r) => r.kind === 'intent')).toEqual([]);
  });

  it('tells the editor when the card is gone', async () => {
    h = await startUpdateHarness();
    await h.command('/im-user', 'edit nobody-here', ADMIN);
    const notice = await h.slack.waitForCall('views.update', (call) => JSON.stringify(call.args.view).includes('nobody-here'), 15_000);
    expect(JSON.stringify(notice.args.view)).toMatch(/has no account/);
  });

  it('answers in a DM when the channel refuses the ephemeral answer', async () => {
    h = await startUpdateHarness();
    h.slack.fail('chat.postEphemeral', 'channel_not_found');
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    await h.submit(view, ADMIN, { name: 'Alice DM' });
    const dm = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === ADMIN, 15_000);
    expect(visibleText(dm.args as { text?: string; blocks?: unknown[] })).toContain('Alice DM');
  });

  it('speaks Chinese to a Chinese-speaking editor, errors under the fields included', async () => {
    h = await startUpdateHarness({ access: { writeUsers: ['U0ZH'] } });
    await h.command('/im-user', 'edit zhangwei', 'U0ZH');
    const view = await h.filledView('edit_card');
    expect(JSON.stringify(view)).toContain('编辑用户名片');
    const ack = await h.submit(view, 'U0ZH', { email: 'e'.repeat(65) });
    expect(ackJson(ack).errors).toEqual({ email: '最多 64 个字符（当前 65 个）。' });
  });
});
