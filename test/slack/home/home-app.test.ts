import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { moderationActionIds } from '../../../src/slack/ids.js';
import { finalView } from '../app/moderation-harness.js';
import { startUpdateHarness, type UpdateHarness } from '../app/update-harness.js';
import { openHome } from '../../support/slack-events.js';

const ADMIN = 'U0ADMIN';
const published = (h: UpdateHarness, user: string) => (call: ApiCall) => call.args.user_id === user;
const homeText = (call: ApiCall) => JSON.stringify((call.args.view as { blocks: unknown[] }).blocks);

describe('the App Home over HTTP', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  async function muteAlice(duration: string): Promise<void> {
    await h.command('/im-mute', `alice ${duration} spam links`, ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    await h.submit(confirm, ADMIN);
    await finalView(h, confirm.id);
    h.slack.clear();
  }

  it("app_home_opened publishes a moderator's Home with the timed mute made here and when it lifts", async () => {
    h = await startUpdateHarness();
    await muteAlice('2h');
    const ack = await openHome(h.signer, ADMIN);
    expect(ack.status).toBe(200);
    const call = await h.slack.waitForCall('views.publish', published(h, ADMIN));
    const text = homeText(call);
    expect(text).toMatch(/\*Muted\* `alice` — lifts in 2 h \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(text).toContain('<@U0ADMIN>');
    expect(text).toContain('reason: spam links');
    expect(text).toContain(moderationActionIds.unmute);
    expect(text).toContain('*Mute* `alice` — applied');
  });

  it('Lift now on the Home lifts the mute after the confirmation, audited, and republishes the Home without it', async () => {
    h = await startUpdateHarness();
    await muteAlice('forever');
    await openHome(h.signer, ADMIN);
    expect(homeText(await h.slack.waitForCall('views.publish', published(h, ADMIN)))).toContain('*Muted without end* `alice`');
    h.slack.clear();

    await h.click(moderationActionIds.unmute, 'alice', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    expect(h.emulator.getUser('alice')?.mute).toBe(true);
    await h.submit(confirm, ADMIN);
    await finalView(h, confirm.id);
    expect(h.emulator.getUser('alice')?.mute).toBe(false);
    const unmute = (await h.records()).find((record) => record.kind === 'intent' && record.action === 'unmute');
    expect(unmute).toMatchObject({ actor: ADMIN, target: { accid: 'alice' } });

    const republished = await h.slack.waitForCall('views.publish', published(h, ADMIN), 15_000);
    expect(homeText(republished)).not.toContain('Muted without end');
    expect(homeText(republished)).toContain('None: no timed mute is waiting');
    expect(homeText(republished)).toContain('*Unmute* `alice` — applied');
  });

  it("a member's Home has the lookup box and the help, and no moderation controls", async () => {
    h = await startUpdateHarness();
    await muteAlice('2h');
    await openHome(h.signer, 'U0MEMBER');
    const text = homeText(await h.slack.waitForCall('views.publish', published(h, 'U0MEMBER')));
    expect(text).toContain('home.lookup');
    expect(text).toContain('/im-user');
    expect(text).not.toContain('moderation.');
    expect(text).not.toContain('alice');
  });
});
