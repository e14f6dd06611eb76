import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/moderation/duration.js';
import type { AccountOutcome } from '../../../src/moderation/execute.js';
import type { Sanction } from '../../../src/moderation/sanction.js';
import { confirmationBlocks, confirmationText, renderModerationReport } from '../../../src/slack/moderation/report.js';
import { moderationReportView, reportEnd } from '../../../src/slack/moderation/views.js';
import { assertWithinBlockKitLimits } from '../block-kit-limits.js';
import { allText } from '../card-fixtures.js';

const NOW = Date.UTC(2026, 10, 30, 14, 0);
const mute = (extra: Partial<Sanction> = {}): Sanction => ({
  kind: 'mute',
  accids: ['spam1', 'spam2', 'spam3'],
  reason: 'spam links',
  scope: 'everywhere',
  duration: parseDuration('24h'),
  ...extra,
});

describe('the one confirmation', () => {
  it('says exactly what will happen, with when it lifts in UTC', () => {
    expect(confirmationText(mute(), 3, 'en', NOW)).toBe(
      '*Mute 3 accounts everywhere for 24 h, until 2026-12-01 14:00 UTC* — reason: spam links',
    );
  });

  it('names the places of a module mute, a forever mute, a block with logout, and Chinese', () => {
    expect(
      confirmationText(mute({ scope: ['muteTeam', 'muteQChat'], duration: parseDuration('forever'), accids: ['a'] }), 1, 'en', NOW),
    ).toBe('*Mute 1 account in Teams, QChat with no end (until someone unmutes them)* — reason: spam links');
    expect(confirmationText({ kind: 'block', reason: 'fraud', needkick: true }, 2, 'en', NOW)).toBe(
      '*Block 2 accounts* and log them out of every device — reason: fraud',
    );
    expect(confirmationText(mute({ duration: parseDuration('7d') }), 3, 'zh-CN', NOW)).toBe(
      '*全部范围禁言 3 个账号，时长 7 天，到 2026-12-07 14:00 UTC* — 原因：spam links',
    );
  });

  it('escapes a hostile reason, and says when nothing will lift a timed mute by itself', () => {
    const text = allText({ text: '', blocks: confirmationBlocks(mute({ reason: '<!channel> <https://evil|click>' }), 'en', NOW, false) });
    expect(text).not.toMatch(/<!channel>|<https/);
    expect(text).toMatch(/no lift schedule yet.*the report says when to unmute them/);
    expect(text).not.toMatch(/2026-12-01 14:00 UTC/);
    expect(allText({ text: '', blocks: confirmationBlocks(mute(), 'en', NOW, true) })).not.toMatch(/no lift schedule/);
  });
});

describe('the per-account report', () => {
  it('fits 50 accounts with hostile names within Block Kit limits, with each status and state', () => {
    const statuses: AccountOutcome[] = [
      { accid: 'a', status: 'done', confirmedByReadBack: false, card: { accid: 'a', mute: true, valid: true } },
      { accid: 'b', status: 'already', card: { accid: 'b', mute: true } },
      { accid: 'c', status: 'not_found' },
      { accid: 'd', status: 'failed', nimCode: 403, errorCode: 'nim_api_error', card: { accid: 'd', mute: false } },
      { accid: 'e', status: 'failed', nimCode: 416, errorCode: 'nim_rate_limited', retryAfterMs: 10_500 },
      { accid: 'f', status: 'unknown' },
    ];
    const outcomes = Array.from({ length: 50 }, (_, i) => ({ ...statuses[i % statuses.length]!, accid: `<!here>${'x'.repeat(20)}${i}` }));
    const message = renderModerationReport({
      sanction: mute({ accids: outcomes.map((o) => o.accid) }),
      report: { outcomes, liftAt: NOW + 86_400_000 },
      locale: 'en',
      scheduled: true,
    });
    assertWithinBlockKitLimits(message);
    const text = allText(message);
    expect(text).not.toContain('<!here>');
    expect(text).toMatch(/9 done · 9 already so · 8 not found · 24 failed or unknown/);
    expect(text).toMatch(/failed \(NetEase 403\)/);
    expect(text).toMatch(/NetEase rate limit, try again in 11 s/);
    expect(text).toMatch(/now: muted everywhere · not blocked/);
    expect(text).toMatch(/im-admin lifts it at 2026-12-01 14:00 UTC/);
  });
});

describe('a report with accounts a shutdown left unsent', () => {
  const outcomes: AccountOutcome[] = [
    { accid: 'spam1', status: 'done', confirmedByReadBack: false, card: { accid: 'spam1', mute: true } },
    { accid: 'spam2', status: 'stopped' },
    { accid: 'spam3', status: 'stopped' },
  ];

  it('says how many were not sent, in English and Chinese, and is titled stopped, not done', () => {
    const en = renderModerationReport({ sanction: mute(), report: { outcomes }, locale: 'en', scheduled: true });
    expect(allText(en)).toMatch(/1 done · stopped: 2 not sent/);
    expect(moderationReportView(en, 'en', reportEnd(outcomes)).title.text).toBe('Stopped part-way');
    const zh = renderModerationReport({ sanction: mute(), report: { outcomes }, locale: 'zh-CN', scheduled: true });
    expect(allText(zh)).toMatch(/1 个完成 · 已停止：2 个未发送/);
    expect(moderationReportView(zh, 'zh-CN', reportEnd(outcomes)).title.text).toBe('中途停止');
  });

  it('is titled done, with problems, or not done only when every account was sent', () => {
    expect(reportEnd([{ status: 'done' }, { status: 'already' }])).toBe('done');
    expect(reportEnd([{ status: 'done' }, { status: 'failed' }])).toBe('problems');
    expect(reportEnd([{ status: 'failed' }, { status: 'unknown' }])).toBe('failed');
    expect(reportEnd([{ status: 'failed' }, { status: 'stopped' }])).toBe('stopped');
  });
});
