import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionIds } from '../../../src/slack/ids.js';
import { mrkdwnTexts, startHarness, visibleText, type Harness } from '../../support/app-harness.js';

describe('the buttons on a user card', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('carries the accid on Mute status and Share in channel', async () => {
    const { responseId } = await h.command('/im-user', 'alice');
    const raw = JSON.stringify((await h.answer(responseId)).body);
    expect(raw).toContain(`"action_id":"${actionIds.muteStatus}","value":"alice"`);
    expect(raw).toContain(`"action_id":"${actionIds.share}","value":"alice"`);
    expect(raw).not.toContain(actionIds.edit);
  });

  it('"Mute status" shows that account’s mutes, to the clicker only, keeping the card', async () => {
    const card = h.emulator.getUser('alice')!;
    h.emulator.putUser({ ...card, muteP2P: true });
    const { ack, responseId } = await h.click(actionIds.muteStatus, 'alice');
    expect(ack.status).toBe(200);
    const { body } = await h.answer(responseId);
    expect(body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(visibleText(body)).toMatch(/One-to-one/);
    expect(h.emulator.received.at(-1)?.form).toMatchObject({ muteStatus: 'true', accids: '["alice"]' });
  });

  it('"Share in channel" posts the card for everyone, masked, saying who shared it', async () => {
    const card = h.emulator.getUser('alice')!;
    h.emulator.putUser({ ...card, mobile: '+86-13800138000', email: 'alice@example.com' });
    await h.click(actionIds.share, 'alice', 'U0ADMIN');
    const post = await h.slack.waitForCall('chat.postMessage');
    expect(post.args.channel).toBe('C0GENERAL');
    const body = post.args as { text?: string; blocks?: unknown[] };
    const text = visibleText(body);
    expect(text).toContain('Alice Chen');
    expect(text).toContain('<@U0ADMIN>');
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('alice@example.com');
    expect(JSON.stringify(body.blocks)).not.toContain('"actions"');
  });

  it('shares a hostile nickname without pinging the channel', async () => {
    await h.click(actionIds.share, 'carol');
    const post = await h.slack.waitForCall('chat.postMessage');
    for (const text of mrkdwnTexts(post.args)) expect(text).not.toContain('<!channel>');
  });

  it('re-validates the accid a button carries, and asks NetEase nothing about a bad one', async () => {
    const { responseId } = await h.click(actionIds.muteStatus, 'not valid!');
    expect(visibleText((await h.answer(responseId)).body)).toMatch(/check what you typed/i);
    expect(h.emulator.count()).toBe(0);
  });

  it('re-checks who clicks: a guest is refused', async () => {
    const { responseId } = await h.click(actionIds.share, 'alice', 'U0GUEST');
    expect(visibleText((await h.answer(responseId)).body)).toMatch(/guest/i);
    expect(h.slack.calls('chat.postMessage')).toHaveLength(0);
    expect(h.emulator.count()).toBe(0);
  });

  it('tells the clicker when the share could not be posted', async () => {
    h.slack.fail('chat.postMessage', 'not_in_channel');
    const { responseId } = await h.click(actionIds.share, 'alice');
    expect(visibleText((await h.answer(responseId)).body)).toMatch(/went wrong/i);
  });

  it('posts again without avatars when Slack refuses an image', async () => {
    h.slack.fail('chat.postMessage', 'invalid_blocks', 1);
    await h.click(actionIds.share, 'alice');
    const second = await h.slack.waitForCall('chat.postMessage', (call) => call !== h.slack.calls('chat.postMessage')[0]);
    expect(JSON.stringify(h.slack.calls('chat.postMessage')[0]?.args.blocks)).toContain('"image"');
    expect(JSON.stringify(second.args.blocks)).not.toContain('"image"');
  });
});
