import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/slack/i18n/catalog.js';
import { renderMuteStatus } from '../../src/slack/lookup/mute-status.js';
import { renderUserCards } from '../../src/slack/lookup/user-cards.js';
import { parseAccidList, parseQchatNick } from '../../src/slack/interaction/command-text.js';
import { escapeMrkdwn, unescapeSlackText } from '../../src/slack/ui/mrkdwn.js';
import { mrkdwnTexts, visibleText } from '../support/app-harness.js';
import { assertWithinBlockKitLimits } from '../slack/block-kit-limits.js';
import { hostileString, RUNS, validAccid } from './arbitraries.js';
import { ACCID } from './nim-contract.js';

/** What Slack sends for what a person typed: `&`, `<` and `>` as entities. */
const asSlackSends = escapeMrkdwn;
const SEPARATORS = /[\s,，、]/u;
const locale = fc.constantFrom('en' as const, 'zh-CN' as const);
/** A command text: hostile words, valid accids and separators, mixed. */
const commandText = fc
  .array(fc.oneof(hostileString(40), validAccid, fc.constantFrom(' ', ',', '\n', '，', '、', '\u3000')), { maxLength: 40 })
  .map((parts) => parts.join(' '));

describe('parseAccidList on any text (property)', () => {
  it('never throws; every token is a valid accid or an invalid one with its reason and kind; nothing twice', () => {
    fc.assert(
      fc.property(commandText, (typed) => {
        const parsed = parseAccidList(asSlackSends(typed));
        if (parsed.help) {
          expect(parsed.accids).toEqual([]);
          expect(parsed.invalid).toEqual([]);
          return;
        }
        expect(parsed.accids.length + parsed.invalid.length).toBeGreaterThan(0);
        for (const accid of parsed.accids) expect(accid).toMatch(ACCID);
        for (const bad of parsed.invalid) {
          expect(bad.accid).not.toMatch(ACCID);
          expect(bad.reason.length).toBeGreaterThan(0);
          expect(bad.kind).toBeDefined();
          if (bad.kind === 'too_long') expect(bad.accid.length).toBeGreaterThan(32);
        }
        const all = [...parsed.accids, ...parsed.invalid.map((bad) => bad.accid)];
        for (const token of all) {
          expect(token).not.toBe('');
          expect(token).not.toMatch(SEPARATORS);
          // Each token is a piece of what the person typed (Slack's escaping undone).
          expect(typed).toContain(token);
        }
        expect(new Set(all.map((accid) => accid.toLowerCase())).size).toBe(all.length);
      }),
      RUNS,
    );
  });

  it('finds every valid accid typed, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.array(validAccid, { minLength: 1, maxLength: 20 }),
        fc.array(hostileString(20), { maxLength: 20 }),
        (accids, noise) => {
          const typed = [...accids, ...noise].join(' , ');
          const parsed = parseAccidList(asSlackSends(typed));
          const keys = new Set(parsed.accids.map((accid) => accid.toLowerCase()));
          for (const accid of accids) {
            if (parsed.help) expect(['help', '帮助', '?', '-h', '--help']).toContain(accid.toLowerCase());
            else expect(keys.has(accid.toLowerCase())).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });

  it('undoes exactly Slack’s escaping: an entity typed literally stays literal', () => {
    fc.assert(
      fc.property(hostileString(60), (typed) => {
        expect(unescapeSlackText(escapeMrkdwn(typed))).toBe(typed);
      }),
      RUNS,
    );
  });

  it('what it refuses is shown back escaped, named with the rule, and within Block Kit limits (/im-user and /im-mute-status)', () => {
    fc.assert(
      fc.property(commandText, locale, (typed, loc) => {
        const parsed = parseAccidList(asSlackSends(typed));
        if (parsed.help) return;
        const lookup = { found: [], notFound: parsed.accids };
        for (const message of [
          renderUserCards({ lookup, invalid: parsed.invalid, locale: loc, reveal: false, canEdit: false }),
          renderMuteStatus({ lookup, invalid: parsed.invalid, locale: loc }),
        ]) {
          assertWithinBlockKitLimits(message);
          for (const text of mrkdwnTexts(message)) {
            expect(text).not.toMatch(/<[!@#]|<https?:/);
          }
          if (parsed.invalid.length > 0) {
            // The refusal names the rule broken, in the person's language.
            const m = messages(loc);
            const first = parsed.invalid[0]!;
            const rule = first.kind === 'too_long' ? m.accidProblems.too_long(32) : m.accidProblems[first.kind!];
            expect(visibleText(message)).toContain(rule);
            expect(visibleText(message)).toContain(m.lookup.invalidTitle(parsed.invalid.length).replace(/[*_]/g, ''));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('takes 10 kB of any text and 5,000 accids quickly', () => {
    const tenKb = fc.string({
      unit: fc.constantFrom(' ', 'a', ',', '\u200b', '\u202e', '<', '&', '名', '!'),
      minLength: 10_240,
      maxLength: 10_240,
    });
    fc.assert(
      fc.property(tenKb, (typed) => {
        const started = performance.now();
        parseAccidList(asSlackSends(typed));
        parseQchatNick(asSlackSends(typed));
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 20 },
    );
    const many = Array.from({ length: 5000 }, (_, i) => `user${i}`).join(' ');
    const parsed = parseAccidList(many);
    expect(parsed.accids).toHaveLength(5000);
    expect(parsed.invalid).toEqual([]);
  });
});

describe('parseQchatNick on any text (property)', () => {
  it('never throws; server id and accid are single words; the nickname keeps inner spaces and is trimmed', () => {
    fc.assert(
      fc.property(commandText, (typed) => {
        const parsed = parseQchatNick(asSlackSends(typed));
        if (parsed.help) return;
        expect(parsed.serverId).toBeDefined();
        expect(parsed.serverId).not.toMatch(/\s/u);
        if (parsed.accid !== undefined) expect(parsed.accid).not.toMatch(/\s/u);
        if (parsed.nick !== undefined) {
          expect(parsed.accid).toBeDefined();
          expect(parsed.nick).toBe(parsed.nick.trim());
          expect(parsed.nick).not.toBe('');
          expect(typed).toContain(parsed.nick);
        }
      }),
      RUNS,
    );
  });

  it('reads back a nickname with any characters after a server id and an accid', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }), validAccid, hostileString(64), (serverId, accid, nick) => {
        fc.pre(nick.trim() !== '');
        const parsed = parseQchatNick(asSlackSends(`${serverId} ${accid} ${nick}`));
        expect(parsed).toEqual({ help: false, serverId: String(serverId), accid, nick: nick.trim() });
      }),
      RUNS,
    );
  });
});
