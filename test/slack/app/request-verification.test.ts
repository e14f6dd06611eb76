import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slashCommandBody } from '../../../src/simulator/sign-request.js';
import { startHarness, type Harness } from '../../support/app-harness.js';
import { postSigned } from '../../support/slack-requests.js';

describe('requests that did not come from Slack', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  const body = (responseUrl: string) =>
    slashCommandBody({
      command: '/im-user',
      text: 'alice',
      user_id: 'U0ADMIN',
      channel_id: 'C0GENERAL',
      response_url: responseUrl,
      trigger_id: 't1',
    });

  it('refuses a forged signature, and NetEase is never called', async () => {
    const answer = await postSigned({ ...h.signer, forge: { secret: 'not-the-signing-secret' } }, body(h.slack.responseUrl('forged')));
    expect(answer.status).toBe(401);
    expect(h.emulator.count()).toBe(0);
    expect(h.slack.responses('forged')).toHaveLength(0);
  });

  it('refuses a replay older than 5 minutes, and NetEase is never called', async () => {
    const sixMinutesAgo = Date.now() - 6 * 60_000;
    const answer = await postSigned({ ...h.signer, forge: { nowMs: sixMinutesAgo } }, body(h.slack.responseUrl('stale')));
    expect(answer.status).toBe(401);
    expect(h.emulator.count()).toBe(0);
  });

  it('answers a genuine request (the same body, correctly signed)', async () => {
    const answer = await postSigned(h.signer, body(h.slack.responseUrl('genuine')));
    expect(answer.status).toBe(200);
    await h.answer('genuine');
    expect(h.emulator.count({ endpoint: 'user/getUinfos.action' })).toBe(1);
  });

  it('reports healthy on GET /healthz', async () => {
    const response = await fetch(`${h.appUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});
