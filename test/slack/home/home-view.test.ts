import type { ActionsBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { IntentRecord } from '../../../src/audit/records.js';
import type { HistoryItem, StandingSanction } from '../../../src/audit/store/contract.js';
import { HOME_MAX_BLOCKS, HOME_PAGE_SIZE, renderHome, type HomeInput } from '../../../src/slack/home/home-view.js';
import { homeStrings, untilText } from '../../../src/slack/home/strings.js';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const MIN = 60_000;

function intent(id: string, action: IntentRecord['action'], accid: string, extra: Partial<IntentRecord> = {}): IntentRecord {
  return {
    kind: 'intent',
    id,
    at: new Date(NOW - 10 * MIN).toISOString(),
    actor: 'U0MOD',
    action,
    command: '/im-mute',
    target: { accid },
    changes: {},
    sanction: { reason: 'spam *links* <!here>' },
    ...extra,
  };
}
const timed = (id: string, accid: string, inMs: number): StandingSanction => ({
  sanctionId: id,
  intent: intent(id, 'mute', accid),
  liftAt: NOW + inMs,
});
const texts = (input: HomeInput) => JSON.stringify(renderHome(input).blocks);
const actionIds = (input: HomeInput) =>
  renderHome(input)
    .blocks.flatMap((block) => (block.type === 'actions' ? (block as ActionsBlock).elements : []))
    .map((element) => ('action_id' in element ? [element.action_id, 'value' in element ? element.value : undefined] : []));

describe('the App Home', () => {
  const moderator = (standing: StandingSanction[], mine: HistoryItem[] = [], page = 0): HomeInput => ({
    locale: 'en',
    now: NOW,
    canLookup: true,
    moderation: { standing, mine, page },
  });

  it('shows a timed mute with when it lifts (relative and UTC), who set it and why, escaped, with Lift now and Extend…', () => {
    const text = texts(moderator([timed('m1', 'spam_bot_1', 80 * MIN)]));
    expect(text).toContain('lifts in 1 h 20 min (2026-12-07 13:20 UTC)');
    expect(text).toContain('<@U0MOD>');
    expect(text).toContain('reason: spam *links* &lt;!here&gt;');
    expect(text).not.toContain('<!here>');
    expect(actionIds(moderator([timed('m1', 'spam_bot_1', 80 * MIN)]))).toEqual(
      expect.arrayContaining([
        ['moderation.unmute', 'spam_bot_1'],
        ['moderation.mute', 'spam_bot_1'],
        ['home.lookup', 'lookup'],
      ]),
    );
  });

  it('shows permanent mutes and blocks; a block can be lifted but not extended', () => {
    const block: StandingSanction = { sanctionId: 'b1', intent: intent('b1', 'block', 'troll9') };
    const forever: StandingSanction = { sanctionId: 'f1', intent: intent('f1', 'mute', 'loud7', { sanction: { forever: true } }) };
    const input = moderator([block, forever]);
    expect(texts(input)).toContain('*Blocked* `troll9`');
    expect(texts(input)).toContain('*Muted without end* `loud7`');
    const ids = actionIds(input);
    expect(ids).toContainEqual(['moderation.unblock', 'troll9']);
    expect(ids).not.toContainEqual(['moderation.mute', 'troll9']);
    expect(ids).toContainEqual(['moderation.mute', 'loud7']);
  });

  it('pages the sanctions within 100 blocks, with newer/older buttons', () => {
    const many = Array.from({ length: 35 }, (_, n) => timed(`m${n}`, `user${n}`, (n + 1) * MIN));
    for (const page of [0, 1, 3]) {
      const view = renderHome(moderator(many, [], page));
      expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
      expect(JSON.stringify(view.blocks)).toContain(`Page ${page + 1} of 4`);
    }
    const first = actionIds(moderator(many)).filter(([id]) => id === 'moderation.unmute');
    expect(first).toHaveLength(HOME_PAGE_SIZE);
    expect(actionIds(moderator(many, [], 1))).toEqual(
      expect.arrayContaining([
        ['home.page', '0'],
        ['home.page', '2'],
      ]),
    );
    // A page past the end (sanctions lifted meanwhile) shows the last one.
    expect(texts(moderator(many, [], 9))).toContain('Page 4 of 4');
  });

  it("lists the person's own recent actions with their outcomes, naming edited fields but never their values", () => {
    const mine: HistoryItem[] = [
      {
        kind: 'update',
        intent: intent('u1', 'update_user_card', 'alice1', { changes: { mobile: { before: '13800138000', after: '13900139000' } } }),
        outcome: { kind: 'outcome', id: 'u1', at: '2026-12-07T11:51:00.000Z', status: 'applied' },
      },
      { kind: 'update', intent: intent('m2', 'mute', 'bob2') },
      {
        kind: 'refusal',
        refusal: {
          kind: 'refusal',
          id: 'r1',
          at: '2026-12-07T11:40:00.000Z',
          actor: 'U0MOD',
          action: 'block',
          command: '/im-block',
          target: { accid: 'vip1' },
          refusal: { reason: 'protected_account', accids: ['vip1'] },
        },
      },
    ];
    const text = texts(moderator([], mine));
    expect(text).toContain('*Card edit* `alice1` (`mobile`) — applied');
    expect(text).toContain('*Mute* `bob2` — in flight');
    expect(text).toContain('*Block* `vip1` — refused');
    expect(text).not.toContain('13900139000');
  });

  it('lists the requests waiting for approval when the deployment has approvals, and no section when it has none', () => {
    const input = moderator([]);
    const withApprovals: HomeInput = {
      ...input,
      moderation: { ...input.moderation!, approvals: [{ action: 'block', requestedBy: 'U0ASKER', expiresAt: NOW + 25 * MIN }] },
    };
    expect(texts(withApprovals)).toContain('Waiting for approval');
    expect(texts(withApprovals)).toContain('`block` requested by <@U0ASKER> — expires in 25 min');
    expect(texts(input)).not.toContain('Waiting for approval');
  });

  it('gives a member only the lookup box and the help: no sanctions, no moderation buttons', () => {
    const member: HomeInput = { locale: 'en', now: NOW, canLookup: true };
    expect(actionIds(member)).toEqual([['home.lookup', 'lookup']]);
    expect(texts(member)).toContain('/im-user');
    expect(texts(member)).not.toContain('Sanctions');
  });

  it('says so when the store cannot be read, and answers in Chinese', () => {
    const down: HomeInput = {
      locale: 'zh-CN',
      now: NOW,
      canLookup: true,
      moderation: { standing: 'unavailable', mine: 'unavailable', page: 0 },
    };
    expect(texts(down)).toContain(homeStrings('zh-CN').storeDown);
    expect(texts({ ...moderator([timed('m1', 'a1', 30 * MIN)]), locale: 'zh-CN' })).toContain('30 分钟后解除');
  });
});

describe('when a sanction lifts, as a person reads it', () => {
  const en = homeStrings('en');
  it.each([
    [-1000, 'any moment now'],
    [30_000, 'in less than a minute'],
    [61_000, 'in 2 min'],
    [60 * MIN, 'in 1 h'],
    [80 * MIN, 'in 1 h 20 min'],
    [3 * 24 * 60 * MIN + 5 * 60 * MIN, 'in 3 d 5 h'],
  ])('%d ms from now is "%s"', (ms, text) => {
    expect(untilText(en, NOW + ms, NOW)).toBe(text);
  });
});
