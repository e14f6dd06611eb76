import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/moderation/duration.js';
import type { Sanction } from '../../../src/moderation/sanction.js';
import type { UserCard } from '../../../src/nim/types.js';
import { moderationButtons } from '../../../src/slack/lookup/card.js';
import { confirmationBlocks } from '../../../src/slack/moderation/report.js';
import { renderMuteStatus } from '../../../src/slack/lookup/mute-status.js';
import { refusalText } from '../../../src/slack/ui/refusal.js';
import { messages } from '../../../src/slack/i18n/catalog.js';
import { moderationFormView, moderationReportView } from '../../../src/slack/moderation/views.js';
import { allText, lookup } from '../card-fixtures.js';

const m = messages('en');
const notMuted: UserCard = { accid: 'calm', mute: false, muteP2P: false, muteTeam: false, muteRoom: false, muteQChat: false, valid: true };

/** Small wording a person notices (issue #20, item 15): each read as the person would read it. */
describe('wording', () => {
  it('counts without a verb that must agree with 0 or 1: never "0 of 1 account are muted"', () => {
    const text = renderMuteStatus({ lookup: lookup([notMuted]), invalid: [], locale: 'en' }).text;
    expect(text).toBe('Muted somewhere: 0 of 1 account');
  });

  it('says "neither" only when it named two things', () => {
    const roleOnly = refusalText(m, { reason: 'not_a_moderator', required: 'admin', usergroups: [] });
    expect(roleOnly).not.toMatch(/neither/);
    expect(roleOnly).toMatch(/You do not have it/);
    const both = refusalText(m, { reason: 'not_a_moderator', required: 'admin', usergroups: ['S0MODS'] });
    expect(both).toMatch(/You have neither/);
  });

  it('does not write "(optional)" in labels: Slack adds it to optional inputs itself', () => {
    for (const kind of ['unmute', 'block'] as const) {
      const view = moderationFormView({ kind, locale: 'en', prefill: {}, privateMetadata: '' });
      const labels = view.blocks.map((block) => ('label' in block ? (block.label as { text: string }).text : ''));
      expect(labels.filter((label) => /optional/i.test(label))).toEqual([]);
    }
  });

  it('titles a report of failures "Not done" or "Done, with problems", never just "Done"', () => {
    const report = { text: 'report', blocks: [] };
    expect(moderationReportView(report, 'en', 'failed').title.text).toBe('Not done');
    expect(moderationReportView(report, 'en', 'problems').title.text).toBe('Done, with problems');
    expect(moderationReportView(report, 'en').title.text).toBe('Done');
  });

  it('offers Unmute only where there may be a mute to lift', () => {
    const texts = (card: UserCard) => moderationButtons(m, card).elements.map((button) => (button as { text: { text: string } }).text.text);
    expect(texts(notMuted)).not.toContain(m.moderation.buttons.unmute);
    expect(texts({ ...notMuted, muteTeam: true })).toContain(m.moderation.buttons.unmute);
    expect(texts({ accid: 'unread', mute: false })).toContain(m.moderation.buttons.unmute);
  });

  it('names no lift time in the confirmation: it is counted when the person confirms', () => {
    const mute: Sanction = { kind: 'mute', accids: ['a'], reason: 'spam', scope: 'everywhere', duration: parseDuration('2h') };
    const text = allText({ text: '', blocks: confirmationBlocks(mute, 'en', Date.UTC(2026, 11, 1, 12), true) });
    expect(text).toMatch(/for 2 h from when you confirm/);
    expect(text).not.toMatch(/UTC/);
  });
});
