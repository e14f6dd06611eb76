import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interactivityBody, signedHeaders, slashCommandBody } from '../../../src/simulator/sign-request.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../../src/slack/receiver/verify-request.js';
import { editCardView } from '../../../src/slack/edit-card/view.js';
import { startHarness, type Harness } from '../../support/app-harness.js';
import { postSigned } from '../../support/slack-requests.js';

const GET_UINFOS = 'user/getUinfos.action';

/** Sends a POST to the app by hand: `parts` are written one by one; `stallAfter` leaves the body unfinished. */
function rawPost(url: string, headers: Record<string, string>, parts: Buffer[], stallAfter = false): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    // The app closes the connection while the rest of a refused body is still being written: expected.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      reject(error);
    });
    (async () => {
      for (const part of parts) {
        if (req.destroyed) return;
        if (!req.write(part)) await new Promise((drained) => req.once('drain', drained));
      }
      if (!stallAfter) req.end();
    })().catch(() => undefined);
  });
}

describe('requests refused before their body is read whole', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ requestLimits: { bodyDeadlineMs: 400 } });
  });
  afterEach(() => h.close());

  const command = (responseId: string) =>
    slashCommandBody({
      command: '/im-user',
      text: 'alice',
      user_id: 'U0ADMIN',
      channel_id: 'C0GENERAL',
      response_url: h.slack.responseUrl(responseId),
      trigger_id: `trigger-${responseId}`,
    });

  /** A genuine command answered: the positive signal before checking that nothing else was answered or sent. */
  async function genuineAnswered(): Promise<void> {
    expect((await postSigned(h.signer, command('genuine'))).status).toBe(200);
    await h.answer('genuine');
    expect(h.emulator.count({ endpoint: GET_UINFOS })).toBe(1);
  }

  it.each([
    ['an hour', 3_600_000],
    ['a day', 86_400_000],
    ['ten years', 10 * 365 * 86_400_000],
  ])('refuses a correctly signed command dated %s in the future: nothing answered, nothing sent', async (_label, aheadMs) => {
    const answer = await postSigned({ ...h.signer, forge: { nowMs: Date.now() + aheadMs } }, command('future'));
    expect(answer.status).toBe(401);
    await genuineAnswered();
    expect(h.slack.responses('future')).toHaveLength(0);
  });

  it('accepts a timestamp a little ahead of the app’s clock (Slack’s clock may run ahead)', async () => {
    const answer = await postSigned({ ...h.signer, forge: { nowMs: Date.now() + 60_000 } }, command('ahead'));
    expect(answer.status).toBe(200);
    await h.answer('ahead');
  });

  it('refuses a body that declares more than 1 MiB at once, without reading it', async () => {
    const headers = { ...signedHeaders(h.signer.signingSecret, 'x'), 'content-length': String(4 * 1024 * 1024) };
    const started = performance.now();
    const answer = await rawPost(h.signer.eventsUrl, headers, [Buffer.alloc(64 * 1024, 'a')], true);
    expect(answer.status).toBe(413);
    expect(performance.now() - started).toBeLessThan(2000);
    await genuineAnswered();
  });

  it('refuses a correctly signed body that turns out longer than 1 MiB (no declared length)', async () => {
    const body = `${command('huge')}&padding=${'a'.repeat(1024 * 1024)}`;
    const headers = { ...signedHeaders(h.signer.signingSecret, body), 'transfer-encoding': 'chunked' };
    const parts = [];
    for (let at = 0; at < body.length; at += 64 * 1024) parts.push(Buffer.from(body.slice(at, at + 64 * 1024)));
    expect((await rawPost(h.signer.eventsUrl, headers, parts)).status).toBe(413);
    await genuineAnswered();
    expect(h.slack.responses('huge')).toHaveLength(0);
  });

  it('refuses an unsigned large body after reading only its first kilobyte', async () => {
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' };
    const parts = Array.from({ length: 64 }, () => Buffer.alloc(64 * 1024, 'a'));
    expect((await rawPost(h.signer.eventsUrl, headers, parts)).status).toBe(401);
    await genuineAnswered();
  });

  it('refuses a body that does not arrive within the deadline (408), and serves others meanwhile', async () => {
    const body = command('slow');
    const headers = { ...signedHeaders(h.signer.signingSecret, body), 'content-length': String(body.length) };
    const slow = rawPost(h.signer.eventsUrl, headers, [Buffer.from(body.slice(0, 20))], true);
    await genuineAnswered();
    expect((await slow).status).toBe(408);
    expect(h.slack.responses('slow')).toHaveLength(0);
  });

  it('lets Slack’s unsigned ssl_check through', async () => {
    const body = 'ssl_check=1&token=abc';
    const answer = await rawPost(h.signer.eventsUrl, { 'content-type': 'application/x-www-form-urlencoded' }, [Buffer.from(body)]);
    expect(answer.status).toBe(200);
  });
});

describe('the body bound', () => {
  it('leaves room for the largest submission the app’s forms can produce (every input at Slack’s 3000, in Chinese)', () => {
    const cjk = (n: number) => '测'.repeat(n);
    const card = {
      accid: 'a'.repeat(32),
      name: cjk(64),
      icon: 'h'.repeat(1024),
      sign: cjk(256),
      email: cjk(64),
      birth: cjk(16),
      mobile: cjk(32),
      gender: 1,
      ex: cjk(1024),
    };
    const view = editCardView({ card, locale: 'zh-CN', privateMetadata: 'v'.repeat(3000) });
    const values: Record<string, unknown> = {};
    for (const block of view.blocks) {
      if (block.type === 'input') values[block.block_id!] = { value: { type: 'plain_text_input', value: cjk(3000) } };
    }
    const payload = { type: 'view_submission', user: { id: 'U0ADMIN' }, view: { ...view, id: 'V1', hash: 'h', state: { values } } };
    const bytes = Buffer.byteLength(interactivityBody(payload));
    expect(bytes).toBeGreaterThan(200_000);
    expect(bytes * 4).toBeLessThan(DEFAULT_MAX_BODY_BYTES);
  });
});
