import { afterEach, describe, expect, it } from 'vitest';
import { visibleText } from '../../support/app-harness.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';

const ADMIN = 'U0ADMIN';

/** What a moderator types that is not what the app takes: told in words, which field and what is accepted. */
describe('moderation commands with input the app does not take', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it.each(['-1h', '1.5h', '１h', '١h'])('/im-mute alice %s spam: "not a duration", no form, nothing sent', async (typed) => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/im-mute', `alice ${typed} spam`, ADMIN);
    const text = visibleText((await h.answer(responseId)).body);
    expect(text).toMatch(/not a duration/i);
    expect(text).toMatch(/30m, 2h, 7d, 1w/);
    expect(text).toContain(typed);
    expect(h.slack.calls('views.open')).toHaveLength(0);
    expect(h.emulator.count()).toBe(0);
  });

  it('a reason over the limit is told with the limit and its length, not acked silently', async () => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/im-mute', `alice 1h ${'x'.repeat(20_001)}`, ADMIN);
    const text = visibleText((await h.answer(responseId)).body);
    expect(text).toMatch(/500/);
    expect(text).toMatch(/20,?001/);
    expect(h.emulator.count()).toBe(0);
  });

  it('a reason of only spaces and zero-width characters is no reason: the form asks for one', async () => {
    h = await startUpdateHarness();
    await h.command('/im-block', 'alice', ADMIN);
    const form = await h.filledView('moderation_form');
    const ack = await h.submit(form, ADMIN, { reason: ' \u200B\u200D\u2060 ' });
    expect(JSON.parse(ack.body)).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringMatching(/Say why/) } });
    expect(h.emulator.count()).toBe(0);
  });

  it('a message to the devices with the devices left logged in is refused under its field, saying what to do', async () => {
    h = await startUpdateHarness();
    await h.command('/im-block', 'alice', ADMIN);
    const form = await h.filledView('moderation_form');
    const ack = await h.submit(form, ADMIN, { reason: 'fraud', kickNotifyExt: 'Your account was blocked' });
    expect(JSON.parse(ack.body)).toMatchObject({
      response_action: 'errors',
      errors: { kickNotifyExt: expect.stringMatching(/only to devices it logs out.*Log out of every device/) },
    });
    expect(h.emulator.count()).toBe(0);
  });

  it('the form lets nobody type more than the limits: the reason 500, the device message 256 characters', async () => {
    h = await startUpdateHarness();
    await h.command('/im-block', 'alice', ADMIN);
    const form = await h.filledView('moderation_form');
    const maxLength = (blockId: string) =>
      (form.blocks.find((block) => block.block_id === blockId)?.element as { max_length?: number } | undefined)?.max_length;
    expect([maxLength('reason'), maxLength('kickNotifyExt')]).toEqual([500, 256]);
  });
});
