import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutcomeStatus } from '../../src/audit/index.js';
import type { Fault } from '../../src/emulator/types.js';
import { mrkdwnTexts, visibleText } from '../support/app-harness.js';
import { assertWithinBlockKitLimits } from '../slack/block-kit-limits.js';
import { INJECTION_CORPUS, unescapedMarkers } from './corpus.js';
import {
  ADMIN,
  auditPostOf,
  expectPromptAck,
  FAULTS,
  intentCount,
  newIntent,
  outcomesOf,
  READ,
  startFaultHarness,
  UPDATE_CARD,
  UPDATE_MEMBER,
  type FaultHarness,
  type Message,
} from './nim-faults-fixture.js';

/**
 * Updates under NetEase faults: every attempt has its audit intent and exactly one outcome, and the outcome is the
 * one the fault must produce — written here from NetEase's contract (nim-api.md), not read from the app:
 * - an answer that never came or could not be read (timeout, dropped connection, bad JSON, code 500, HTTP 502) may
 *   hide an applied change. The edit card reads the card back, `/qchat-nick` the member (getServerMemberListPage):
 *   `applied_confirmed_by_read_back` when the change is there, `not_applied` when it is not.
 * - a 416 means NetEase did nothing: `not_applied`, for both.
 * A timeout before NetEase applied the change is the hard case: the write is still in NetEase's hands when the client
 * gives up, so it lands later (LATE_MS); the card's read-back, made at once, finds it not there yet.
 */

type Landed = 'yes' | 'no' | 'later';
type Expected = { qchat: OutcomeStatus; card: OutcomeStatus; landed: Landed };

function expectedFor(fault: Fault): Expected {
  if (fault.kind === 'code' && fault.code === 416) return { qchat: 'not_applied', card: 'not_applied', landed: 'no' };
  if (fault.afterApply) return { qchat: 'applied_confirmed_by_read_back', card: 'applied_confirmed_by_read_back', landed: 'yes' };
  return { qchat: 'not_applied', card: 'not_applied', landed: fault.kind === 'latency' ? 'later' : 'no' };
}

const CASES = FAULTS.flatMap(([name, fault]): [string, Fault][] => [
  [name, fault],
  // The change is applied, then the answer is lost or broken: the outcome must not say "not applied".
  ...(fault.kind === 'code' && fault.code === 416
    ? []
    : [[`${name} after NetEase applied the change`, { ...fault, afterApply: true }] as [string, Fault]]),
]);

/** What the person is told for each outcome. */
const TOLD: Record<OutcomeStatus, (value: string) => RegExp> = {
  applied: (value) => new RegExp(value),
  applied_confirmed_by_read_back: () => /read back: the change is in place/,
  not_applied: () => /not\* in place|Nothing was sent/,
  unknown: () => /could not check whether the change was applied/,
  failed: () => /That did not work/,
};

let h: FaultHarness;
beforeEach(async () => {
  h = await startFaultHarness();
});
afterEach(() => h.close());

/** Whether NetEase holds the change: now, or once a write held up by LATE_MS has landed. */
async function expectLanded(landed: Landed, holdsChange: () => boolean): Promise<void> {
  if (landed === 'later') await expect.poll(holdsChange, { timeout: 5_000 }).toBe(true);
  else expect(holdsChange()).toBe(landed === 'yes');
}

describe('updates under NetEase faults: the exact outcome, audited and told', () => {
  it.each(CASES)('/qchat-nick under %s', async (_, fault) => {
    const expected = expectedFor(fault);
    h.emulator.injectFault(UPDATE_MEMBER, fault, 1);
    const { ack, responseId } = await h.command('/qchat-nick', '1513535 lina Faulty Nick', ADMIN);
    expectPromptAck(ack);
    const { body } = await h.answer(responseId, 15_000);
    assertWithinBlockKitLimits({ text: body.text ?? '', blocks: body.blocks ?? [] });
    const text = visibleText(body);
    expect(text).not.toMatch(/Something went wrong|at .*\.ts:\d+/);
    expect(text).toMatch(TOLD[expected.qchat]('Faulty Nick'));
    const { records, id } = await newIntent(h, 0);
    expect(outcomesOf(records, id).map((r) => r.status)).toEqual([expected.qchat]);
    await expectLanded(expected.landed, () => h.emulator.getServerMember('1513535', 'lina')?.nick === 'Faulty Nick');
    await auditPostOf(h, id);
  });

  it.each(CASES)('the edit card modal under %s', async (_, fault) => {
    const expected = expectedFor(fault);
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    h.emulator.injectFault(UPDATE_CARD, fault, 1);
    const ack = await h.submit(view, ADMIN, { name: 'Alice Faulty' });
    expectPromptAck(ack);
    const message = (await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000)).args as Message;
    assertWithinBlockKitLimits({ text: message.text ?? '', blocks: message.blocks ?? [] });
    const text = visibleText(message);
    expect(text).not.toMatch(/Something went wrong|at .*\.ts:\d+/);
    expect(text).toMatch(TOLD[expected.card]('Alice Faulty'));
    const { records, id } = await newIntent(h, 0);
    expect(outcomesOf(records, id).map((r) => r.status)).toEqual([expected.card]);
    await expectLanded(expected.landed, () => h.emulator.getUser('alice')?.name === 'Alice Faulty');
    await auditPostOf(h, id);
  });

  it('the edit card modal when the answer is lost and reading the card back fails too: unknown, and said so', async () => {
    await h.close();
    // The client waits 1.5 s for the update's answer: time for the test to break lookups once the update is in.
    h = await startFaultHarness({ nimTimeoutMs: 1500 });
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    h.emulator.injectFault(UPDATE_CARD, { kind: 'latency', ms: 2 * 1500, afterApply: true }, 1);
    await h.submit(view, ADMIN, { name: 'Alice Unverified' });
    // The card read before the update went through; once the update is applied, every later read fails.
    await expect.poll(() => h.emulator.getUser('alice')?.name, { interval: 5, timeout: 15_000 }).toBe('Alice Unverified');
    h.emulator.injectFault(READ, { kind: 'code', code: 500 });
    const message = (await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000)).args as Message;
    expect(visibleText(message)).toMatch(TOLD.unknown(''));
    const { records, id } = await newIntent(h, 0);
    expect(outcomesOf(records, id).map((r) => r.status)).toEqual(['unknown']);
    expect(h.emulator.received.filter((r) => r.endpoint === READ && r.answeredCode === 500).length).toBeGreaterThan(0);
  });

  it.each([414, 403, 999])(
    'NetEase’s own error text (desc) carrying the hostile corpus, with code %i, reaches the person and the audit channel as text; the update failed',
    async (code) => {
      const desc = INJECTION_CORPUS.join(' ');
      for (const endpoint of [READ, UPDATE_MEMBER]) h.emulator.injectFault(endpoint, { kind: 'code', code, desc }, 1);
      const lookup = await h.command('/im-user', 'alice', ADMIN);
      const before = await intentCount(h);
      const update = await h.command('/qchat-nick', '1513535 lina Desc Test', ADMIN);
      for (const { responseId } of [lookup, update]) {
        const { body } = await h.answer(responseId, 15_000);
        assertWithinBlockKitLimits({ text: body.text ?? '', blocks: body.blocks ?? [] });
        expect(unescapedMarkers(mrkdwnTexts(body))).toEqual([]);
        expect(visibleText(body)).toMatch(new RegExp(`code ${code}|credentials`));
      }
      const { records, id } = await newIntent(h, before);
      expect(outcomesOf(records, id).map((r) => r.status)).toEqual(['failed']);
      expect(h.emulator.getServerMember('1513535', 'lina')?.nick).not.toBe('Desc Test');
      const post = (await auditPostOf(h, id)).args as Message;
      assertWithinBlockKitLimits({ text: post.text ?? '', blocks: post.blocks ?? [] });
      expect(unescapedMarkers(mrkdwnTexts(post))).toEqual([]);
    },
  );
});
