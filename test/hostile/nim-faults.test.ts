import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/audit/index.js';
import type { EmulatorEndpoint, Fault } from '../../src/emulator/types.js';
import { LocalRateBudget } from '../../src/nim/budget/rate-budget.js';
import { visibleText } from '../support/app-harness.js';
import type { AppAnswer } from '../support/slack-requests.js';
import { assertWithinBlockKitLimits } from '../slack/block-kit-limits.js';
import { startUpdateHarness, type UpdateHarness } from '../slack/app/update-harness.js';
import { mrkdwnTexts } from '../support/app-harness.js';
import { INJECTION_CORPUS, unescapedMarkers } from './corpus.js';

/**
 * NetEase faults from the emulator, under the running app: timeouts, dropped connections, malformed JSON, gateway
 * errors, bursts of code 500 and a storm of 416s. Under each, every command is acked at once and answered clearly at
 * its response_url (or, for a modal, ephemerally), other commands keep being served, and every update attempted has
 * its audit intent and outcome, posted to the audit channel.
 *
 * The NetEase client times an attempt out after 400 ms, and its budget cools down for 300 ms after a 416 (11 s in
 * production), so the suite stays fast.
 */

const ADMIN = 'U0ADMIN';
const READ: EmulatorEndpoint = 'user/getUinfos.action';
const UPDATE_CARD: EmulatorEndpoint = 'user/updateUinfo.action';
const UPDATE_MEMBER: EmulatorEndpoint = 'qchat/updateServerMember.action';
const ACK_BOUND_MS = 2500;
const TIMEOUT_MS = 400;
type Message = { text?: string; blocks?: unknown[] };

/** Each fault, and what the person must be told about it. */
const FAULTS: [string, Fault, RegExp][] = [
  ['a timeout (no answer within the attempt limit)', { kind: 'latency', ms: 1500 }, /no answer in time/],
  ['a dropped connection', { kind: 'drop_connection' }, /connection failed/],
  ['malformed JSON', { kind: 'malformed_json' }, /answer could not be read/],
  ['a burst of code 500', { kind: 'code', code: 500, desc: 'server error' }, /busy or failing \(code 500\)/],
  ['gateway HTTP 502', { kind: 'http_status', status: 502 }, /gateway answered HTTP 502/],
  ['a storm of 416s', { kind: 'code', code: 416, desc: 'api freq out of limit' }, /rate limit/],
];

let h: UpdateHarness & { removeDir(): Promise<void> };
let budget: LocalRateBudget;
beforeAll(async () => {
  budget = new LocalRateBudget({ ratePerSecond: 90, coolDownMs: 300, coolDownJitterMs: 0, maxWaitMs: 5000 });
  h = await startUpdateHarness({ nimTimeoutMs: TIMEOUT_MS, nimOptions: { rateBudget: budget } });
});
afterAll(async () => {
  await h.close();
  await budget.close();
  await h.removeDir();
});
afterEach(async () => {
  h.emulator.clearFaults();
  // Let a cool-down started by the test end before the next one.
  await new Promise((resolve) => setTimeout(resolve, 350));
});

function expectPromptAck(ack: AppAnswer): void {
  expect(ack.status).toBe(200);
  expect(ack.ackMs).toBeLessThan(ACK_BOUND_MS);
}

/** A command's answer: arrived at its response_url, within Block Kit limits; its visible text. */
async function answered(responseId: string): Promise<string> {
  const { body } = await h.answer(responseId, 15_000);
  assertWithinBlockKitLimits({ text: body.text ?? '', blocks: body.blocks ?? [] });
  expect(h.slack.responses(responseId)).toHaveLength(1);
  return visibleText(body);
}

/** A clear failure: says what happened, gives a reference, never a stack or "something went wrong". */
function expectClearFailure(text: string, what: RegExp): void {
  expect(text).toMatch(what);
  expect(text).toMatch(/reference/i);
  expect(text).not.toMatch(/Something went wrong|at .*\.ts:\d+|Error:/);
}

/** Every intent has exactly one outcome, and the outcome agrees with what NetEase holds now. */
function expectAuditedUpdate(records: AuditRecord[], intentId: string, applied: boolean): AuditRecord & { kind: 'outcome' } {
  const outcomes = records.filter((r): r is AuditRecord & { kind: 'outcome' } => r.kind === 'outcome' && r.id === intentId);
  expect(outcomes).toHaveLength(1);
  const [outcome] = outcomes;
  const allowed = applied ? ['applied', 'applied_confirmed_by_read_back', 'unknown'] : ['failed', 'not_applied', 'unknown'];
  expect(allowed).toContain(outcome!.status);
  return outcome!;
}

async function newIntent(before: number): Promise<{ records: AuditRecord[]; id: string }> {
  let records: AuditRecord[] = [];
  await expect
    .poll(async () => {
      records = await h.records();
      const intents = records.filter((r) => r.kind === 'intent');
      const last = intents.at(-1);
      return intents.length > before && last !== undefined && records.some((r) => r.kind === 'outcome' && r.id === last.id);
    }, { timeout: 15_000 })
    .toBe(true);
  return { records, id: records.filter((r) => r.kind === 'intent').at(-1)!.id };
}

const intentCount = async () => (await h.records()).filter((r) => r.kind === 'intent').length;
const auditPostOf = (id: string) =>
  h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel && JSON.stringify(call.args).includes(id), 15_000);

describe('lookups under NetEase faults', () => {
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
      expect(await answered(help.responseId)).toMatch(/\/im-user/);
      expect(await answered(usage.responseId)).toMatch(/\/qchat-nick/);
      expectClearFailure(await answered(user.responseId), what);
      expectClearFailure(await answered(mute.responseId), what);

      h.emulator.clearFaults();
      await new Promise((resolve) => setTimeout(resolve, 350));
      const again = await h.command('/im-user', 'alice', 'U0MEMBER');
      expect(await answered(again.responseId)).toContain('Alice Chen');
    },
  );

  it('a Chinese-speaking reader under a timeout is told in Chinese, with the reference to quote', async () => {
    h.emulator.injectFault(READ, { kind: 'latency', ms: 1500 });
    const { ack, responseId } = await h.command('/im-user', 'alice', 'U0ZH');
    expectPromptAck(ack);
    const text = await answered(responseId);
    expect(text).toMatch(/[\u4e00-\u9fff]/);
    expect(text).toMatch(/[0-9a-f]{8,}/);
    expect(text).not.toMatch(/no answer in time|Something went wrong/);
  });

  it('a burst of code 500 shorter than the retries is ridden out: the answer is the cards', async () => {
    h.emulator.injectFault(READ, { kind: 'code', code: 500 }, 2);
    const { ack, responseId } = await h.command('/im-user', 'alice', 'U0MEMBER');
    expectPromptAck(ack);
    expect(await answered(responseId)).toContain('Alice Chen');
  });

  it('a timeout on one lookup does not hold up another command’s update: /qchat-nick is served while /im-user waits', async () => {
    h.emulator.injectFault(READ, { kind: 'latency', ms: 1500 });
    const lookup = await h.command('/im-user', 'alice', 'U0MEMBER');
    const update = await h.command('/qchat-nick', '1513535 lina Served Meanwhile', ADMIN);
    expectPromptAck(lookup.ack);
    expectPromptAck(update.ack);
    expect(await answered(update.responseId)).toContain('Served Meanwhile');
    expectClearFailure(await answered(lookup.responseId), /no answer in time/);
  });

  it('a storm of 416s: 20 commands at once are all acked and answered (rate limit, nothing sent during the cool-down), and served after it', async () => {
    h.emulator.resetCounters();
    h.emulator.injectFault(READ, { kind: 'code', code: 416 }, 5);
    const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => h.command(i % 2 ? '/im-user' : '/im-mute-status', `alice u${i}`, 'U0MEMBER')));
    for (const { ack } of sent) expectPromptAck(ack);
    const texts = await Promise.all(sent.map(({ responseId }) => answered(responseId)));
    for (const text of texts) {
      if (/rate limit/.test(text)) expectClearFailure(text, /rate limit.*Nothing was sent/s);
      else expect(text).toContain('Alice Chen');
    }
    expect(texts.some((text) => /rate limit/.test(text))).toBe(true);
    // The client cooled down after the first 416 (test/nim covers when it sends again); no answer was lost meanwhile.
    expect(h.emulator.count({ endpoint: READ, code: 416 })).toBeGreaterThanOrEqual(1);
    expect(budget.stats().coolDowns).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const again = await h.command('/im-user', 'alice', 'U0MEMBER');
    expect(await answered(again.responseId)).toContain('Alice Chen');
  });
});

describe('updates under NetEase faults: every attempt has its audit intent and outcome', () => {
  const withAfterApply = FAULTS.flatMap(([name, fault]): [string, Fault][] => [
    [name, fault],
    // The change is applied, then the answer is lost or broken: the outcome must not say "not applied".
    ...(fault.kind === 'code' && fault.code === 416 ? [] : [[`${name} after NetEase applied the change`, { ...fault, afterApply: true }] as [string, Fault]]),
  ]);

  /** What the person is told matches what the audit log recorded. */
  function expectAnswerAgrees(text: string, status: string, value: string): void {
    expect(text).not.toMatch(/Something went wrong|at .*\.ts:\d+/);
    const told: Record<string, RegExp> = {
      applied: new RegExp(value),
      applied_confirmed_by_read_back: /read back: the change is in place/,
      not_applied: /not\* in place|Nothing was sent/,
      unknown: /could not check whether the change was applied/,
      failed: /That did not work/,
    };
    expect(text).toMatch(told[status]!);
  }

  it.each(withAfterApply)('/qchat-nick under %s: a clear answer, an intent and one outcome that agrees with NetEase, posted to the audit channel', async (_, fault) => {
    const nick = `Nick ${Math.random().toString(36).slice(2, 8)}`;
    h.emulator.injectFault(UPDATE_MEMBER, fault, 1);
    const before = await intentCount();
    const { ack, responseId } = await h.command('/qchat-nick', `1513535 lina ${nick}`, ADMIN);
    expectPromptAck(ack);
    const text = await answered(responseId);
    const { records, id } = await newIntent(before);
    const applied = h.emulator.getServerMember('1513535', 'lina')?.nick === nick;
    const outcome = expectAuditedUpdate(records, id, applied);
    expectAnswerAgrees(text, outcome.status, nick);
    await auditPostOf(id);
  });

  it.each(withAfterApply)('the edit card modal under %s: a clear answer, an intent and one outcome that agrees with NetEase, posted to the audit channel', async (_, fault) => {
    const name = `Alice ${Math.random().toString(36).slice(2, 8)}`;
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    h.emulator.injectFault(UPDATE_CARD, fault, 1);
    const before = await intentCount();
    h.slack.clear();
    const ack = await h.submit(view, ADMIN, { name });
    expectPromptAck(ack);
    const ephemeral = await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
    const message = ephemeral.args as Message;
    assertWithinBlockKitLimits({ text: message.text ?? '', blocks: message.blocks ?? [] });
    const text = visibleText(message);
    expect(text).not.toMatch(/Something went wrong/);
    const { records, id } = await newIntent(before);
    const applied = h.emulator.getUser('alice')?.name === name;
    const outcome = expectAuditedUpdate(records, id, applied);
    expectAnswerAgrees(text, outcome.status, name);
    await auditPostOf(id);
  });

  it.each([414, 403, 999])(
    'NetEase’s own error text (desc) carrying the hostile corpus, with code %i, reaches the person and the audit channel as text',
    async (code) => {
      const desc = INJECTION_CORPUS.join(' ');
      for (const endpoint of [READ, UPDATE_MEMBER]) h.emulator.injectFault(endpoint, { kind: 'code', code, desc }, 1);
      const lookup = await h.command('/im-user', 'alice', ADMIN);
      const before = await intentCount();
      const update = await h.command('/qchat-nick', '1513535 lina Desc Test', ADMIN);
      for (const { responseId } of [lookup, update]) {
        const { body } = await h.answer(responseId, 15_000);
        assertWithinBlockKitLimits({ text: body.text ?? '', blocks: body.blocks ?? [] });
        expect(unescapedMarkers(mrkdwnTexts(body))).toEqual([]);
        expect(visibleText(body)).toMatch(new RegExp(`code ${code}|credentials`));
      }
      const { records, id } = await newIntent(before);
      expect(expectAuditedUpdate(records, id, false).status).toBe('failed');
      const post = (await auditPostOf(id)).args as Message;
      assertWithinBlockKitLimits({ text: post.text ?? '', blocks: post.blocks ?? [] });
      expect(unescapedMarkers(mrkdwnTexts(post))).toEqual([]);
    },
  );
});

describe('a storm of real 416s: NetEase allows far fewer calls than the app was told', () => {
  let small: UpdateHarness & { removeDir(): Promise<void> };
  let smallBudget: LocalRateBudget;
  beforeAll(async () => {
    smallBudget = new LocalRateBudget({ ratePerSecond: 90, coolDownMs: 300, coolDownJitterMs: 0, maxWaitMs: 5000 });
    small = await startUpdateHarness({
      nimTimeoutMs: TIMEOUT_MS,
      nimOptions: { rateBudget: smallBudget },
      emulator: { rateLimit: 3, rateWindowMs: 1000, blockMs: 300 },
    });
  });
  afterAll(async () => {
    await small.close();
    await smallBudget.close();
    await small.removeDir();
  });

  it('30 lookups and an update at once: all acked at once, every one answered (cards or rate limit), the update audited, and served once the block ends', async () => {
    const lookups = await Promise.all(Array.from({ length: 30 }, (_, i) => small.command('/im-user', `alice x${i}`, 'U0MEMBER')));
    const update = await small.command('/qchat-nick', '1513535 lina Storm Nick', ADMIN);
    for (const { ack } of [...lookups, update]) expectPromptAck(ack);
    const texts = await Promise.all(
      lookups.map(async ({ responseId }) => {
        const { body } = await small.answer(responseId, 15_000);
        assertWithinBlockKitLimits({ text: body.text ?? '', blocks: body.blocks ?? [] });
        return visibleText(body);
      }),
    );
    for (const text of texts) expect(text).toMatch(/Alice Chen|rate limit/);
    expect(texts.some((text) => /rate limit/.test(text))).toBe(true);
    expect(small.emulator.count({ code: 416 })).toBeGreaterThan(0);
    const updateText = visibleText((await small.answer(update.responseId, 15_000)).body);
    expect(updateText).toMatch(/Storm Nick|rate limit/);
    const records = await small.records();
    const intents = records.filter((r) => r.kind === 'intent');
    expect(intents).toHaveLength(1);
    const applied = small.emulator.getServerMember('1513535', 'lina')?.nick === 'Storm Nick';
    expectAuditedUpdate(records, intents[0]!.id, applied);

    await new Promise((resolve) => setTimeout(resolve, 1500));
    const again = await small.command('/im-user', 'alice', 'U0MEMBER');
    expect(visibleText((await small.answer(again.responseId, 15_000)).body)).toContain('Alice Chen');
  });
});
