import { afterEach, describe, expect, it } from 'vitest';
import { callbackIds, undoActionIds } from '../../../src/slack/ids.js';
import { buttonValues, visibleText } from '../../support/app-harness.js';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { messageComesToRead, messageNow } from './posted-message.js';
import { startUpdateHarness, type ModalView, type UpdateHarness } from './update-harness.js';

const UPDATE = 'user/updateUinfo.action';
const ADMIN = 'U0ADMIN';

describe('undo from the audit trail', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  async function editName(name: string): Promise<{ entryId: string; post: ApiCall }> {
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    await h.submit(view, ADMIN, { name });
    const post = await h.slack.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === h.auditChannel && visibleText(call.args).includes(name),
      15_000,
    );
    const entryId = buttonValues(post, undoActionIds.undo).at(-1);
    if (!entryId) throw new Error('the audit channel entry has no Undo button');
    return { entryId, post };
  }

  /** Clicks Undo as `user`: the id of the modal it opened (views.open's answer). */
  async function clickUndo(entryId: string, user: string): Promise<string> {
    const opened = h.slack.calls('views.open').length;
    await h.click(undoActionIds.undo, entryId, user);
    const open = await h.slack.waitForCall('views.open', (c) => h.slack.calls('views.open').indexOf(c) >= opened, 15_000);
    const view = (open.answer as { view?: { id?: string } } | undefined)?.view;
    return String(view?.id);
  }

  async function confirmation(entryId: string, user = ADMIN): Promise<ModalView> {
    const viewId = await clickUndo(entryId, user);
    const call = await h.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === viewId && (c.args.view as { callback_id?: string }).callback_id === callbackIds.undoConfirm,
      15_000,
    );
    return { ...(call.args.view as ModalView), id: viewId };
  }

  async function finalText(viewId: string): Promise<string> {
    const call = await h.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === viewId && (c.args.view as { callback_id?: string }).callback_id === callbackIds.notice,
      15_000,
    );
    return visibleText(call.args.view as { blocks: unknown[] });
  }

  it('a card edit undone from its audit channel entry: the confirmation shows exactly what is set, the card is restored, the entry says who undid it', async () => {
    h = await startUpdateHarness();
    const { entryId, post } = await editName('Alice C.');
    const view = await confirmation(entryId);
    const shown = visibleText(view);
    expect(shown).toContain('Alice C.');
    expect(shown).toContain('Alice Chen');
    await h.submit(view, ADMIN);
    expect(await finalText(view.id)).toMatch(/Undone for/);
    expect(h.emulator.getUser('alice')?.name).toBe('Alice Chen');
    const sent = h.emulator.received.filter((r) => r.endpoint === UPDATE).map((r) => r.form);
    expect(sent.at(-1)).toEqual({ accid: 'alice', name: 'Alice Chen' });
    const undo = (await h.records()).find((r) => r.kind === 'intent' && 'undoes' in r && r.undoes === entryId);
    expect(undo).toMatchObject({
      actor: ADMIN,
      action: 'update_user_card',
      changes: { name: { before: 'Alice C.', after: 'Alice Chen' } },
    });
    // The entry's own message, as it stands in the channel now, says who undid it and offers Undo no more.
    await messageComesToRead(h.slack, post, /Undone by <@U0ADMIN>/);
    expect(JSON.stringify(messageNow(h.slack, post).blocks)).not.toContain(undoActionIds.undo);
  });

  it('changed since by someone else: shows theirs and sends nothing until the person chooses to overwrite', async () => {
    h = await startUpdateHarness();
    const { entryId } = await editName('Alice C.');
    h.emulator.putUser({ ...h.emulator.getUser('alice')!, name: 'Alice by someone else' });
    const writes = h.emulator.count({ endpoint: UPDATE });

    const kept = await confirmation(entryId);
    expect(visibleText(kept)).toContain('Alice by someone else');
    const choice = kept.blocks.find((block) => block.block_id === 'undo_conflict_name');
    expect(choice?.element?.type).toBe('radio_buttons');
    await h.submit(kept, ADMIN, {}, { selected: { undo_conflict_name: 'keep' } });
    expect(await finalText(kept.id)).toMatch(/Nothing sent/);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(writes);

    const overwrite = await confirmation(entryId);
    await h.submit(overwrite, ADMIN, {}, { selected: { undo_conflict_name: 'overwrite' } });
    expect(await finalText(overwrite.id)).toMatch(/Undone for/);
    expect(h.emulator.getUser('alice')?.name).toBe('Alice Chen');
  });

  it("a member's Undo is refused and audited, and nothing reaches NetEase", async () => {
    h = await startUpdateHarness();
    const { entryId } = await editName('Alice C.');
    const writes = h.emulator.count({ endpoint: UPDATE });
    const viewId = await clickUndo(entryId, 'U0MEMBER');
    expect(await finalText(viewId)).toMatch(/admin/i);
    const refusal = (await h.records()).find((r) => r.kind === 'refusal');
    expect(refusal).toMatchObject({ actor: 'U0MEMBER', action: 'update_user_card', refusal: { reason: 'not_a_writer' } });
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(writes);
  });

  it('a replayed confirmation undoes once', async () => {
    h = await startUpdateHarness();
    const { entryId } = await editName('Alice C.');
    const view = await confirmation(entryId);
    const body = h.submissionBody(view, ADMIN);
    const { postSigned } = await import('../../support/slack-requests.js');
    await Promise.all([postSigned(h.signer, body), postSigned(h.signer, body)]);
    const notice = (text: RegExp) =>
      h.slack.waitForCall(
        'views.update',
        (c) =>
          c.args.view_id === view.id &&
          (c.args.view as { callback_id?: string }).callback_id === callbackIds.notice &&
          text.test(visibleText(c.args.view as { blocks: unknown[] })),
        15_000,
      );
    await Promise.all([notice(/Undone for/), notice(/Already done/)]);
    const undos = (await h.records()).filter((r) => r.kind === 'intent' && 'undoes' in r && r.undoes === entryId);
    expect(undos).toHaveLength(1);
  });
});
