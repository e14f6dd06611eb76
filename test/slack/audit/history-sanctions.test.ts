import { describe, expect, it } from 'vitest';
import type { IntentRecord, OutcomeRecord, RefusalRecord } from '../../../src/audit/records.js';
import type { HistoryItem } from '../../../src/audit/store/contract.js';
import { renderAuditEntry } from '../../../src/slack/audit/entry.js';
import { renderAuditHistory } from '../../../src/slack/audit/history-blocks.js';
import { mrkdwnToNodes } from '../../../src/simulator/render/mrkdwn.js';
import type { ViewNode } from '../../../src/simulator/render/view-node.js';

const HOSTILE_REASON = 'spam links\n*Outcome:* :white_check_mark: Applied <!channel>';
const mute: IntentRecord = {
  kind: 'intent',
  id: 'm-1',
  at: '2026-12-01T10:00:00.000Z',
  actor: 'U0ADMIN',
  action: 'mute',
  command: '/im-mute',
  target: { accid: 'alice' },
  changes: { muteP2P: { before: 'false', after: 'true' }, muteTeam: { before: 'false', after: 'true' } },
  sanction: { reason: HOSTILE_REASON, scope: ['muteP2P', 'muteTeam'], durationMs: 7_200_000, liftAt: '2026-12-01T12:00:00.000Z' },
};
const block: IntentRecord = {
  ...mute,
  id: 'b-1',
  action: 'block',
  command: '/im-block',
  changes: { valid: { before: 'true', after: 'false' } },
  sanction: { reason: 'fraud', needkick: true },
};
const applied = (id: string): OutcomeRecord => ({ kind: 'outcome', id, at: '2026-12-01T10:00:01.000Z', status: 'applied' });
const refusal: RefusalRecord = {
  kind: 'refusal',
  id: 'r-1',
  at: '2026-12-01T09:00:00.000Z',
  actor: 'U0MEMBER',
  action: 'mute',
  command: '/im-mute',
  target: { accid: 'alice' },
  refusal: { reason: 'not_a_moderator', required: 'admin', usergroups: ['S0MODS'] },
};
const items: HistoryItem[] = [
  { kind: 'update', intent: mute, outcome: applied('m-1') },
  { kind: 'update', intent: block, outcome: applied('b-1') },
  { kind: 'refusal', refusal },
];

const sectionTexts = (blocks: unknown[]): string[] =>
  blocks.flatMap((b) => {
    const text = (b as { text?: { text?: string } }).text?.text;
    return text ? [text] : [];
  });
/** The bold runs Slack draws in a text. */
const boldRuns = (text: string): string[] => {
  const walk = (nodes: readonly ViewNode[]): string[] =>
    nodes.flatMap((node) => ('text' in node ? [] : node.tag === 'strong' ? [textOfNode(node)] : walk(node.children ?? [])));
  const textOfNode = (node: ViewNode): string => ('text' in node ? node.text : (node.children ?? []).map(textOfNode).join(''));
  return walk(mrkdwnToNodes(text, { userName: () => undefined }));
};

describe('/im-audit history of mutes and blocks', () => {
  const page = renderAuditHistory({ subject: { accid: 'alice' }, items, locale: 'en', handles: new Map([['S0MODS', 'im-mods']]) });
  const [, muteText, blockText, refusalText] = sectionTexts(page.blocks ?? []);

  it('shows the reason, where and when it lifts', () => {
    expect(muteText).toContain('One-to-one');
    expect(muteText).toContain('Teams');
    expect(muteText).toContain('2026-12-01 12:00:00 UTC');
    expect(muteText).toContain('spam links');
  });

  it('renders the reason as a quote, escaped: its "*Outcome:*" line draws no bold field and pings nobody', () => {
    for (const line of muteText!.split('\n').filter((l) => l.includes('spam links') || l.includes('Outcome:*'))) {
      expect(line.startsWith('> ')).toBe(true);
    }
    expect(muteText).not.toContain('<!channel>');
    expect(muteText).toContain('&lt;!channel&gt;');
    const entry = renderAuditEntry({ kind: 'update', intent: mute, outcome: applied('m-1') });
    const channelReason = sectionTexts(entry.blocks ?? []).find((t) => t.includes('spam links'))!;
    expect(channelReason.split('\n').filter((l) => l.includes('Outcome:*'))).toEqual([
      '> *Outcome:* :white_check_mark: Applied &lt;!channel&gt;',
    ]);
  });

  it('names the flags in words, not `valid true → false`', () => {
    expect(muteText).toContain('*Muted in one-to-one chats*\nno → yes');
    expect(blockText).toContain('*Blocked*\nno → yes');
    expect(blockText).not.toMatch(/valid|true|false/);
  });

  it('puts who, account and command on one readable line', () => {
    expect(muteText!.split('\n')).toContain('*Who:* <@U0ADMIN> · *Account:* `alice` · *Command:* `/im-mute`');
    expect(boldRuns(muteText!)).toEqual(expect.arrayContaining(['Who:', 'Account:', 'Command:']));
  });

  it('names user groups by handle, as the channel does', () => {
    expect(refusalText).toContain('@im-mods');
    expect(refusalText).not.toContain('S0MODS');
  });

  it('says email, mobile and birthday are masked only on a page that shows one of them', () => {
    expect(JSON.stringify(page.blocks)).not.toMatch(/masked/);
    const entry = renderAuditEntry({ kind: 'update', intent: block, outcome: applied('b-1') });
    expect(JSON.stringify(entry.blocks)).not.toMatch(/masked/);
    const card: IntentRecord = { ...mute, action: 'update_user_card', changes: { email: { before: 'a@b.c', after: 'd@e.f' } } };
    delete card.sanction;
    expect(
      JSON.stringify(renderAuditHistory({ subject: { accid: 'alice' }, items: [{ kind: 'update', intent: card }], locale: 'en' }).blocks),
    ).toMatch(/masked/);
  });
});
