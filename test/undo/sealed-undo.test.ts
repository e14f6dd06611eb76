import { afterEach, describe, expect, it } from 'vitest';
import { applyUndo } from '../../src/undo/apply.js';
import { prepareUndo, type UndoPreparation } from '../../src/undo/prepare.js';
import { recheckSealedUndo, sealedUndoSchema, sealUndo } from '../../src/undo/sealed-undo.js';
import { undoFixture } from './fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function checked(prep: UndoPreparation) {
  if (prep.kind !== 'checked') throw new Error(`expected a checked undo, got ${prep.kind}`);
  return prep;
}

describe('an undo sealed into an approval request', () => {
  it('still as the requester saw it: the sealed values are sent, recorded with both people', async () => {
    const f = await undoFixture(cleanups);
    await f.editCard('U0EDIT', 'alice', { name: 'Mallory', sign: 'hi' }, 'e1');
    const asked = checked(await prepareUndo(f.store, f.nim, 'e1', 'c'));
    if (asked.check.status !== 'ready') throw new Error('expected ready');
    const sealed = sealedUndoSchema.parse(JSON.parse(JSON.stringify(sealUndo('e1', asked, asked.check.send))));
    expect(sealed).toMatchObject({ entryId: 'e1', action: 'update_user_card', send: { name: 'Alice', sign: '' } });

    const again = recheckSealedUndo(sealed, await prepareUndo(f.store, f.nim, 'e1', 'c'));
    if (again.kind !== 'ready') throw new Error(`expected ready, got ${again.kind}`);
    const run = f.run('U0ASKER', { approvedBy: 'U0APPROVER' });
    await applyUndo(again.inverse, again.state, again.send, run);
    expect(f.emulator.getUser('alice')?.name).toBe('Alice');
    const intent = (await f.records()).find((r) => r.kind === 'intent' && r.id === run.id);
    expect(intent).toMatchObject({ actor: 'U0ASKER', approvedBy: 'U0APPROVER', undoes: 'e1' });
  });

  it('changed by someone since the request: moved, with what was seen and what is there now', async () => {
    const f = await undoFixture(cleanups);
    await f.editCard('U0EDIT', 'bob', { name: 'Robert' }, 'e1');
    const asked = checked(await prepareUndo(f.store, f.nim, 'e1', 'c'));
    if (asked.check.status !== 'ready') throw new Error('expected ready');
    const sealed = sealUndo('e1', asked, asked.check.send);
    await f.editCard('U0OTHER', 'bob', { name: 'Bobby' }, 'e2');
    expect(recheckSealedUndo(sealed, await prepareUndo(f.store, f.nim, 'e1', 'c'))).toEqual({
      kind: 'moved',
      moved: [{ key: 'name', seen: 'Robert', now: 'Bobby' }],
    });
  });

  it('an overwrite the requester chose stays valid while theirs is still there, and moves when theirs changes', async () => {
    const f = await undoFixture(cleanups);
    await f.editCard('U0EDIT', 'bob', { name: 'Robert' }, 'e1');
    await f.editCard('U0OTHER', 'bob', { name: 'Bobby' }, 'e2');
    const asked = checked(await prepareUndo(f.store, f.nim, 'e1', 'c'));
    if (asked.check.status !== 'changed_since') throw new Error('expected changed_since');
    const sealed = sealUndo('e1', asked, asked.check.overwrite);
    expect(recheckSealedUndo(sealed, await prepareUndo(f.store, f.nim, 'e1', 'c'))).toMatchObject({ kind: 'ready', send: { name: 'Bob' } });
    await f.editCard('U0THIRD', 'bob', { name: 'B.' }, 'e3');
    expect(recheckSealedUndo(sealed, await prepareUndo(f.store, f.nim, 'e1', 'c'))).toMatchObject({ kind: 'moved' });
  });

  it('undone by someone else meanwhile: gone, nothing to send', async () => {
    const f = await undoFixture(cleanups);
    await f.sanction('U0MOD', { kind: 'block', accids: ['dave'], reason: 'fraud' }, 'b1');
    const asked = checked(await prepareUndo(f.store, f.nim, 'b1.1', 'c'));
    if (asked.check.status !== 'ready') throw new Error('expected ready');
    const sealed = sealUndo('b1.1', asked, asked.check.send);
    await applyUndo(asked.inverse, asked.state, asked.check.send, f.run('U0OTHER'));
    expect(recheckSealedUndo(sealed, await prepareUndo(f.store, f.nim, 'b1.1', 'c'))).toMatchObject({
      kind: 'gone',
      prep: { kind: 'undone' },
    });
  });

  it('a sealed undo that sets nothing is refused by its schema', () => {
    const bad = { entryId: 'e1', action: 'block', target: { accid: 'a' }, send: {}, seen: {} };
    expect(sealedUndoSchema.safeParse(bad).success).toBe(false);
  });
});
