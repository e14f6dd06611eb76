import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { visibleText } from '../support/app-harness.js';
import { assertWithinBlockKitLimits } from '../slack/block-kit-limits.js';
import {
  ADMIN,
  answered,
  expectClearFailure,
  expectPromptAck,
  FAULTS,
  LATE_MS,
  READ,
  startFaultHarness,
  type FaultHarness,
} from './nim-faults-fixture.js';

/**
 * Lookups under NetEase faults from the emulator (timeouts, dropped connections, malformed JSON, gateway errors,
 * bursts of code 500, storms of 416s): every command is acked at once and answered clearly at its response_url, other
 * commands keep being served, and lookups are served again once the fault passes. Updates: nim-faults-updates.test.ts.
 */

let h: FaultHarness;
afterEach(() => h.close());

describe('lookups under NetEase faults', () => {
  beforeEach(async () => {
    h = await startFaultHarness();
  });

  it.each(FAULTS)(
    'under %s, /im-user and /im-mute-status are acked at once and answered clearly; commands that need no lookup are served meanwhile; once it passes, lookups are served again',
    async (_, fault, what) => {
      h.emulator.injectFault(READ, fault);
      const [user, mute, help, usage] = await Promise.all([
        h.command('/im-user', 'alice bob', ADMIN),
        h.command('/im-mute-status', 'alice', 'U0MEMBER'),
        h.command('/im-user', 'help', 'U0MEMBER'),
        h.command('/qchat-nick', 'help', 'U0MEMBER'),
      ]);
      for (const sent of [user, mute, help, usage]) expectPromptAck(sent.ack);
      expect(await answered(h, help.responseId)).toMatch(/\/im-user/);
      expect(await answered(h, usage.responseId)).toMatch(/\/qchat-nick/);
      expectClearFailure(await answered(h, user.responseId), what);
      expectClearFailure(await answered(h, mute.responseId), what);

      // A cool-down a 416 started is waited out by the budget (it holds calls up to 5 s), not by the test.
      h.emulator.clearFaults();
      const again = await h.command('/im-user', 'alice', 'U0MEMBER');
      expect(await answered(h, again.responseId)).toContain('Alice Chen');
    },
  );

  it('a Chinese-speaking reader under a timeout is told in Chinese, with the reference to quote', async () => {
    h.emulator.injectFault(READ, { kind: 'latency', ms: LATE_MS });
    const { ack, responseId } = await h.command('/im-user', 'alice', 'U0ZH');
    expectPromptAck(ack);
    const text = await answered(h, responseId);
    expect(text).toMatch(/[\u4e00-\u9fff]/);
    expect(text).toMatch(/[0-9a-f]{8,}/);
    expect(text).not.toMatch(/no answer in time|Something went wrong/);
  });

  it('a burst of code 500 shorter than the retries is ridden out: the answer is the cards', async () => {
    h.emulator.injectFault(READ, { kind: 'code', code: 500 }, 2);
    const { ack, responseId } = await h.command('/im-user', 'alice', 'U0MEMBER');
    expectPromptAck(ack);
    expect(await answered(h, responseId)).toContain('Alice Chen');
  });

  it('a timeout on one lookup does not hold up another command’s update: /qchat-nick is served while /im-user waits', async () => {
    h.emulator.injectFault(READ, { kind: 'latency', ms: LATE_MS });
    const lookup = await h.command('/im-user', 'alice', 'U0MEMBER');
    const update = await h.command('/qchat-nick', '1513535 lina Served Meanwhile', ADMIN);
    expectPromptAck(lookup.ack);
    expectPromptAck(update.ack);
    expect(await answered(h, update.responseId)).toContain('Served Meanwhile');
    expectClearFailure(await answered(h, lookup.responseId), /no answer in time/);
  });

  it('a storm of 416s: 20 commands at once are all acked and answered (rate limit, nothing sent during the cool-down), and served after it', async () => {
    h.emulator.injectFault(READ, { kind: 'code', code: 416 }, 5);
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.command(i % 2 ? '/im-user' : '/im-mute-status', `alice u${i}`, 'U0MEMBER')),
    );
    for (const { ack } of sent) expectPromptAck(ack);
    const texts = await Promise.all(sent.map(({ responseId }) => answered(h, responseId)));
    for (const text of texts) {
      if (/rate limit/.test(text)) expectClearFailure(text, /rate limit.*Nothing was sent/s);
      else expect(text).toContain('Alice Chen');
    }
    expect(texts.some((text) => /rate limit/.test(text))).toBe(true);
    // The client cooled down after the first 416 (test/nim covers when it sends again); no answer was lost meanwhile.
    expect(h.emulator.count({ endpoint: READ, code: 416 })).toBeGreaterThanOrEqual(1);
    expect(h.budget.stats().coolDowns).toBeGreaterThanOrEqual(1);
    const again = await h.command('/im-user', 'alice', 'U0MEMBER');
    expect(await answered(h, again.responseId)).toContain('Alice Chen');
  });
});

describe('a storm of real 416s: NetEase allows far fewer calls than the app was told', () => {
  it('30 lookups and an update at once: all acked at once, every one answered (cards or rate limit), the update audited, and served once the block ends', async () => {
    // The emulator's clock is the test's: its rate window and block end when the test says, not after a real wait.
    let clock = Date.now();
    h = await startFaultHarness({ emulator: { rateLimit: 3, rateWindowMs: 1000, blockMs: 300, now: () => clock } });
    const lookups = await Promise.all(Array.from({ length: 30 }, (_, i) => h.command('/im-user', `alice x${i}`, 'U0MEMBER')));
    const update = await h.command('/qchat-nick', '1513535 lina Storm Nick', ADMIN);
    for (const { ack } of [...lookups, update]) expectPromptAck(ack);
    const texts = await Promise.all(
      lookups.map(async ({ responseId }) => {
        const { body } = await h.answer(responseId, 15_000);
        assertWithinBlockKitLimits({ text: body.text ?? '', blocks: body.blocks ?? [] });
        return visibleText(body);
      }),
    );
    for (const text of texts) expect(text).toMatch(/Alice Chen|rate limit/);
    expect(texts.some((text) => /rate limit/.test(text))).toBe(true);
    expect(h.emulator.count({ code: 416 })).toBeGreaterThan(0);
    const updateText = visibleText((await h.answer(update.responseId, 15_000)).body);
    const applied = h.emulator.getServerMember('1513535', 'lina')?.nick === 'Storm Nick';
    expect(updateText).toMatch(applied ? /Storm Nick/ : /rate limit/);
    const records = await h.records();
    const intents = records.filter((r) => r.kind === 'intent');
    expect(intents).toHaveLength(1);
    // Either NetEase took it (applied) or it answered 416, which means nothing was done (not applied): never unknown.
    expect(records.filter((r) => r.kind === 'outcome').map((r) => r.status)).toEqual([applied ? 'applied' : 'not_applied']);

    clock += 1500;
    const again = await h.command('/im-user', 'alice', 'U0MEMBER');
    expect(visibleText((await h.answer(again.responseId, 15_000)).body)).toContain('Alice Chen');
  });
});
