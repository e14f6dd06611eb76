import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { ServerMemberUpdate } from '../../src/nim/types.js';
import { cardChangeProblems, serverMemberProblems } from '../../src/nim/validate.js';
import { renderError } from '../../src/slack/ui/errors.js';
import { messages } from '../../src/slack/i18n/catalog.js';
import { fieldErrors } from '../../src/slack/interaction/submitted.js';
import { editCardBlocks, qchatNickBlocks } from '../../src/slack/ids.js';
import { mrkdwnTexts, visibleText } from '../support/app-harness.js';
import { assertWithinBlockKitLimits } from '../slack/block-kit-limits.js';
import { anyValue, hostileString, RUNS, validAccid } from './arbitraries.js';
import { ACCID, CARD_LIMITS, cardValueSize, MEMBER_LIMITS, SERVER_ID_MAX, type CardField } from './nim-contract.js';

const locale = fc.constantFrom('en' as const, 'zh-CN' as const);
/** A field's value: mostly text around its limit, sometimes anything at all (a forged payload). */
const fieldValue = (max: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: hostileString(max + 8) },
    {
      weight: 2,
      arbitrary: fc.string({
        unit: fc.constantFrom('a', '名', '\ud83d\ude00', '\u200b'),
        minLength: Math.max(0, max - 3),
        maxLength: max + 3,
      }),
    },
    { weight: 1, arbitrary: anyValue },
  );
const cardChanges: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    ...Object.fromEntries(Object.entries(CARD_LIMITS).map(([field, limit]) => [field, fieldValue(limit.max)])),
    gender: fc.oneof(fc.constantFrom(0, 1, 2, 3, -1, 1.5), anyValue),
    // Not a field of the card: a forged form.
    notAField: anyValue,
  },
  { requiredKeys: [] },
);

function validCardValue(field: string, value: unknown): boolean {
  if (value === undefined) return true;
  if (field === 'gender') return value === 0 || value === 1 || value === 2;
  if (!(field in CARD_LIMITS) || typeof value !== 'string') return false;
  return cardValueSize(field as CardField, value) <= CARD_LIMITS[field as CardField].max;
}

/** A refusal names the field (by its label, in the person's language) and the rule, escaped, within Block Kit limits. */
function expectNamedRefusal(problems: InputError[], loc: 'en' | 'zh-CN'): void {
  const message = renderError(problems, { locale: loc, correlationId: 'abcd1234' });
  assertWithinBlockKitLimits(message);
  const text = visibleText(message);
  const labels = messages(loc).fields as Record<string, string>;
  for (const problem of problems.slice(0, 10)) {
    expect(text).toContain(labels[problem.field] ?? problem.field);
  }
  for (const mrkdwn of mrkdwnTexts(message)) expect(mrkdwn).not.toMatch(/<[!@#]|<https?:/);
}

describe('cardChangeProblems on any values (property)', () => {
  it('never throws; refuses exactly the invalid fields, each problem with its field, rule and value', () => {
    fc.assert(
      fc.property(cardChanges, locale, (changes, loc) => {
        const problems = cardChangeProblems(changes);
        const refused = new Set(problems.map((problem) => problem.field));
        for (const [field, value] of Object.entries(changes)) {
          expect(refused.has(field), `${field} = ${String(typeof value)}`).toBe(!validCardValue(field, value));
        }
        for (const problem of problems) {
          expect(problem).toBeInstanceOf(InputError);
          expect(problem.rule.length).toBeGreaterThan(0);
          expect(typeof problem.value).toBe('string');
          expect(problem.message).toContain(problem.field);
        }
        if (problems.length > 0) {
          expectNamedRefusal(problems, loc);
          // In the modal each problem lands under its own input.
          const errors = fieldErrors(messages(loc), problems, editCardBlocks, 'name');
          for (const problem of problems) {
            if ((editCardBlocks as readonly string[]).includes(problem.field)) expect(errors[problem.field]).toBeTruthy();
          }
          for (const text of Object.values(errors)) expect(text.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('accepts every value at its limit and refuses one past it, saying the limit and the size', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(CARD_LIMITS) as CardField[])),
        fc.constantFrom('a', '名', '\ud83d\ude00'),
        locale,
        (field, unit, loc) => {
          const limit = CARD_LIMITS[field];
          const size = (s: string) => cardValueSize(field, s);
          let atLimit = '';
          while (size(atLimit + unit) <= limit.max) atLimit += unit;
          expect(cardChangeProblems({ [field]: atLimit })).toEqual([]);
          const over = atLimit + unit;
          const [problem] = cardChangeProblems({ [field]: over });
          expect(problem?.field).toBe(field);
          expect(problem?.rule).toContain(String(limit.max));
          expect(problem?.rule).toContain(String(size(over)));
          const errors = fieldErrors(messages(loc), [problem!], editCardBlocks, 'name');
          expect(errors[field]).toContain(String(limit.max));
        },
      ),
      { numRuns: 60 },
    );
  });
});

const serverId = fc.oneof(
  fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }).map(String),
  fc.bigInt({ min: 2n ** 64n, max: 2n ** 70n }).map(String),
  fc.constantFrom('0', '-1', '01', '1e3', '١٢٣', '１２３', ' 1', '1 ', '0x10', ''),
  hostileString(24),
);
const memberUpdate: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    serverId: fc.oneof({ weight: 5, arbitrary: serverId }, { weight: 1, arbitrary: anyValue }),
    accid: fc.oneof({ weight: 3, arbitrary: validAccid }, { weight: 3, arbitrary: hostileString(40) }, { weight: 1, arbitrary: anyValue }),
    nick: fieldValue(MEMBER_LIMITS.nick),
    avatar: fieldValue(MEMBER_LIMITS.avatar),
    custom: fieldValue(MEMBER_LIMITS.custom),
  },
  { requiredKeys: ['serverId', 'accid'] },
);

describe('serverMemberProblems on any values (property)', () => {
  it.each(Object.entries(MEMBER_LIMITS))('accepts a %s at its limit (%i characters) and refuses one more', (field, max) => {
    const update = (value: string) => ({ serverId: '1513535', accid: 'alice', [field]: value }) as ServerMemberUpdate;
    expect(serverMemberProblems(update('名'.repeat(max)))).toEqual([]);
    expect(serverMemberProblems(update('名'.repeat(max + 1))).map((problem) => problem.field)).toEqual([field]);
  });

  it('accepts the largest 64-bit server id and refuses the next one', () => {
    const update = (serverId: string) => ({ serverId, accid: 'alice', nick: 'n' }) as ServerMemberUpdate;
    expect(serverMemberProblems(update(String(SERVER_ID_MAX)))).toEqual([]);
    expect(serverMemberProblems(update(String(SERVER_ID_MAX + 1n))).map((problem) => problem.field)).toEqual(['serverId']);
  });

  it('never throws; accepts only a 64-bit server id, a valid accid and texts within limits; names each problem', () => {
    fc.assert(
      fc.property(memberUpdate, locale, (update, loc) => {
        const problems = serverMemberProblems(update as ServerMemberUpdate);
        const refused = new Set(problems.map((problem) => problem.field));
        const id = update.serverId;
        const idOk = typeof id === 'string' && /^[1-9][0-9]*$/.test(id) && BigInt(id) <= SERVER_ID_MAX;
        expect(refused.has('serverId')).toBe(!idOk);
        const accidOk = typeof update.accid === 'string' && ACCID.test(update.accid);
        expect(refused.has('accid')).toBe(!accidOk);
        for (const field of ['nick', 'avatar', 'custom'] as const) {
          const value = update[field];
          const ok = value === undefined || (typeof value === 'string' && value.length <= MEMBER_LIMITS[field]);
          expect(refused.has(field), field).toBe(!ok);
        }
        for (const problem of problems) expect(problem.rule.length).toBeGreaterThan(0);
        if (problems.length > 0) {
          expectNamedRefusal(problems, loc);
          const errors = fieldErrors(messages(loc), problems, qchatNickBlocks, 'nick');
          for (const problem of problems) expect(errors[problem.field]).toBeTruthy();
        }
      }),
      RUNS,
    );
  });
});
