import { afterEach, describe, expect, it } from 'vitest';
import { startUpdateHarness, type ModalView, type UpdateHarness } from './update-harness.js';

const ADMIN = 'U0ADMIN';
const PROTECTED = 'support_bot-01';

/**
 * IM_PROTECTED_ACCIDS is checked on every path a mute or block can take, case-insensitively: the command that goes
 * straight to the confirmation (moderation.test.ts), the form submitted, and the confirmation itself (for one sealed
 * before the account was protected, e.g. by a replica with older settings).
 */
describe('protected accounts on every path', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });
  const viewOf = (ack: { body: string }) => (JSON.parse(ack.body) as { view: ModalView }).view;

  it('refuses the form submitted with a protected account typed in another case: no confirmation, nothing sent', async () => {
    h = await startUpdateHarness({ access: { protectedAccids: [PROTECTED] } });
    await h.command('/im-block', 'alice', ADMIN);
    const form = await h.filledView('moderation_form');
    const ack = await h.submit(form, ADMIN, { accids: 'alice Support_Bot-01', reason: 'fraud' });
    const shown = viewOf(ack);
    expect(shown.callback_id).not.toBe('moderation_confirm');
    expect(JSON.stringify(shown)).toMatch(/Support_Bot-01.*may never be muted or blocked/);
    await expect.poll(async () => (await h.records()).filter((r) => r.kind === 'refusal').length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(h.emulator.count()).toBe(0);
  });

  it('refuses at confirmation an account protected since the confirmation was opened: nothing sent for any account', async () => {
    const protectedAccids: string[] = [];
    h = await startUpdateHarness({ access: { protectedAccids } });
    await h.command('/im-mute', 'alice Support_Bot-01 1h spam', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    protectedAccids.push(PROTECTED);
    await h.submit(confirm, ADMIN);
    const notice = await h.slack.waitForCall('views.update', (call) => /may never be muted/.test(JSON.stringify(call.args.view)), 15_000);
    expect(JSON.stringify(notice.args.view)).toMatch(/Support_Bot-01/);
    expect(h.emulator.count({ endpoint: 'user/mute.action' })).toBe(0);
  });

  it('records a bulk refusal under every account it names, each findable in its own /im-audit', async () => {
    h = await startUpdateHarness({ access: { protectedAccids: [PROTECTED] } });
    await h.command('/im-mute', 'bulk751 Support_Bot-01 1h spam', ADMIN);
    await h.slack.waitForCall('views.update', (call) => /may never be muted/.test(JSON.stringify(call.args.view)), 15_000);
    await expect.poll(async () => (await h.records()).filter((r) => r.kind === 'refusal').length, { timeout: 10_000 }).toBe(2);
    const refusals = (await h.records()).filter((r) => r.kind === 'refusal');
    expect(refusals.map((r) => r.target.accid)).toEqual(['bulk751', 'Support_Bot-01']);
    expect(new Set(refusals.map((r) => r.id)).size).toBe(2);
    for (const accid of ['bulk751', 'support_bot-01']) {
      const { responseId } = await h.command('/im-audit', accid, ADMIN);
      expect(JSON.stringify((await h.answer(responseId)).body)).toMatch(/Refused/);
    }
  });
});
