import { describe, expect, it } from 'vitest';
import type { IntentRecord, OutcomeRecord, RefusalRecord } from '../../../src/audit/records.js';
import type { HistoryItem } from '../../../src/audit/store/contract.js';
import { auditHistoryMoreAction, renderAuditHistory } from '../../../src/slack/audit/history-blocks.js';
import { textLength } from '../../../src/slack/ui/budget.js';
import { limits } from '../../../src/slack/ui/text.js';

const intent: IntentRecord = {
  kind: 'intent',
  id: 'c-2',
  at: '2026-11-22T03:00:00.000Z',
  actor: 'U0ADMIN1',
  action: 'update_user_card',
  command: 'edit card modal',
  target: { accid: 'alice' },
  changes: {
    name: { before: 'Alice', after: 'Alicia' },
    email: { before: 'alice.smith@example.com', after: 'alicia.jones@example.org' },
    mobile: { before: '18612344545', after: '13800138000' },
  },
};
const failed: OutcomeRecord = { kind: 'outcome', id: 'c-2', at: '2026-11-22T03:00:01.000Z', status: 'failed', nimCode: 403 };
const refusal: RefusalRecord = {
  kind: 'refusal',
  id: 'r-1',
  at: '2026-11-21T09:30:00.000Z',
  actor: 'U0MEMBER',
  action: 'update_user_card',
  command: '/im-user edit',
  target: { accid: 'alice' },
  refusal: { reason: 'not_a_writer', required: 'admin', usergroups: [] },
};
const items: HistoryItem[] = [
  { kind: 'update', intent: { ...intent, id: 'c-3', at: '2026-11-23T00:00:00.000Z' } },
  { kind: 'update', intent, outcome: failed },
  { kind: 'refusal', refusal },
];

describe('renderAuditHistory', () => {
  it('shows each entry newest first as who, what, before → after, outcome and when, masked like the channel', () => {
    const message = renderAuditHistory({ subject: { accid: 'alice' }, items, locale: 'en' });
    const sections = message.blocks.filter((block) => block.type === 'section').map((block) => JSON.stringify(block));
    expect(sections[0]).toContain('*Audit history* of account `alice`');
    expect(sections[1]).toContain('2026-11-23 00:00:00 UTC');
    expect(sections[1]).toContain('In progress, or not yet settled');
    expect(sections[2]).toContain('<@U0ADMIN1>');
    expect(sections[2]).toContain(':x: Failed (NetEase code 403)');
    expect(sections[2]).toContain('*Nickname*\\n`Alice` → `Alicia`');
    expect(sections[3]).toContain('<@U0MEMBER>');
    expect(sections[3]).toContain('Editing needs the role');
    const all = JSON.stringify(message);
    for (const secret of ['alice.smith', 'alicia.jones', '18612344545', '13800138000']) expect(all).not.toContain(secret);
    expect(all).toContain('186****4545');
    expect(message.blocks.some((block) => block.type === 'actions')).toBe(false);
  });

  it('offers More with the next page query when older entries remain, and says so when there is nothing', () => {
    const more = JSON.stringify({ accid: 'alice', before: '17' });
    const page = renderAuditHistory({ subject: { actor: 'U0ADMIN1' }, items, locale: 'en', more });
    expect(page.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        { type: 'button', action_id: auditHistoryMoreAction, text: { type: 'plain_text', text: 'More', emoji: false }, value: more },
      ],
    });
    expect(JSON.stringify(page.blocks[0])).toContain('*Audit history* of what <@U0ADMIN1> did');
    const empty = renderAuditHistory({ subject: { accid: 'nobody' }, items: [], locale: 'zh-CN' });
    expect(JSON.stringify(empty)).toContain('没有记录');
  });

  it('escapes hostile values and stays within Slack limits for a full page of huge changes', () => {
    const hostile = '<!channel> *bold* <https://evil.example|click>'.repeat(40);
    const big: HistoryItem[] = Array.from({ length: 10 }, (_, n) => ({
      kind: 'update',
      intent: {
        ...intent,
        id: `h-${n}`,
        command: hostile.slice(0, 200),
        target: { accid: `<@U0EVIL>${n}` },
        changes: Object.fromEntries(['name', 'icon', 'sign', 'ex'].map((field) => [field, { before: hostile, after: hostile }])),
      },
    }));
    const message = renderAuditHistory({ subject: { accid: 'alice' }, items: big, locale: 'en', more: '{}' });
    const all = JSON.stringify(message);
    expect(all).not.toMatch(/<!channel>|<https:|<@U0EVIL>/);
    expect(textLength(message.blocks)).toBeLessThanOrEqual(limits.messageText);
    expect(message.blocks.length).toBeLessThanOrEqual(limits.blocks);
  });
});
