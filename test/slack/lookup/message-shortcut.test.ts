import { afterEach, describe, expect, it } from 'vitest';
import { visibleText } from '../../support/app-harness.js';
import { useGlobalShortcut, useMessageShortcut } from '../../support/slack-events.js';
import { startUpdateHarness, type UpdateHarness } from '../app/update-harness.js';

describe('shortcuts over HTTP', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('Look up IM accounts on a report naming three accounts answers only the person with those three cards, audited', async () => {
    h = await startUpdateHarness();
    const report = 'Spam wave from `alice`, accid: grace and frank2 — also see carol? <@U0ADMIN> please check';
    h.emulator.putUser({ accid: 'frank2', name: 'Frank Two' });
    const ack = await useMessageShortcut(h.signer, h.slack, {
      callbackId: 'lookup_im_accounts',
      userId: 'U0ADMIN',
      text: report,
      responseId: 'sc1',
    });
    expect(ack.status).toBe(200);
    const answer = await h.answer('sc1');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    const text = visibleText(answer.body);
    expect(text).toMatch(/Alice/);
    expect(text).toMatch(/Grace/);
    expect(text).toMatch(/frank2/);
    expect(text).not.toMatch(/Carol/);
    // A moderator gets the moderation buttons, as on /im-user.
    expect(JSON.stringify(answer.body)).toContain('moderation.mute');
    const lookups = (await h.records()).filter((record) => record.kind === 'lookup');
    expect(lookups).toEqual([
      expect.objectContaining({ actor: 'U0ADMIN', command: 'Look up IM accounts shortcut', accids: ['alice', 'grace', 'frank2'] }),
    ]);
  });

  it('says so when the message names no account, and looks nothing up', async () => {
    h = await startUpdateHarness();
    await useMessageShortcut(h.signer, h.slack, {
      callbackId: 'lookup_im_accounts',
      userId: 'U0MEMBER',
      text: 'lunch at noon?',
      responseId: 'sc2',
    });
    expect(visibleText((await h.answer('sc2')).body)).toMatch(/No NetEase account IDs found in that message/);
    expect(h.emulator.count({ endpoint: 'user/getUinfos.action' })).toBe(0);
  });

  it('the global shortcut Mute IM accounts… opens the mute form for a moderator', async () => {
    h = await startUpdateHarness();
    expect((await useGlobalShortcut(h.signer, { callbackId: 'mute_im_accounts', userId: 'U0ADMIN' })).status).toBe(200);
    const form = await h.filledView('moderation_form');
    expect(JSON.stringify(form.blocks)).toMatch(/reason/i);
  });
});
