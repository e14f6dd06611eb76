import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, visibleText, type Harness } from '../../support/app-harness.js';

describe('acknowledging within Slack’s 3 seconds', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ nimTimeoutMs: 10_000 });
  });
  afterEach(() => h.close());

  it('acks in well under 3 s while NetEase takes 5 s, and the answer follows', async () => {
    h.emulator.injectFault('user/getUinfos.action', { kind: 'latency', ms: 5000 });
    const started = performance.now();
    const { ack, responseId } = await h.command('/im-user', 'alice');
    expect(ack.status).toBe(200);
    expect(ack.ackMs).toBeLessThan(1500);
    const answer = await h.answer(responseId, 15_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(4900);
    expect(visibleText(answer.body)).toContain('Alice Chen');
  });

  it('acks a button click at once too', async () => {
    h.emulator.injectFault('user/getUinfos.action', { kind: 'latency', ms: 5000 });
    const { ack, responseId } = await h.click('user_card.mute_status', 'alice');
    expect(ack.status).toBe(200);
    expect(ack.ackMs).toBeLessThan(1500);
    await h.answer(responseId, 15_000);
  });
});
