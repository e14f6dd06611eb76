import { expect } from 'vitest';
import type { AuditRecord } from '../../src/audit/index.js';
import type { EmulatorEndpoint, EmulatorOptions, Fault } from '../../src/emulator/types.js';
import { LocalRateBudget } from '../../src/nim/budget/local.js';
import { visibleText } from '../support/app-harness.js';
import type { AppAnswer } from '../support/slack-requests.js';
import { assertWithinBlockKitLimits } from '../slack/block-kit-limits.js';
import { startUpdateHarness, type UpdateHarness } from '../slack/app/update-harness.js';

/**
 * The running app over an emulator injecting NetEase faults, for nim-faults-lookups.test.ts and
 * nim-faults-updates.test.ts. Each test starts its own (a 416 cool-down, a late write or a half-used fault cannot
 * leak into the next test). The NetEase client times an attempt out after 400 ms, and its budget cools down for
 * 300 ms after a 416 (11 s in production), so the suite stays fast.
 */

export const ADMIN = 'U0ADMIN';
export const READ: EmulatorEndpoint = 'user/getUinfos.action';
export const UPDATE_CARD: EmulatorEndpoint = 'user/updateUinfo.action';
export const UPDATE_MEMBER: EmulatorEndpoint = 'qchat/updateServerMember.action';
const ACK_BOUND_MS = 2500;
const TIMEOUT_MS = 400;
/** Longer than the client waits: the answer comes too late (and a write lands after the client gave up). */
export const LATE_MS = 1500;
export type Message = { text?: string; blocks?: unknown[] };

/** Each fault, and what the person must be told about it. */
export const FAULTS: [string, Fault, RegExp][] = [
  ['a timeout (no answer within the attempt limit)', { kind: 'latency', ms: LATE_MS }, /no answer in time/],
  ['a dropped connection', { kind: 'drop_connection' }, /connection failed/],
  ['malformed JSON', { kind: 'malformed_json' }, /answer could not be read/],
  ['a burst of code 500', { kind: 'code', code: 500, desc: 'server error' }, /busy or failing \(code 500\)/],
  ['gateway HTTP 502', { kind: 'http_status', status: 502 }, /gateway answered HTTP 502/],
  ['a storm of 416s', { kind: 'code', code: 416, desc: 'api freq out of limit' }, /rate limit/],
];

export type FaultHarness = UpdateHarness & { budget: LocalRateBudget; close(): Promise<void> };

/** `nimTimeoutMs`: per NetEase attempt. @default 400 */
export async function startFaultHarness(options: { emulator?: EmulatorOptions; nimTimeoutMs?: number } = {}): Promise<FaultHarness> {
  const budget = new LocalRateBudget({ ratePerSecond: 90, coolDownMs: 300, coolDownJitterMs: 0, maxWaitMs: 5000 });
  const h = await startUpdateHarness({
    nimTimeoutMs: options.nimTimeoutMs ?? TIMEOUT_MS,
    nimOptions: { rateBudget: budget },
    ...(options.emulator ? { emulator: options.emulator } : {}),
  });
  return {
    ...h,
    budget,
    async close() {
      await h.close();
      await budget.close();
      await h.removeDir();
    },
  };
}

export function expectPromptAck(ack: AppAnswer): void {
  expect(ack.status).toBe(200);
  expect(ack.ackMs).toBeLessThan(ACK_BOUND_MS);
}

/** A command's answer: arrived at its response_url, once, within Block Kit limits; its visible text. */
export async function answered(h: UpdateHarness, responseId: string): Promise<string> {
  const { body } = await h.answer(responseId, 15_000);
  assertWithinBlockKitLimits({ text: body.text ?? '', blocks: body.blocks ?? [] });
  expect(h.slack.responses(responseId)).toHaveLength(1);
  return visibleText(body);
}

/** A clear failure: says what happened, gives a reference, never a stack or "something went wrong". */
export function expectClearFailure(text: string, what: RegExp): void {
  expect(text).toMatch(what);
  expect(text).toMatch(/reference/i);
  expect(text).not.toMatch(/Something went wrong|at .*\.ts:\d+|Error:/);
}

/** The outcomes recorded for the intent `intentId`. */
export function outcomesOf(records: AuditRecord[], intentId: string): (AuditRecord & { kind: 'outcome' })[] {
  return records.filter((r): r is AuditRecord & { kind: 'outcome' } => r.kind === 'outcome' && r.id === intentId);
}

/** An intent of the change itself, not the app's second read-back of an unknown outcome (`rechecks`). */
const isOwnIntent = (r: AuditRecord) => r.kind === 'intent' && r.rechecks === undefined;

/** Waits until the intent after the first `before` has its outcome; returns the records and the intent's id. */
export async function newIntent(h: UpdateHarness, before: number): Promise<{ records: AuditRecord[]; id: string }> {
  let records: AuditRecord[] = [];
  await expect
    .poll(
      async () => {
        records = await h.records();
        const intents = records.filter(isOwnIntent);
        const last = intents.at(-1);
        return intents.length > before && last !== undefined && records.some((r) => r.kind === 'outcome' && r.id === last.id);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return { records, id: records.filter(isOwnIntent).at(-1)!.id };
}

export const intentCount = async (h: UpdateHarness) => (await h.records()).filter(isOwnIntent).length;

export const auditPostOf = (h: UpdateHarness, id: string) =>
  h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel && JSON.stringify(call.args).includes(id), 15_000);
