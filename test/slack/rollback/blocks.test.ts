import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { HistoryItem } from '../../../src/audit/store/contract.js';
import { rollbackPreviewBlocks } from '../../../src/slack/rollback/preview-blocks.js';
import type { RollbackRecord } from '../../../src/audit/rollback-record.js';
import { rollbackAuditMessage, rollbackInterruptedMessage, rollbackReplyMessage } from '../../../src/slack/rollback/channel-blocks.js';
import { rollbackReportBlocks } from '../../../src/slack/rollback/report-blocks.js';
import { rollbackActionIds } from '../../../src/slack/ids.js';
import { withResult } from '../../../src/undo/rollback-progress.js';
import { sinceOf } from '../../../src/slack/rollback/since-submission.js';
import type { RollbackPlan, RollbackStep } from '../../../src/undo/rollback-plan.js';
import type { RollbackItemResult } from '../../../src/undo/rollback-run.js';

const SINCE = Date.parse('2026-12-07T12:00:00Z');

function change(id: string, accid: string, name: string): Extract<HistoryItem, { kind: 'update' }> {
  return {
    kind: 'update',
    intent: {
      kind: 'intent',
      id,
      at: '2026-12-07T12:30:00.000Z',
      actor: 'U0ROGUE',
      action: 'update_user_card',
      command: 'edit card modal',
      target: { accid },
      changes: { name: { before: 'before', after: name } },
    },
    outcome: { kind: 'outcome', id, at: '2026-12-07T12:30:01.000Z', status: 'applied' },
  };
}

function undoStep(id: string, accid: string): RollbackStep {
  return { original: change(id, accid, 'x'), status: 'undo', send: { name: 'before' } };
}

const texts = (blocks: readonly KnownBlock[]) =>
  blocks.map((block) =>
    block.type === 'section'
      ? (block.text?.text ?? '')
      : block.type === 'context'
        ? block.elements.map((e) => ('text' in e ? e.text : '')).join('')
        : '',
  );

describe('rollback preview', () => {
  it('says how many changes over how many accounts, what each undo sets and which are skipped as changed since', () => {
    const plan: RollbackPlan = {
      steps: [undoStep('r3', 'alice'), { original: change('r2', 'bob', 'y'), status: 'changed_since' }, undoStep('r1', 'alice')],
      accounts: 2,
    };
    const shown = texts(rollbackPreviewBlocks({ locale: 'en', plan, actor: 'U0ROGUE', since: SINCE })).join('\n');
    expect(shown).toContain('*3 changes* over *2 accounts* by <@U0ROGUE> since 2026-12-07 12:00:00 UTC');
    expect(shown).toContain('· User card update · `alice`: will set Nickname → *`before`*');
    expect(shown).toMatch(/`bob`: _skipped: someone else changed it since_/);
    expect(shown).toContain('2 will be undone, 1 skipped.');
    expect(shown).not.toContain('not shown');
  });

  it('500 changes stay within the modal limits and say how many are not shown', () => {
    const plan: RollbackPlan = { steps: Array.from({ length: 500 }, (_, n) => undoStep(`r${n}`, `account-${n}`)), accounts: 500 };
    const blocks = rollbackPreviewBlocks({ locale: 'en', plan, actor: 'U0ROGUE', since: SINCE, maxBlocks: 10 });
    expect(blocks.length).toBeLessThanOrEqual(10);
    const all = texts(blocks);
    expect(Math.max(...all.map((text) => text.length))).toBeLessThanOrEqual(3000);
    const lines = all
      .join('\n')
      .split('\n')
      .filter((line) => line.startsWith('• ')).length;
    expect(lines).toBeGreaterThan(50);
    expect(all.join('\n')).toContain(`…and ${500 - lines} more not shown here`);
  });

  it('nothing since then says so', () => {
    const shown = texts(rollbackPreviewBlocks({ locale: 'zh-CN', plan: { steps: [], accounts: 0 }, actor: 'U0ROGUE', since: SINCE }));
    expect(shown.join('')).toContain('没有可回滚的内容');
  });
});

describe('rollback report and its audit channel message', () => {
  const results: RollbackItemResult[] = [
    { original: 'r3', accid: 'alice', undoId: 'rb.1', status: 'undone' },
    { original: 'r2', accid: 'bob', status: 'skipped_changed_since', detail: 'changed_since' },
    { original: 'r1', accid: 'carol', undoId: 'rb.3', status: 'failed', detail: 'nim_timeout' },
  ];

  it('counts and lists each change as it ended', () => {
    const shown = texts(rollbackReportBlocks({ locale: 'en', results })).join('\n');
    expect(shown).toContain('Undone 1 · skipped, changed since 1 · skipped 0 · failed 1');
    expect(shown).toContain('`r3` · `alice`: undone (`rb.1`)');
    expect(shown).toContain('`r2` · `bob`: _skipped: changed since by someone else_');
    expect(shown).toContain('`r1` · `carol`: *failed*: `nim_timeout`');
  });

  const started: RollbackRecord = {
    kind: 'rollback',
    id: 'rb',
    actor: 'U0LEAD',
    command: 'rollback',
    subject: 'U0ROGUE',
    since: SINCE,
    until: SINCE + 3_600_000,
    items: [
      { original: 'r3', accid: 'alice' },
      { original: 'r2', accid: 'bob' },
      { original: 'r1', accid: 'carol' },
      { original: 'r0', accid: 'dave' },
    ],
    state: 'running',
    owner: 'p1',
    leaseUntil: 0,
    createdAt: SINCE,
    updatedAt: SINCE,
    counts: { undone: 0, skipped_changed_since: 0, skipped: 0, failed: 0 },
    settled: {},
    origin: { user: 'U0LEAD', locale: 'zh-CN' },
    replies: 0,
    runs: 1,
  };
  const partway = results.reduce(withResult, started);

  it('the channel message names who, whose changes, since when, the rollback and the counts, and how far it is', () => {
    const finished = rollbackAuditMessage({ ...partway, state: 'finished' });
    expect(finished.text).toBe(
      ':rewind: Rollback by <@U0LEAD> of the changes <@U0ROGUE> made since 2026-12-07 12:00:00 UTC (rb): Undone 1 · skipped, changed since 1 · skipped 0 · failed 1',
    );
    expect(finished.blocks).toHaveLength(2);
    expect(texts(rollbackAuditMessage(partway).blocks).join('\n')).toContain('Running: 3 of 4 settled');
    expect(texts(rollbackAuditMessage({ ...partway, state: 'interrupted' }).blocks).join('\n')).toContain('Interrupted at 3 of 4');
  });

  it('a thread reply lists each change as it ended, and one not reached as such', () => {
    const reply = rollbackReplyMessage(partway, {
      from: 0,
      to: 4,
      items: partway.items.map((item, n) => ({ ...item, ...(results[n] ? { result: results[n] } : {}) })),
    });
    const shown = texts(reply.blocks).join('\n');
    expect(shown).toContain('Changes 1–4 of 4:');
    expect(shown).toContain('`r3` · `alice`: undone (`rb.1`)');
    expect(shown).toContain('`r0` · `dave`: _not reached_');
  });

  it("the interrupted notice says how far it got, in the person's language, with Continue naming the rollback", () => {
    const notice = rollbackInterruptedMessage({ ...partway, state: 'interrupted' }, 'en');
    expect(notice.text).toContain('stopped at 3 of 4 (Undone 1 · skipped, changed since 1 · skipped 0 · failed 1)');
    expect(JSON.stringify(notice.blocks)).toContain(`"action_id":"${rollbackActionIds.continue}","value":"rb"`);
    expect(rollbackInterruptedMessage(partway, 'zh-CN').text).toContain('已中断');
  });
});

describe('rollback "since"', () => {
  const NOW = Date.parse('2026-12-07T13:00:00Z');
  const values = (period: string | undefined, at?: number) => ({
    rollback_period: { value: { type: 'static_select', selected_option: period ? { value: period } : null } },
    rollback_at: { value: { type: 'datetimepicker', selected_date_time: at ?? null } },
  });

  it('is the period back from now, or the date and time picked, which must be in the past', () => {
    expect(sinceOf(values('24h'), NOW)).toBe(NOW - 86_400_000);
    expect(sinceOf(values('7d'), NOW)).toBe(NOW - 7 * 86_400_000);
    expect(sinceOf(values('1h', NOW / 1000 - 600), NOW)).toBe(NOW - 600_000);
    expect(sinceOf(values('1h', NOW / 1000 + 600), NOW)).toBeUndefined();
    expect(sinceOf(values('forever'), NOW)).toBe(NOW - 3_600_000);
  });
});
