import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mrkdwnTexts } from '../support/app-harness.js';
import { assertWithinBlockKitLimits } from '../slack/block-kit-limits.js';
import { ackJson, startUpdateHarness, type UpdateHarness } from '../slack/app/update-harness.js';
import { hostileString, validAccid } from './arbitraries.js';
import { asSlackSends, unescapedMarkers } from './corpus.js';

/**
 * The running app fed generated input (property tests with few runs: each run is real HTTP). No command text and no
 * typed modal value makes it throw or hang: every command is acked at once and gets exactly one answer (or a modal),
 * within Block Kit limits, and every refused modal value is named under its field.
 */

const ACK_BOUND_MS = 2500;
const people = ['U0ADMIN', 'U0MEMBER', 'U0ZH', 'U0GUEST'] as const;

let h: UpdateHarness & { removeDir(): Promise<void> };
beforeAll(async () => {
  h = await startUpdateHarness();
});
afterAll(async () => {
  await h.close();
  await h.removeDir();
});

const words = fc.array(
  fc.oneof(hostileString(30), validAccid, fc.constantFrom('alice', 'bob', 'carol', '1513535', 'lina', 'edit', 'help')),
  {
    maxLength: 8,
  },
);

describe('the running app on generated commands (property)', () => {
  it('every command text from anyone is acked at once and answered once (or with a modal), safely', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/im-user', '/im-mute-status', '/qchat-nick'),
        words,
        fc.constantFrom(...people),
        async (command, parts, user) => {
          const text = parts.join(' ');
          const callsBefore = h.slack.calls('views.open').length;
          const { ack, responseId } = await h.command(command, asSlackSends(text), user);
          expect(ack.status).toBe(200);
          expect(ack.ackMs).toBeLessThan(ACK_BOUND_MS);
          // Either an answer at the response_url, or a modal (the edit form or /qchat-nick with fewer arguments).
          const outcome = await Promise.race([
            h.answer(responseId, 15_000).then((post) => ({ post })),
            h.slack.waitForCall('views.open', () => h.slack.calls('views.open').length > callsBefore, 15_000).then(() => ({ modal: true })),
          ]);
          if ('post' in outcome) {
            const body = outcome.post.body;
            assertWithinBlockKitLimits({ text: body.text ?? '', blocks: body.blocks ?? [] });
            expect(unescapedMarkers(mrkdwnTexts(body))).toEqual([]);
            await new Promise((resolve) => setImmediate(resolve));
            expect(h.slack.responses(responseId)).toHaveLength(1);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('any values typed into the edit card form are saved or named under their field with the rule; nothing throws', async () => {
    await h.command('/im-user', 'edit bob', 'U0ADMIN');
    const view = await h.filledView('edit_card');
    const fields = ['name', 'icon', 'sign', 'email', 'birth', 'mobile', 'ex'] as const;
    const typedValues = fc.record(
      Object.fromEntries(
        fields.map((field) => [field, fc.oneof(hostileString(40), fc.string({ minLength: 60, maxLength: 1100 }))]),
      ) as Record<(typeof fields)[number], fc.Arbitrary<string>>,
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(typedValues, fc.constantFrom('0', '1', '2', '3', '-1', 'x', '<!channel>'), async (typed, gender) => {
        const ack = await h.submit(view, 'U0ADMIN', typed, { selected: { gender } });
        expect(ack.status).toBe(200);
        expect(ack.ackMs).toBeLessThan(ACK_BOUND_MS);
        const json = ackJson(ack);
        if (json.response_action === 'update') {
          // The form is stale after an earlier run saved the card: it comes back with the conflict, nothing sent.
          expect(ack.body).toContain('Someone else changed this card');
        } else if (json.response_action === 'errors') {
          for (const [block, text] of Object.entries(json.errors ?? {})) {
            expect([...fields, 'gender']).toContain(block);
            expect(text).toMatch(/At most \d+ (characters|bytes)|Choose one of/);
          }
        } else {
          // Accepted: the answer comes ephemerally (saved or a clear failure).
          await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
          h.slack.clear();
        }
      }),
      { numRuns: 25 },
    );
  });
});
