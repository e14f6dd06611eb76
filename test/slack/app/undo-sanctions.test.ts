import { afterEach, describe, expect, it } from 'vitest';
import { callbackIds, undoActionIds } from '../../../src/slack/ids.js';
import { buttonValues, visibleText } from '../../support/app-harness.js';
import { updatedView } from './moderation-harness.js';
import { startUpdateHarness, type ModalView, type UpdateHarness } from './update-harness.js';

const ADMIN = 'U0ADMIN';

describe('undo of a sanction, through the app', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  /** The entry id on the audit channel's post whose text matches, once posted. */
  async function auditEntry(match: RegExp, after = 0): Promise<string> {
    const post = await h.slack.waitForCall(
      'chat.postMessage',
      (call) =>
        h.slack.calls('chat.postMessage').indexOf(call) >= after &&
        call.args.channel === h.auditChannel &&
        match.test(visibleText(call.args)),
      15_000,
    );
    const [id] = buttonValues(post, undoActionIds.undo);
    if (!id) throw new Error('no Undo on the entry');
    return id;
  }

  async function undo(entryId: string): Promise<void> {
    const opened = h.slack.calls('views.open').length;
    await h.click(undoActionIds.undo, entryId, ADMIN);
    const open = await h.slack.waitForCall('views.open', (c) => h.slack.calls('views.open').indexOf(c) >= opened, 15_000);
    const viewId = String((open.answer as { view?: { id?: string } }).view?.id);
    const confirm = await h.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === viewId && (c.args.view as { callback_id?: string }).callback_id === callbackIds.undoConfirm,
      15_000,
    );
    await h.submit({ ...(confirm.args.view as ModalView), id: viewId }, ADMIN);
    const done = await h.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === viewId && (c.args.view as { callback_id?: string }).callback_id === callbackIds.notice,
      15_000,
    );
    expect(visibleText(done.args.view as { blocks: unknown[] })).toMatch(/Undone for/);
  }

  it('a timed mute is lifted; undoing that undo mutes again, for the time that was left', async () => {
    h = await startUpdateHarness();
    await h.command('/im-mute', 'alice 24h spam links', ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    await h.submit(confirm, ADMIN);
    const muteId = await auditEntry(/Mute/);
    expect(h.emulator.getUser('alice')?.mute).toBe(true);

    const posted = h.slack.calls('chat.postMessage').length;
    await undo(muteId);
    expect(h.emulator.getUser('alice')?.mute).toBe(false);
    const unmuteId = await auditEntry(/Unmute/, posted);

    await undo(unmuteId);
    expect(h.emulator.getUser('alice')?.mute).toBe(true);
    const redo = (await h.records()).find((r) => r.kind === 'intent' && 'undoes' in r && r.undoes === unmuteId);
    expect(redo).toMatchObject({ action: 'mute', sanction: { scope: 'everywhere', liftAt: expect.any(String) } });
  });

  it('a block is unblocked; undoing that re-blocks without logging devices out', async () => {
    h = await startUpdateHarness();
    await h.command('/im-block', 'alice', ADMIN);
    const form = await h.filledView('moderation_form');
    const confirm = updatedView(await h.submit(form, ADMIN, { reason: 'fraud' }), form.id);
    await h.submit(confirm, ADMIN);
    const blockId = await auditEntry(/Block/);
    expect(h.emulator.getUser('alice')?.valid).toBe(false);

    const posted = h.slack.calls('chat.postMessage').length;
    await undo(blockId);
    expect(h.emulator.getUser('alice')?.valid).not.toBe(false);
    const unblockId = await auditEntry(/Unblock/, posted);
    await undo(unblockId);
    expect(h.emulator.getUser('alice')?.valid).toBe(false);
    const blocks = h.emulator.received.filter((r) => r.endpoint === 'user/block.action').map((r) => r.form);
    expect(blocks.at(-1)).toMatchObject({ accid: 'alice', needkick: 'false' });
  });
  it('the undo of an unblock of a protected account is refused at the click and audited; she is not blocked again', async () => {
    h = await startUpdateHarness({ access: { protectedAccids: ['alice'] } });
    h.emulator.putUser({ ...h.emulator.getUser('alice')!, valid: false });
    await h.command('/im-unblock', 'alice', ADMIN);
    await h.submit(await h.filledView('moderation_confirm'), ADMIN);
    const unblockId = await auditEntry(/Unblock/);
    expect(h.emulator.getUser('alice')?.valid).toBe(true);

    const opened = h.slack.calls('views.open').length;
    await h.click(undoActionIds.undo, unblockId, ADMIN);
    const open = await h.slack.waitForCall('views.open', (c) => h.slack.calls('views.open').indexOf(c) >= opened, 15_000);
    const viewId = String((open.answer as { view?: { id?: string } }).view?.id);
    const refused = await h.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === viewId && /may never be muted or blocked/.test(JSON.stringify(c.args.view)),
      15_000,
    );
    expect((refused.args.view as { callback_id?: string }).callback_id).not.toBe(callbackIds.undoConfirm);
    expect(h.emulator.getUser('alice')?.valid).toBe(true);
    expect(h.emulator.count({ endpoint: 'user/block.action' })).toBe(0);
    const refusals = (await h.records()).filter((r) => r.kind === 'refusal');
    expect(refusals).toEqual([
      expect.objectContaining({ actor: ADMIN, action: 'block', refusal: { reason: 'protected_account', accids: ['alice'] } }),
    ]);
  });
});
