import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserCard } from '../../src/nim/types.js';
import { renderMuteStatus } from '../../src/slack/lookup/mute-status.js';
import { renderServerMember } from '../../src/slack/qchat/server-member.js';
import { renderUpdateResult } from '../../src/slack/edit-card/update-result.js';
import { renderSharedCard, renderUserCards } from '../../src/slack/lookup/user-cards.js';
import { assertWithinBlockKitLimits } from './block-kit-limits.js';
import { LIVE_MARKUP, parsedTexts } from './card-fixtures.js';

/** Strings biased towards what breaks mrkdwn: control characters, entities, backticks, new lines, astral emoji. */
const nasty = fc.string({
  unit: fc.constantFrom('<', '>', '&', '!', '@', '`', '*', '\n', '|', 'a', 'Z', '1', '字', '😀', ' ', 'https://', '#'),
  maxLength: 1200,
});
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const card: fc.Arbitrary<UserCard> = fc.record({
  accid: fc.stringMatching(/^[a-z0-9_@.-]{1,32}$/),
  name: maybe(nasty),
  icon: maybe(fc.oneof(nasty, fc.webUrl())),
  sign: maybe(nasty),
  email: maybe(nasty),
  birth: maybe(nasty),
  mobile: maybe(nasty),
  ex: maybe(nasty),
  gender: maybe(fc.integer({ min: -1, max: 3 })),
  valid: maybe(fc.boolean()),
  mute: maybe(fc.boolean()),
  muteP2P: maybe(fc.boolean()),
  muteTeam: maybe(fc.boolean()),
  muteRoom: maybe(fc.boolean()),
  muteQChat: maybe(fc.boolean()),
});
const locale = fc.constantFrom('en' as const, 'zh-CN' as const);
const invalid = fc.array(fc.record({ accid: nasty, reason: nasty }), { maxLength: 30 });

function check(message: { text: string; blocks: unknown[] }): void {
  assertWithinBlockKitLimits(message);
  // The only markup allowed through is our own: the date token and the sharer's mention.
  const ours = /<!date\^\d+\^\{date_short_pretty\}\||<@U123>/g;
  expect(parsedTexts(message).replace(ours, '')).not.toMatch(LIVE_MARKUP);
}

const isGender = (value: unknown): value is 0 | 1 | 2 => value === 0 || value === 1 || value === 2;

describe('every renderer, for any card NetEase could return', () => {
  it('user cards and mute status stay within Block Kit limits and never let markup through', () => {
    fc.assert(
      fc.property(
        fc.array(card, { maxLength: 60 }),
        fc.array(nasty, { maxLength: 40 }),
        invalid,
        locale,
        fc.boolean(),
        (found, notFound, bad, loc, reveal) => {
          const lookup = { found, notFound };
          check(renderUserCards({ lookup, invalid: bad, locale: loc, reveal, canEdit: reveal }));
          check(renderMuteStatus({ lookup, invalid: bad, locale: loc }));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('shared cards, update results and member cards do too', () => {
    fc.assert(
      fc.property(card, card, locale, fc.boolean(), (before, after, loc, reveal) => {
        check(renderSharedCard({ card: before, sharedBy: 'U123', locale: loc }));
        const { accid: _accid, valid: _v, mute: _m, muteP2P: _p, muteTeam: _t, muteRoom: _r, muteQChat: _q, gender, ...text } = after;
        const changes = { ...text, ...(isGender(gender) ? { gender } : {}) };
        check(renderUpdateResult({ accid: before.accid, before, changes, confirmedByReadBack: reveal, locale: loc, reveal }));
        const member = {
          serverId: '1',
          accid: before.accid,
          nick: before.name,
          avatar: before.icon,
          custom: before.ex,
          type: 1,
          joinTime: 1_700_000_000_000,
          validFlag: 1,
        };
        check(renderServerMember({ member, locale: loc }));
      }),
      { numRuns: 100 },
    );
  });
});
