import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, visibleText, type Harness } from '../../support/app-harness.js';

describe('/im-mute-status', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('looks accounts up with muteStatus=true and shows where each is muted', async () => {
    const card = h.emulator.getUser('bob')!;
    h.emulator.putUser({ ...card, muteTeam: true });
    const { ack, responseId } = await h.command('/im-mute-status', 'alice bob');
    expect(ack.status).toBe(200);
    const { body } = await h.answer(responseId);
    expect(body.response_type).toBe('ephemeral');
    expect(visibleText(body)).toMatch(/Muted somewhere: 1 of 2 accounts/);
    expect(h.emulator.received[0]?.form).toMatchObject({ muteStatus: 'true' });
  });

  it('refuses a guest', async () => {
    const { responseId } = await h.command('/im-mute-status', 'alice', 'U0GUEST');
    expect(visibleText((await h.answer(responseId)).body)).toMatch(/guest/i);
    expect(h.emulator.count()).toBe(0);
  });

  it('shows its own usage', async () => {
    const { responseId } = await h.command('/im-mute-status', 'help');
    expect(visibleText((await h.answer(responseId)).body)).toMatch(/\/im-mute-status/);
  });
});
