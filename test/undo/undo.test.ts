import { afterEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/moderation/duration.js';
import { applyUndo } from '../../src/undo/apply.js';
import { prepareUndo, type UndoPreparation } from '../../src/undo/prepare.js';
import { undoFixture, NOW } from './fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function checked(prep: UndoPreparation) {
  if (prep.kind !== 'checked') throw new Error(`expected a checked undo, got ${prep.kind}`);
  return prep;
}

async function undo(f: Awaited<ReturnType<typeof undoFixture>>, id: string, options: { overwrite?: boolean; actor?: string } = {}) {
  const prep = checked(await prepareUndo(f.store, f.nim, id, 'c'));
  const send =
    prep.check.status === 'ready'
      ? prep.check.send
      : prep.check.status === 'changed_since' && options.overwrite
        ? prep.check.overwrite
        : undefined;
  if (!send) return { prep, undoId: undefined };
  const run = f.run(options.actor);
  await applyUndo(prep.inverse, prep.state, send, run);
  return { prep, undoId: run.id };
}

describe('undo one change', () => {
  it('a card edit: restores every field it changed to its before, recorded as a change with undoes', async () => {
    const f = await undoFixture(cleanups);
    await f.editCard('U0EDIT', 'alice', { name: 'Mallory', sign: 'hi', gender: 1 }, 'e1');
    const { prep, undoId } = await undo(f, 'e1');
    expect(prep.check).toEqual({ status: 'ready', send: { name: 'Alice', sign: '', gender: '2' } });
    expect(f.emulator.getUser('alice')).toMatchObject({ name: 'Alice', gender: 2 });
    expect(f.emulator.getUser('alice')?.sign ?? '').toBe('');
    const intent = (await f.records()).find((r) => r.kind === 'intent' && r.id === undoId);
    expect(intent).toMatchObject({
      action: 'update_user_card',
      actor: 'U0MOD',
      undoes: 'e1',
      changes: { name: { before: 'Mallory', after: 'Alice' }, gender: { before: 1, after: 2 } },
    });
    expect(await prepareUndo(f.store, f.nim, 'e1', 'c')).toMatchObject({ kind: 'undone', by: { id: undoId, actor: 'U0MOD' } });
  });

  it('changed since by someone else: shows theirs and sends nothing unless the person overwrites', async () => {
    const f = await undoFixture(cleanups);
    await f.editCard('U0EDIT', 'bob', { name: 'Robert' }, 'e1');
    await f.editCard('U0OTHER', 'bob', { name: 'Bobby' }, 'e2');
    const writes = f.emulator.count({ endpoint: 'user/updateUinfo.action' });
    const { prep, undoId } = await undo(f, 'e1');
    expect(prep.check).toEqual({
      status: 'changed_since',
      changed: [{ key: 'name', left: 'Robert', theirs: 'Bobby', undo: 'Bob' }],
      overwrite: { name: 'Bob' },
    });
    expect(undoId).toBeUndefined();
    expect(f.emulator.count({ endpoint: 'user/updateUinfo.action' })).toBe(writes);
    await undo(f, 'e1', { overwrite: true });
    expect(f.emulator.getUser('bob')?.name).toBe('Bob');
  });

  it('a QChat nickname: restores the nick it replaced', async () => {
    const f = await undoFixture(cleanups);
    await f.editNick('U0EDIT', 'alice', 'troll', 'n1');
    await undo(f, 'n1');
    const read = await f.nim.getServerMember({ serverId: '9001', accid: 'alice' });
    expect(read).toMatchObject({ kind: 'member', member: { nick: 'ali' } });
  });

  it('a timed mute: lifts it and cancels its pending lift', async () => {
    const f = await undoFixture(cleanups);
    await f.sanction(
      'U0MOD',
      { kind: 'mute', accids: ['carol'], reason: 'spam', scope: ['muteTeam', 'muteP2P'], duration: parseDuration('2h') },
      'm1',
    );
    expect(await f.store.pendingLifts(['carol'])).toHaveLength(1);
    const { undoId } = await undo(f, 'm1.1', { actor: 'U0MOD2' });
    expect(f.emulator.getUser('carol')).toMatchObject({ muteTeam: false, muteP2P: false });
    expect(await f.store.pendingLifts(['carol'])).toEqual([]);
    expect((await f.records()).find((r) => r.id === undoId && r.kind === 'intent')).toMatchObject({ action: 'unmute', undoes: 'm1.1' });
  });

  it('an unmute: re-mutes the lifted scope for the time the mute had left, and without end when it had none', async () => {
    const f = await undoFixture(cleanups);
    await f.sanction(
      'U0MOD',
      { kind: 'mute', accids: ['carol'], reason: 'spam', scope: 'everywhere', duration: parseDuration('2h') },
      'm1',
    );
    f.clock.now = NOW + 30 * 60_000;
    await f.sanction('U0MOD', { kind: 'unmute', accids: ['carol'], reason: '' }, 'u1');
    f.clock.now = NOW + 40 * 60_000;
    const { prep } = await undo(f, 'u1.1');
    expect(prep.inverse).toMatchObject({ action: 'mute', set: { mute: 'true' }, mute: { durationMs: 90 * 60_000 } });
    expect(f.emulator.getUser('carol')?.mute).toBe(true);
    const [lift] = await f.store.pendingLifts(['carol']);
    expect(lift?.liftAt).toBe(NOW + 40 * 60_000 + 90 * 60_000);

    await f.sanction(
      'U0MOD',
      { kind: 'mute', accids: ['dave'], reason: 'spam', scope: ['muteRoom'], duration: parseDuration('forever') },
      'm2',
    );
    await f.sanction('U0MOD', { kind: 'unmute', accids: ['dave'], reason: '' }, 'u2');
    const again = await undo(f, 'u2.1');
    expect(again.prep.inverse).toMatchObject({ set: { muteRoom: 'true' }, mute: {} });
    expect(f.emulator.getUser('dave')).toMatchObject({ muteRoom: true, mute: false });
    expect(await f.store.pendingLifts(['dave'])).toEqual([]);
  });

  it('a block is unblocked; an unblock re-blocks without needkick', async () => {
    const f = await undoFixture(cleanups);
    await f.sanction('U0MOD', { kind: 'block', accids: ['bob'], reason: 'fraud', needkick: true }, 'b1');
    await undo(f, 'b1.1');
    expect(f.emulator.getUser('bob')?.valid).not.toBe(false);
    await f.sanction('U0MOD', { kind: 'block', accids: ['dave'], reason: 'fraud' }, 'b2');
    await f.sanction('U0MOD', { kind: 'unblock', accids: ['dave'], reason: 'appeal' }, 'ub2');
    await undo(f, 'ub2.1');
    expect(f.emulator.getUser('dave')?.valid).toBe(false);
    const blocks = f.emulator.received.filter((r) => r.endpoint === 'user/block.action').map((r) => r.form);
    expect(blocks.at(-1)).toMatchObject({ accid: 'dave', needkick: 'false' });
  });

  it('undoing an undo redoes the change', async () => {
    const f = await undoFixture(cleanups);
    await f.editCard('U0EDIT', 'dave', { name: 'Dee' }, 'e1');
    const first = await undo(f, 'e1');
    expect(f.emulator.getUser('dave')?.name).toBe('Dave');
    const redo = await undo(f, first.undoId!);
    expect(redo.prep.inverse).toMatchObject({ undoes: first.undoId, set: { name: 'Dee' } });
    expect(f.emulator.getUser('dave')?.name).toBe('Dee');
  });

  it('refusals, failed changes and unknown entries are not undoable', async () => {
    const f = await undoFixture(cleanups);
    f.emulator.injectFault('user/block.action', { kind: 'code', code: 403, desc: 'forbidden' }, 1);
    await f.sanction('U0MOD', { kind: 'block', accids: ['bob'], reason: 'fraud' }, 'b1');
    expect(await prepareUndo(f.store, f.nim, 'b1.1', 'c')).toEqual({ kind: 'not_undoable', why: 'not_applied' });
    expect(await prepareUndo(f.store, f.nim, 'nope', 'c')).toEqual({ kind: 'unknown_entry' });
  });
});
