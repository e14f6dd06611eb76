import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { interactivityBody, signedHeaders, slackSignature, slashCommandBody } from '../../src/simulator/sign-request.js';
import { metadataKey, openMetadata, sealMetadata } from '../../src/slack/interaction/sealed-metadata.js';
import { defaultPeople, visibleText } from '../support/app-harness.js';
import type { AppAnswer } from '../support/slack-requests.js';
import { startUpdateHarness, type ModalView, type UpdateHarness } from '../slack/app/update-harness.js';

/**
 * Abuse of the request path: forged signatures, replays older than Slack's 5 minutes, modal submissions whose sealed
 * private_metadata was altered or that come from someone else. (test/slack/app/request-verification.test.ts and
 * update-permissions.test.ts cover the first forged command, the first replay, another submitter, another accid in
 * the metadata and another modal's seal; this file covers the rest.)
 */

const ADMIN = 'U0ADMIN';
const ACK_BOUND_MS = 2500;
const UPDATE = 'user/updateUinfo.action';
const QCHAT = 'qchat/updateServerMember.action';
type Message = { text?: string; blocks?: unknown[] };

// Each test gets its own app, emulator, Slack and audit log (about 20 ms to start): a request wrongly let through by
// one test can only fail that test, not the ones after it.
let h: UpdateHarness & { removeDir(): Promise<void> };
beforeEach(async () => {
  h = await startUpdateHarness({ people: [...defaultPeople, { id: 'U0ADMIN2', name: 'Other Admin', role: 'admin' }] });
});
afterEach(async () => {
  await h.close();
  await h.removeDir();
});

/** What the audit log holds besides lookups (opening a modal records one; a forged request must add nothing). */
const auditedChanges = async () => (await h.records()).filter((r) => r.kind !== 'lookup');

/** Posts `body` with the headers `tamper` makes of genuine ones. */
async function post(
  body: string,
  tamper: (headers: Record<string, string>, body: string) => { headers: Record<string, string>; body?: string },
) {
  const genuine = signedHeaders(h.signer.signingSecret, body);
  const forged = tamper({ ...genuine }, body);
  const started = performance.now();
  const response = await fetch(h.signer.eventsUrl, { method: 'POST', headers: forged.headers, body: forged.body ?? body });
  return { status: response.status, body: await response.text(), ackMs: performance.now() - started } satisfies AppAnswer;
}

const SIX_MINUTES = 6 * 60_000;
const now = () => Date.now();
const forgeries: [string, (headers: Record<string, string>, body: string) => { headers: Record<string, string>; body?: string }][] = [
  ['signed with another secret', (_, body) => ({ headers: signedHeaders('not-the-signing-secret', body) })],
  ['without a signature', ({ 'x-slack-signature': _, ...headers }) => ({ headers })],
  ['without a timestamp', ({ 'x-slack-request-timestamp': _, ...headers }) => ({ headers })],
  ['with an empty signature', (headers) => ({ headers: { ...headers, 'x-slack-signature': '' } })],
  [
    'with the signature under another version (v1=)',
    (headers) => ({ headers: { ...headers, 'x-slack-signature': headers['x-slack-signature']!.replace('v0=', 'v1=') } }),
  ],
  [
    'with the signature in upper case',
    (headers) => ({ headers: { ...headers, 'x-slack-signature': headers['x-slack-signature']!.toUpperCase() } }),
  ],
  [
    'whose body was altered after signing (another user id)',
    (headers, body) => ({ headers, body: body.replace(/U0MEMBER|U0ADMIN2/g, ADMIN).replace('U0ADMIN2', ADMIN) + '&x=1' }),
  ],
  [
    'replayed: genuinely signed 6 minutes ago',
    (_, body) => ({ headers: signedHeaders(h.signer.signingSecret, body, now() - SIX_MINUTES) }),
  ],
  [
    'with a timestamp that is not a number',
    (headers, body) => ({
      headers: {
        ...headers,
        'x-slack-request-timestamp': 'soon',
        'x-slack-signature': slackSignature(h.signer.signingSecret, Number.NaN, body),
      },
    }),
  ],
  [
    'with the replayed timestamp but a fresh-looking header',
    (headers, body) => {
      const old = Math.floor((now() - SIX_MINUTES) / 1000);
      return { headers: { ...headers, 'x-slack-signature': slackSignature(h.signer.signingSecret, old, body) } };
    },
  ],
];

describe('forged and replayed requests are refused before anything happens', () => {
  const requests: [string, () => Promise<string>][] = [
    [
      'a /qchat-nick update by a member',
      async () =>
        slashCommandBody({
          command: '/qchat-nick',
          text: '1513535 lina Forged',
          user_id: 'U0MEMBER',
          channel_id: 'C0GENERAL',
          response_url: h.slack.responseUrl('forged'),
          trigger_id: 't.forged',
        }),
    ],
    [
      'an Edit card click',
      async () =>
        interactivityBody({
          type: 'block_actions',
          user: { id: 'U0MEMBER', team_id: 'T0SIMULATE' },
          team: { id: 'T0SIMULATE', domain: 'simulator' },
          trigger_id: 't.forged',
          channel: { id: 'C0GENERAL' },
          response_url: h.slack.responseUrl('forged'),
          actions: [{ type: 'button', action_id: 'user_card.edit', block_id: 'b', value: 'alice', action_ts: '1700000000.000100' }],
        }),
    ],
    [
      'a genuine modal’s submission',
      async () => {
        await h.command('/im-user', 'edit bob', 'U0ADMIN2');
        const view = await h.filledView('edit_card');
        return submissionBody(view, 'U0ADMIN2', { name: 'Forged Bob' });
      },
    ],
  ];

  for (const [what, body] of requests) {
    it.each(forgeries)(`${what}, %s: 401 at once; NetEase, Slack and the audit log see nothing`, async (_, tamper) => {
      const text = await body();
      const recordsBefore = await auditedChanges();
      h.emulator.resetCounters();
      h.slack.clear();
      const answer = await post(text, tamper);
      // The 401 is the signal to look: Bolt verifies the signature before any listener runs, so a request it refused
      // has no effect still on its way.
      expect(answer.status).toBe(401);
      expect(answer.ackMs).toBeLessThan(ACK_BOUND_MS);
      expect(h.emulator.count()).toBe(0);
      expect(h.slack.calls()).toEqual([]);
      expect(h.slack.responses('forged')).toEqual([]);
      expect(await auditedChanges()).toEqual(recordsBefore);
    });
  }

  it('the same requests, genuinely signed, are served (the refusals above were the forgery’s doing)', async () => {
    const answer = await post(await requests[0]![1](), (headers) => ({ headers }));
    expect(answer.status).toBe(200);
    expect(visibleText((await h.answer('forged')).body)).toMatch(/Editing needs the Slack role/);
  });
});

/** A view_submission payload for `view` as `user` would send it, with `typed` in its text inputs. */
function submissionBody(view: ModalView, user: string, typed: Record<string, string>): string {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks) {
    if (block.type !== 'input' || !block.block_id || !block.element) continue;
    const { element } = block;
    values[block.block_id] =
      element.type === 'static_select'
        ? { [element.action_id]: { type: 'static_select', selected_option: element.initial_option ?? null } }
        : { [element.action_id]: { type: element.type, value: typed[block.block_id] ?? element.initial_value ?? null } };
  }
  return interactivityBody({
    type: 'view_submission',
    team: { id: 'T0SIMULATE', domain: 'simulator' },
    user: { id: user, team_id: 'T0SIMULATE' },
    api_app_id: 'A0SIMULATE',
    trigger_id: `trigger.${Date.now()}`,
    view: { ...view, type: 'modal', root_view_id: view.id, state: { values } },
    response_urls: [],
  });
}

describe('modal submissions with altered private_metadata or another user’s id', () => {
  const decode = (sealed: string) => {
    const [, body] = sealed.split('.');
    return JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as Record<string, unknown>;
  };
  const reseal = (sealed: string, change: (data: Record<string, unknown>) => void) => {
    const [prefix, , mac] = sealed.split('.');
    const data = decode(sealed);
    change(data);
    return `${prefix}.${Buffer.from(JSON.stringify(data)).toString('base64url')}.${mac}`;
  };

  type Tamper = (view: ModalView, others: { otherView: ModalView }) => { view: ModalView; user: string };
  const tampers: [string, Tamper][] = [
    ['another member submits the opener’s modal', (view) => ({ view, user: 'U0MEMBER' })],
    ['another admin submits the opener’s modal', (view) => ({ view, user: 'U0ADMIN2' })],
    [
      'the metadata names the submitter as the opener (resealed with the old MAC)',
      (view) => ({
        view: { ...view, private_metadata: reseal(view.private_metadata!, (d) => void (d.user = 'U0ADMIN2')) },
        user: 'U0ADMIN2',
      }),
    ],
    [
      'the metadata carries another channel (resealed)',
      (view) => ({
        view: { ...view, private_metadata: reseal(view.private_metadata!, (d) => void (d.channel = 'C0SECRET')) },
        user: ADMIN,
      }),
    ],
    [
      'the metadata carries another user’s seal, from their own modal',
      (view, { otherView }) => ({
        view: { ...view, private_metadata: otherView.private_metadata! },
        user: ADMIN,
      }),
    ],
    [
      'the whole modal of another user, submitted as them with my view id',
      (view, { otherView }) => ({
        view: { ...otherView, id: view.id },
        user: 'U0ADMIN2',
      }),
    ],
    ['the MAC cut by one character', (view) => ({ view: { ...view, private_metadata: view.private_metadata!.slice(0, -1) }, user: ADMIN })],
    ['no metadata at all', (view) => ({ view: { ...view, private_metadata: '' }, user: ADMIN })],
    ['junk metadata', (view) => ({ view: { ...view, private_metadata: 'v1.<!channel>.&amp;' }, user: ADMIN })],
  ];

  for (const modal of ['edit_card', 'qchat_nick'] as const) {
    it.each(tampers)(`${modal}: %s → refused, audited as tampered, told by DM, nothing sent to NetEase`, async (_, tamper) => {
      const open = async (user: string) => {
        if (modal === 'edit_card') await h.command('/im-user', 'edit alice', user);
        else await h.command('/qchat-nick', '1513535 lina', user);
        return h.filledView(modal);
      };
      const mine = await open(ADMIN);
      h.slack.clear();
      const otherView = await open('U0ADMIN2');
      h.slack.clear();
      const { view, user } = tamper(mine, { otherView });
      const answer = await h.submit(view, user, modal === 'edit_card' ? { name: 'Tampered' } : { nick: 'Tampered' });
      expect(answer.status).toBe(200);
      expect(answer.ackMs).toBeLessThan(ACK_BOUND_MS);
      const dm = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === user, 15_000);
      expect(visibleText(dm.args as Message)).toMatch(/came back changed, or from someone other than who opened it/);
      const refusals = (await h.records()).filter((r) => r.kind === 'refusal');
      expect(refusals).toMatchObject([{ actor: user, refusal: { reason: 'tampered_submission' } }]);
      expect(h.emulator.count({ endpoint: UPDATE }) + h.emulator.count({ endpoint: QCHAT })).toBe(0);
      expect(h.emulator.getUser('alice')?.name).toBe('Alice Chen');
      expect(h.emulator.getServerMember('1513535', 'lina')?.nick).not.toBe('Tampered');
      // Never answered in the channel the (untrusted) metadata names.
      expect(h.slack.calls('chat.postEphemeral')).toEqual([]);
    });
  }
});

describe('sealed private_metadata under any alteration (property)', () => {
  const schema = z.object({ viewId: z.string(), user: z.string(), accid: z.string() });
  const key = metadataKey('signing-secret');
  const sealed = sealMetadata(key, { viewId: 'V0ABC', user: ADMIN, accid: 'alice' });

  it('opens only the exact seal: any edit, cut, insertion or other key is refused', () => {
    const edit = fc.oneof(
      fc
        .record({ at: fc.nat(sealed.length - 1), char: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) })
        .map(({ at, char }) => sealed.slice(0, at) + char + sealed.slice(at + 1)),
      fc
        .record({ at: fc.nat(sealed.length), text: fc.string({ minLength: 1, maxLength: 8 }) })
        .map(({ at, text }) => sealed.slice(0, at) + text + sealed.slice(at)),
      fc
        .record({ from: fc.nat(sealed.length - 1), length: fc.integer({ min: 1, max: 12 }) })
        .map(({ from, length }) => sealed.slice(0, from) + sealed.slice(from + length)),
    );
    fc.assert(
      fc.property(edit, (altered) => {
        fc.pre(altered !== sealed);
        expect(openMetadata(key, altered, schema)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (secret) => {
        fc.pre(secret !== 'signing-secret');
        expect(openMetadata(metadataKey(secret), sealed, schema)).toBeUndefined();
      }),
      { numRuns: 50 },
    );
  });
});
