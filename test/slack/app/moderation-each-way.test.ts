import { afterEach, describe, expect, it } from 'vitest';
import { moderationActionIds } from '../../../src/slack/ids.js';
import { visibleText } from '../../support/app-harness.js';
import { blockTexts, finalView } from './moderation-harness.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';

const ADMIN = 'U0ADMIN';
type Message = { text?: string; blocks?: unknown[] };

/** The actions not covered by moderation.test.ts's flows, each from the way it had not been taken yet. */
describe('moderation: each action from the command and the button', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('/im-unmute lifts the module mutes; the audit channel gets one message for both, /im-audit shows each flag before → after', async () => {
    h = await startUpdateHarness();
    await h.command('/im-unmute', 'wangfang, liuyang', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    expect(blockTexts(confirm)).toMatch(/Unmute 2 accounts/);
    await h.submit(confirm, ADMIN);
    await finalView(h, confirm.id);
    expect(h.emulator.getUser('wangfang')?.muteP2P).toBe(false);
    expect(h.emulator.getUser('liuyang')?.muteTeam).toBe(false);
    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    expect(visibleText(post.args as Message)).toMatch(/Unmute: 2 accounts/);
    for (const accid of ['wangfang', 'liuyang']) {
      const { responseId } = await h.command('/im-audit', accid, ADMIN);
      const entry = visibleText((await h.answer(responseId)).body);
      expect(entry).toMatch(/Muted[^\n]*\*\nyes → no/s);
      expect(entry).toMatch(/part of a bulk action/);
    }
  });

  it('the Unblock button on a blocked card goes straight to the confirmation and unblocks', async () => {
    h = await startUpdateHarness();
    await h.click(moderationActionIds.unblock, 'bob', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    expect(blockTexts(confirm)).toMatch(/Unblock 1 account/);
    await h.submit(confirm, ADMIN);
    const report = await finalView(h, confirm.id);
    expect(blockTexts(report)).toMatch(/bob.*done.*not blocked/);
    expect(h.emulator.getUser('bob')?.valid).toBe(true);
  });

  it('a mute posted to the audit channel shows the reason, where and when it lifts', async () => {
    h = await startUpdateHarness();
    await h.command('/im-mute', 'alice 2h links to <!channel>', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    await h.submit(confirm, ADMIN);
    await finalView(h, confirm.id);
    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    const text = visibleText(post.args);
    expect(text).toMatch(/\*Reason\*\n> links to &lt;!channel&gt;/);
    expect(text).toMatch(/\*Where\*\neverywhere/);
    expect(text).toMatch(/\*Lifts\*\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(text).not.toContain('<!channel>');
  });
});
