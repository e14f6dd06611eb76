import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { batchActionIds } from '../../../src/slack/ids.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';

/**
 * A batch's modal while Slack is slow to take one of its progress updates, through the real app over HTTP: the
 * updates reach Slack one at a time and in order, so the modal ends on "Finished", never on an older "Running".
 */

const ADMIN = 'U0ADMIN';
const ACCOUNTS = 600;
const wave = (n: number) => Array.from({ length: n }, (_, i) => `wave${i}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`timed out waiting for ${what}`)))]);
}

// Hundreds of accounts, each with its intent and outcome committed to disk before and after its call.
describe('a bulk action’s progress in its modal', { timeout: 60_000 }, () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('a progress update Slack holds keeps the next one back: none overlaps, and the modal ends on Finished', async () => {
    // 200 NetEase calls a second: the 600 accounts take about 3 s, past the first progress update (every 2 s).
    h = await startUpdateHarness({ emulator: { rateLimit: 100_000 }, nimOptions: { rateLimit: 200 } });
    for (const accid of wave(ACCOUNTS)) h.emulator.putUser({ accid });
    await h.command('/im-mute', `${wave(ACCOUNTS).join(' ')} 24h spam wave`, ADMIN);
    const confirm = await h.filledView('moderation_batch_confirm');
    const ofModal = (args: Record<string, unknown>) => args.view_id === confirm.id;
    // The updates after the one that filled the confirmation in.
    const before = h.slack.calls('views.update').filter((call: ApiCall) => ofModal(call.args)).length;
    const modalUpdates = () =>
      h.slack
        .calls('views.update')
        .filter((call: ApiCall) => ofModal(call.args))
        .slice(before);
    const slow = h.slack.hold('views.update', ofModal);

    await h.submit(confirm, ADMIN);
    const held = await within(slow.arrived, 30_000, 'the first progress update');
    expect(JSON.stringify(held.view), 'the held update is one made while the batch runs').toContain(batchActionIds.stop);
    // The batch ends while Slack still holds that update: its audit message's final count, then the final save.
    await h.slack.waitForCall(
      'chat.update',
      (call) => call.args.channel === h.auditChannel && JSON.stringify(call.args).includes(`${ACCOUNTS} of ${ACCOUNTS}`),
      30_000,
    );
    await sleep(500);
    const sentWhileHeld = modalUpdates().length;
    slow.release();

    await h.slack.waitForCall('views.update', (call) => ofModal(call.args) && /Finished/.test(JSON.stringify(call.args.view)), 15_000);
    await sleep(300);
    expect(sentWhileHeld, 'views.update calls sent before the held one was answered').toBe(0);
    const landed = modalUpdates().map((call) => (/Finished/.test(JSON.stringify(call.args.view)) ? 'finished' : 'running'));
    expect(landed.at(-1), `the modal's updates in the order Slack took them: ${landed.join(', ')}`).toBe('finished');
    expect(landed[0]).toBe('running');
    expect(h.emulator.count({ endpoint: 'user/mute.action' })).toBe(ACCOUNTS);
  });
});
