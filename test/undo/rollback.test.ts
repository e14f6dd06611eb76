import { afterEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/moderation/duration.js';
import { previewRollback } from '../../src/undo/rollback-load.js';
import { runRollback } from '../../src/undo/rollback-run.js';
import { rollbackPreviewBlocks } from '../../src/slack/rollback/preview-blocks.js';
import { rollbackReportBlocks } from '../../src/slack/rollback/report-blocks.js';
import { undoFixture, NOW } from './fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('rolling a person back', () => {
  it('an undo that would re-block a protected account is skipped ("protected account") in the preview, the run and the report', async () => {
    const f = await undoFixture(cleanups);
    f.clock.now = NOW - 2 * 3_600_000;
    await f.sanction('U0MOD', { kind: 'block', accids: ['carol'], reason: 'fraud' }, 'b1');
    f.clock.now = NOW;
    await f.sanction('U0ROGUE', { kind: 'unblock', accids: ['carol'], reason: 'x' }, 'u1');
    f.clock.now += 1000;
    await f.editCard('U0ROGUE', 'carol', { sign: 'pwned' }, 'e1');
    // carol was made protected since (IM_PROTECTED_ACCIDS, matched without case): nothing from Slack blocks her.
    const input = { actor: 'U0ROGUE', since: NOW - 3_600_000, protectedAccids: ['Carol'], correlationId: 'rb' };
    const plan = await previewRollback(f.store, f.nim, input);
    expect(plan.steps.map((step) => [step.original.intent.id, step.status])).toEqual([
      ['e1', 'undo'],
      ['u1.1', 'protected'],
    ]);
    const preview = JSON.stringify(rollbackPreviewBlocks({ locale: 'en', plan, actor: 'U0ROGUE', since: input.since }));
    expect(preview).toMatch(/Unblock.*carol.*skipped: protected account/);

    const results = await runRollback(plan, { ...f.run('U0LEAD'), command: 'rollback', reader: f.nim, rollbackId: 'rb' });
    expect(results.map((result) => [result.original, result.status, result.detail])).toEqual([
      ['e1', 'undone', undefined],
      ['u1.1', 'skipped', 'protected_account'],
    ]);
    expect(f.emulator.getUser('carol')?.valid).not.toBe(false);
    expect(f.emulator.received.filter((r) => r.endpoint === 'user/block.action')).toHaveLength(1);
    expect(JSON.stringify(rollbackReportBlocks({ locale: 'en', results }))).toMatch(/u1\.1.*carol.*skipped: protected account/);
  });

  it('10 changes over 4 accounts, one changed since by someone else: 9 undone newest first, 1 skipped', async () => {
    const f = await undoFixture(cleanups);
    f.clock.now = NOW - 3 * 3_600_000;
    await f.editCard('U0ROGUE', 'alice', { name: 'too old to roll back' }, 'old');
    f.clock.now = NOW;
    const rogue = ['alice:A1', 'alice:A2', 'alice:A3', 'bob:B1', 'bob:B2', 'dave:D1'];
    let n = 0;
    for (const step of rogue) {
      const [accid, name] = step.split(':');
      f.clock.now += 1000;
      await f.editCard('U0ROGUE', accid!, { name: name! }, `r${++n}`);
    }
    f.clock.now += 1000;
    await f.sanction('U0ROGUE', { kind: 'mute', accids: ['carol'], reason: 'x', scope: 'everywhere', duration: parseDuration('1d') }, 'r7');
    f.clock.now += 1000;
    await f.sanction('U0ROGUE', { kind: 'block', accids: ['carol'], reason: 'x' }, 'r8');
    f.clock.now += 1000;
    await f.editCard('U0ROGUE', 'carol', { sign: 'pwned' }, 'r9');
    f.clock.now += 1000;
    await f.editCard('U0ROGUE', 'dave', { sign: 'pwned' }, 'r10');
    // Someone else fixed Dave's name meanwhile: that change of the rogue's is not theirs to overwrite.
    await f.editCard('U0FIXER', 'dave', { name: 'David' }, 'fix');

    const plan = await previewRollback(f.store, f.nim, { actor: 'U0ROGUE', since: NOW - 3_600_000, correlationId: 'rb' });
    expect(plan.accounts).toBe(4);
    expect(plan.steps.map((s) => [s.original.intent.id, s.status])).toEqual(
      [
        ['r10', 'undo'],
        ['r9.1', 'undo'],
        ['r9', 'undo'],
        ['r8.1', 'undo'],
        ['r7.1', 'undo'],
        ['r6', 'changed_since'],
        ['r5', 'undo'],
        ['r4', 'undo'],
        ['r3', 'undo'],
        ['r2', 'undo'],
        ['r1', 'undo'],
      ].filter(([id]) => id !== 'r9.1'),
    );
    const progress: number[] = [];
    const results = await runRollback(plan, {
      ...f.run('U0LEAD'),
      command: 'rollback',
      reader: f.nim,
      rollbackId: 'rb',
      onProgress: (s) => progress.push(s),
    });
    expect(results.filter((r) => r.status === 'undone')).toHaveLength(9);
    expect(results.filter((r) => r.status === 'skipped_changed_since').map((r) => r.original)).toEqual(['r6']);
    expect(progress.at(-1)).toBe(10);
    expect(f.emulator.getUser('alice')?.name).toBe('too old to roll back');
    expect(f.emulator.getUser('bob')?.name).toBe('Bob');
    expect(f.emulator.getUser('dave')).toMatchObject({ name: 'David' });
    expect(f.emulator.getUser('dave')?.sign ?? '').toBe('');
    expect(f.emulator.getUser('carol')).toMatchObject({ mute: false, valid: true });
    expect(await f.store.pendingLifts(['carol'])).toEqual([]);
    const undos = (await f.records()).filter((r) => r.kind === 'intent' && typeof r.undoes === 'string');
    expect(undos).toHaveLength(9);
    expect(undos.every((r) => r.actor === 'U0LEAD')).toBe(true);
    // Each undo is its own audited change, but the audit channel gets the rollback's one message, not nine.
    expect(undos.every((r) => r.kind === 'intent' && r.batch === 'rb')).toBe(true);
    await f.outbox.whenIdle();
    const posted = f.posted.flatMap((entry) => (entry.kind === 'update' ? [entry.intent] : []));
    expect(posted.filter((intent) => intent.undoes !== undefined)).toEqual([]);
    expect(posted.filter((intent) => intent.actor === 'U0ROGUE')).toHaveLength(11);
  });

  it('a change someone else undid already is skipped', async () => {
    const f = await undoFixture(cleanups);
    await f.editCard('U0ROGUE', 'bob', { name: 'B1' }, 'r1');
    f.clock.now += 1000;
    const plan0 = await previewRollback(f.store, f.nim, { actor: 'U0ROGUE', since: NOW - 1, correlationId: 'rb0' });
    await runRollback(plan0, { ...f.run('U0FIXER'), reader: f.nim, rollbackId: 'rb0' });
    const plan = await previewRollback(f.store, f.nim, { actor: 'U0ROGUE', since: NOW - 1, correlationId: 'rb' });
    expect(plan.steps.map((s) => s.status)).toEqual(['already_undone']);
  });

  it('a change made after the preview is not rolled back: the person has not seen it', async () => {
    const f = await undoFixture(cleanups);
    await f.editCard('U0ROGUE', 'bob', { name: 'B1' }, 'r1');
    f.clock.now += 1000;
    const previewedAt = f.clock.now;
    f.clock.now += 1000;
    await f.editCard('U0ROGUE', 'alice', { name: 'A1' }, 'r2');
    const plan = await previewRollback(f.store, f.nim, { actor: 'U0ROGUE', since: NOW - 1, until: previewedAt, correlationId: 'rb' });
    expect(plan.steps.map((s) => s.original.intent.id)).toEqual(['r1']);
  });

  it('an approved rollback undoes only the changes its request listed, whatever else falls in the window', async () => {
    const f = await undoFixture(cleanups);
    await f.editCard('U0ROGUE', 'bob', { name: 'B1' }, 'r1');
    f.clock.now += 1000;
    await f.editCard('U0ROGUE', 'alice', { name: 'A1' }, 'r2');
    const only = new Set(['r2']);
    const plan = await previewRollback(f.store, f.nim, { actor: 'U0ROGUE', since: NOW - 1, only, correlationId: 'rb' });
    expect(plan.steps.map((s) => s.original.intent.id)).toEqual(['r2']);
    await runRollback(plan, { ...f.run('U0ASKER', { approvedBy: 'U0APPROVER' }), reader: f.nim, rollbackId: 'rb' });
    expect(f.emulator.getUser('alice')?.name).toBe('Alice');
    expect(f.emulator.getUser('bob')?.name).toBe('B1');
    const undos = (await f.records()).filter((r) => r.kind === 'intent' && r.undoes !== undefined);
    expect(undos).toEqual([expect.objectContaining({ undoes: 'r2', actor: 'U0ASKER', approvedBy: 'U0APPROVER', batch: 'rb' })]);
  });
});
