import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactivityBody, signedHeaders } from '../../src/simulator/sign-request.js';
import { parseAccidList } from '../../src/slack/interaction/command-text.js';
import { mrkdwnTexts, visibleText } from '../support/app-harness.js';
import { postSigned, type AppAnswer } from '../support/slack-requests.js';
import { assertWithinBlockKitLimits } from '../slack/block-kit-limits.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { scrape } from '../metrics/scrape.js';
import { startUpdateHarness, type UpdateHarness } from '../slack/app/update-harness.js';
import { asSlackSends, INJECTION_CORPUS, unescapedMarkers, wellFormed } from './corpus.js';

/**
 * The running app (local Slack + NetEase emulator, update side wired) fed the hostile corpus: in command text, in
 * NetEase's own data, 10 kB of text, 5,000 accids, malformed payloads, unknown action and callback ids. Every answer
 * arrives, fits Block Kit, and lets no mention or link through.
 */

const ADMIN = 'U0ADMIN';
/** Ack well within Slack's 3 s; generous for a loaded 2-core machine. */
const ACK_BOUND_MS = 2500;
type Message = { text?: string; blocks?: unknown[] };

function expectSafeAnswer(body: Message): void {
  assertWithinBlockKitLimits({ text: body.text ?? '', blocks: body.blocks ?? [] });
  expect(unescapedMarkers(mrkdwnTexts(body))).toEqual([]);
}

function expectPromptAck(ack: AppAnswer): void {
  expect(ack.status).toBe(200);
  expect(ack.ackMs).toBeLessThan(ACK_BOUND_MS);
}

describe('the hostile corpus, through the running app', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  beforeAll(async () => {
    h = await startUpdateHarness();
  });
  afterAll(async () => {
    await h.close();
    await h.removeDir();
  });

  it('/im-user and /im-mute-status: every corpus string typed as accids gets a safe answer naming it invalid', async () => {
    for (const command of ['/im-user', '/im-mute-status']) {
      const sent = await Promise.all(INJECTION_CORPUS.map((typed) => h.command(command, asSlackSends(`alice ${typed}`), ADMIN)));
      for (const { ack, responseId } of sent) {
        expectPromptAck(ack);
        const { body } = await h.answer(responseId);
        expectSafeAnswer(body);
      }
    }
    // Each string that is not an accid is named back as one (escaped, so it reads as typed).
    for (const typed of INJECTION_CORPUS.filter((s) => parseAccidList(asSlackSends(s)).invalid.length > 0)) {
      const { responseId } = await h.command('/im-user', asSlackSends(`alice ${typed}`), ADMIN);
      expect(visibleText((await h.answer(responseId)).body)).toMatch(/Not valid account IDs/);
    }
  });

  it('the same strings sent unescaped (not as Slack would) are still answered safely', async () => {
    const sent = await Promise.all(INJECTION_CORPUS.map((typed) => h.command('/im-user', typed, ADMIN)));
    for (const { ack, responseId } of sent) {
      expectPromptAck(ack);
      expectSafeAnswer((await h.answer(responseId)).body);
    }
  });

  it('NetEase data carrying the corpus (name, sign, ex, email, mobile, icon) is shown as text on cards, mute status and share', async () => {
    const hostile = INJECTION_CORPUS.join(' ');
    const accids: string[] = [];
    INJECTION_CORPUS.forEach((typed, i) => {
      const accid = `hostile${i}`;
      accids.push(accid);
      h.emulator.putUser({
        accid,
        name: typed,
        sign: hostile.slice(0, 256),
        ex: hostile.slice(0, 1024),
        email: `${typed}@x.example`,
        mobile: typed,
        birth: typed.slice(0, 16),
        icon: i % 2 === 0 ? `javascript:alert(${i})` : `https://evil.example/${encodeURIComponent(wellFormed(typed))}<x>.png`,
        valid: true,
      });
    });
    // One card at a time (full cards, buttons), then all at once (compact list).
    for (const accid of [...accids.slice(0, 6), accids.join(' ')]) {
      for (const command of ['/im-user', '/im-mute-status']) {
        for (const user of [ADMIN, 'U0MEMBER']) {
          const { ack, responseId } = await h.command(command, accid, user);
          expectPromptAck(ack);
          expectSafeAnswer((await h.answer(responseId)).body);
        }
      }
    }
    for (const accid of accids.slice(0, 4)) {
      const muteClick = await h.click('user_card.mute_status', accid);
      expectSafeAnswer((await h.answer(muteClick.responseId)).body);
      await h.click('user_card.share', accid);
      const shared = await h.slack.waitForCall('chat.postMessage', (call) => JSON.stringify(call.args).includes(accid));
      expectSafeAnswer(shared.args);
    }
  });

  it('card buttons carrying a corpus string (or 2,000 characters, Slack’s most) as their accid: refused by name, NetEase asked nothing, the edit modal shows why', async () => {
    h.emulator.resetCounters();
    for (const value of [...INJECTION_CORPUS, 'x'.repeat(2000)]) {
      for (const actionId of ['user_card.mute_status', 'user_card.share']) {
        const { ack, responseId } = await h.click(actionId, value, ADMIN);
        expectPromptAck(ack);
        const { body } = await h.answer(responseId);
        expectSafeAnswer(body);
        expect(visibleText(body)).toMatch(/Account ID/);
      }
      h.slack.clear();
      const { ack } = await h.click('user_card.edit', value, ADMIN);
      expectPromptAck(ack);
      const update = await h.slack.waitForCall('views.update', (call) => JSON.stringify(call.args).includes('Account ID'));
      const view = update.args.view as { blocks: unknown[]; title: { text: string } };
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      assertWithinBlockKitLimits({ text: 'modal', blocks: view.blocks });
      expect(unescapedMarkers(mrkdwnTexts({ blocks: view.blocks }))).toEqual([]);
    }
    expect(h.emulator.count()).toBe(0);
  });

  it('/qchat-nick: a corpus nickname is sent to NetEase as typed and shown back, and in the audit channel, as text', async () => {
    for (const [i, typed] of INJECTION_CORPUS.entries()) {
      const nick = typed.trim().slice(0, 64);
      if (nick === '') continue;
      const { ack, responseId } = await h.command('/qchat-nick', asSlackSends(`1513535 lina ${nick}`), ADMIN);
      expectPromptAck(ack);
      const { body } = await h.answer(responseId);
      expectSafeAnswer(body);
      // Lone surrogates cannot cross a form body as themselves (they arrive as U+FFFD); everything else arrives as typed.
      expect(h.emulator.getServerMember('1513535', 'lina')?.nick, `corpus ${i}`).toBe(wellFormed(nick).trim());
    }
    await expect
      .poll(() => h.slack.calls('chat.postMessage').filter((call) => call.args.channel === h.auditChannel).length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(INJECTION_CORPUS.length - 1);
    for (const post of h.slack.calls('chat.postMessage').filter((call) => call.args.channel === h.auditChannel)) {
      expectSafeAnswer(post.args);
    }
  });

  it('10 kB of command text gets a clear answer for each command (too long is named, not a generic failure)', async () => {
    const tenKb = (unit: string) => unit.repeat(Math.ceil(10_240 / unit.length)).slice(0, 10_240);
    const texts = [tenKb('a'), tenKb('名'), tenKb('<!channel> '), tenKb('\u200b\u202e'), `alice ${tenKb('x,')}`];
    for (const text of texts) {
      for (const command of ['/im-user', '/im-mute-status']) {
        const { ack, responseId } = await h.command(command, asSlackSends(text), ADMIN);
        expectPromptAck(ack);
        expectSafeAnswer((await h.answer(responseId)).body);
      }
      const { ack, responseId } = await h.command('/qchat-nick', asSlackSends(`1513535 lina ${text}`), ADMIN);
      expectPromptAck(ack);
      const { body } = await h.answer(responseId);
      expectSafeAnswer(body);
      // The nickname's limit, not "something went wrong".
      expect(visibleText(body)).toMatch(/Server nickname.*at most 64 characters/s);
    }
    expect(h.emulator.getServerMember('1513535', 'lina')?.nick?.length ?? 0).toBeLessThanOrEqual(64);
  });

  it('5,000 accids: acked at once, one readable answer within Block Kit limits', async () => {
    const accids = Array.from({ length: 5000 }, (_, i) => (i === 0 ? 'alice' : `nobody${i}`));
    h.emulator.resetCounters();
    const { ack, responseId } = await h.command('/im-user', accids.join(' '), ADMIN);
    expectPromptAck(ack);
    const { body } = await h.answer(responseId, 20_000);
    expectSafeAnswer(body);
    expect(visibleText(body)).toContain('Alice Chen');
    expect(visibleText(body)).toMatch(/4,?999/);
    expect(h.slack.responses(responseId)).toHaveLength(1);
  });

  it.each([
    ['/im-mute-status', 'valid and unknown', (i: number) => (i === 0 ? 'alice' : `nobody${i}`)],
    ['/im-user', 'all invalid', (i: number) => `bad!${i}<!channel>`],
    ['/im-mute-status', 'half invalid, half unknown', (i: number) => (i % 2 ? `bad!${i}` : `nobody${i}`)],
  ])('5,000 accids to %s (%s): acked at once, one answer within Block Kit limits', async (command, _, accid) => {
    const { ack, responseId } = await h.command(command, asSlackSends(Array.from({ length: 5000 }, (_, i) => accid(i)).join(',')), ADMIN);
    expectPromptAck(ack);
    expectSafeAnswer((await h.answer(responseId, 20_000)).body);
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.slack.responses(responseId)).toHaveLength(1);
  });
});

describe('malformed requests and ids the app does not know', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  beforeAll(async () => {
    h = await startUpdateHarness({ metrics: createMetrics() });
  });
  /** How many `command`s the app has finished handling, whatever the outcome (its /metrics counter). */
  const handled = async (command: string) => {
    const { text } = await scrape(h.appUrl);
    const lines = text
      .split('\n')
      .filter((line) => line.startsWith('im_admin_slack_commands_total{') && line.includes(`command="${command}"`));
    return lines.reduce((total, line) => total + Number(line.split(' ').at(-1)), 0);
  };
  afterAll(async () => {
    await h.close();
    await h.removeDir();
  });

  const stillServes = async () => {
    const { responseId } = await h.command('/im-user', 'alice');
    expect(visibleText((await h.answer(responseId)).body)).toContain('Alice Chen');
  };

  it.each([
    ['not JSON', 'payload=%7Bnot%20json'],
    ['truncated JSON', `payload=${encodeURIComponent('{"type":"block_actions","user":{"id":"U0ADMIN"')}`],
    ['JSON null', 'payload=null'],
    ['a JSON number', 'payload=42'],
    ['a JSON string', 'payload=%22block_actions%22'],
    ['a JSON array', 'payload=%5B%5D'],
    ['an empty object', 'payload=%7B%7D'],
    ['an unknown type', `payload=${encodeURIComponent('{"type":"no_such_type","user":{"id":"U0ADMIN"}}')}`],
    [
      'a block_actions without actions',
      `payload=${encodeURIComponent('{"type":"block_actions","user":{"id":"U0ADMIN"},"team":{"id":"T0SIMULATE"}}')}`,
    ],
    ['an empty body', ''],
    ['JSON true', 'payload=true'],
    ['an empty payload', 'payload='],
    ['raw JSON, not a form', '{"type":"block_actions"'],
  ])('a payload that is %s is answered at once (no hang, no crash) and the app keeps serving', async (_, body) => {
    const answer = await postSigned(h.signer, body);
    expect(answer.ackMs).toBeLessThan(ACK_BOUND_MS);
    expect(answer.status).toBeLessThan(500);
    expect(h.emulator.count()).toBe(0);
    await stillServes();
    h.emulator.resetCounters();
  });

  it.each(['null', 'true', '0', '[]', '"x"', '{}'])(
    'a JSON body (application/json) of %s is answered at once and never crashes the app',
    async (json) => {
      const headers = { ...signedHeaders(h.signer.signingSecret, json), 'content-type': 'application/json' };
      const started = performance.now();
      const response = await fetch(h.signer.eventsUrl, { method: 'POST', headers, body: json });
      await response.text();
      expect(performance.now() - started).toBeLessThan(ACK_BOUND_MS);
      expect(response.status).toBeLessThan(500);
      await stillServes();
      h.emulator.resetCounters();
    },
  );

  const click = (actionId: string, extra: object = {}) =>
    postSigned(
      h.signer,
      interactivityBody({
        type: 'block_actions',
        user: { id: ADMIN, team_id: 'T0SIMULATE' },
        team: { id: 'T0SIMULATE', domain: 'simulator' },
        api_app_id: 'A0SIMULATE',
        trigger_id: `trigger.${Date.now()}`,
        channel: { id: 'C0GENERAL' },
        container: { type: 'message', channel_id: 'C0GENERAL' },
        response_url: h.slack.responseUrl('unknown-action'),
        actions: [{ type: 'button', action_id: actionId, block_id: 'b', value: 'alice', action_ts: '1700000000.000100' }],
        ...extra,
      }),
    );

  it.each(['no_such_action', 'user_card.mute_status.extra', 'USER_CARD.SHARE', 'user_card.', '', 'x'.repeat(300), '<!channel>'])(
    'an unknown action_id %j is acked at once, calls nothing at NetEase, and answers nothing',
    async (actionId) => {
      const answer = await click(actionId);
      expect(answer.status).toBe(200);
      expect(answer.ackMs).toBeLessThan(ACK_BOUND_MS);
      // The ack is the signal to look: a request no listener acks is acked only once every listener is done.
      expect(h.emulator.count()).toBe(0);
      expect(h.slack.responses('unknown-action')).toHaveLength(0);
      await stillServes();
      h.emulator.resetCounters();
    },
  );

  const submit = (callbackId: string) =>
    postSigned(
      h.signer,
      interactivityBody({
        type: 'view_submission',
        team: { id: 'T0SIMULATE', domain: 'simulator' },
        user: { id: ADMIN, team_id: 'T0SIMULATE' },
        api_app_id: 'A0SIMULATE',
        trigger_id: `trigger.${Date.now()}`,
        view: {
          id: 'V0UNKNOWN',
          type: 'modal',
          callback_id: callbackId,
          private_metadata: '',
          state: { values: { name: { value: { type: 'plain_text_input', value: '<!channel>' } } } },
          hash: '1.x',
        },
        response_urls: [],
      }),
    );

  it.each(['no_such_modal', 'im_admin_loading', 'im_admin_notice', 'EDIT_CARD', '', '<!channel>'])(
    'a submission with the unknown callback_id %j is acked at once and changes nothing',
    async (callbackId) => {
      const answer = await submit(callbackId);
      expect(answer.status).toBe(200);
      expect(answer.ackMs).toBeLessThan(ACK_BOUND_MS);
      expect(h.emulator.count()).toBe(0);
      expect((await h.records()).filter((r) => r.kind === 'intent')).toEqual([]);
      await stillServes();
      h.emulator.resetCounters();
    },
  );

  it.each<[string, Record<string, string | undefined>]>([
    ['without user_id', { user_id: undefined }],
    ['with a user_id that is not a Slack user id', { user_id: '<!channel>' }],
    ['without text', { text: undefined }],
    ['without channel_id', { channel_id: undefined }],
    ['without response_url', { response_url: undefined }],
    ['without trigger_id', { trigger_id: undefined }],
  ])('a slash command %s is acked at once, never crashes the app, and asks NetEase nothing it should not', async (_, change) => {
    const handledBefore = await handled('/qchat-nick');
    for (const command of ['/im-user', '/im-mute-status', '/qchat-nick']) {
      const fields: Record<string, string> = {
        command,
        text: command === '/qchat-nick' ? '1513535 lina Field Test' : 'alice',
        user_id: 'U0MEMBER',
        channel_id: 'C0GENERAL',
        response_url: h.slack.responseUrl(`malformed-${command.slice(1)}`),
        trigger_id: 't.malformed',
      };
      for (const [key, value] of Object.entries(change)) {
        if (value === undefined) delete fields[key];
        else fields[key] = value;
      }
      const answer = await postSigned(h.signer, new URLSearchParams(fields).toString());
      expect(answer.status).toBe(200);
      expect(answer.ackMs).toBeLessThan(ACK_BOUND_MS);
    }
    // A member cannot update, whatever is missing. Once the app is done with /qchat-nick (its listener has returned:
    // counted in /metrics), nothing may have reached NetEase.
    await expect.poll(() => handled('/qchat-nick'), { timeout: 15_000 }).toBe(handledBefore + 1);
    expect(h.emulator.count({ endpoint: 'qchat/updateServerMember.action' })).toBe(0);
    for (const command of ['/im-user', '/im-mute-status', '/qchat-nick']) {
      for (const post of h.slack.responses(`malformed-${command.slice(1)}`)) expectSafeAnswer(post.body);
    }
    await stillServes();
    h.emulator.resetCounters();
  });

  it('an unknown slash command is acked at once and calls nothing', async () => {
    const { ack } = await h.command('/no-such-command', 'alice', ADMIN);
    expect(ack.ackMs).toBeLessThan(ACK_BOUND_MS);
    expect(ack.status).toBe(200);
    expect(h.emulator.count()).toBe(0);
  });
});
