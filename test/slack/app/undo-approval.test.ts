import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { approvalActionIds, callbackIds, undoActionIds } from '../../../src/slack/ids.js';
import { buttonValues, defaultPeople, visibleText } from '../../support/app-harness.js';
import { AUDIT_CHANNEL, startUpdateHarness, type ModalView, type UpdateHarness } from './update-harness.js';
import { requestShowsOutcome } from './posted-message.js';

const ADMIN = 'U0ADMIN';
const SECOND = 'U0SECOND';
const MUTE = 'user/mute.action';
const people = [...defaultPeople, { id: SECOND, name: 'Sam Second', role: 'admin' as const }];
/** Undoing a mute unmutes: IM_APPROVAL_FOR=unmute covers it, while the mute itself runs directly. */
const approvals = { approvalPolicy: { actions: ['unmute' as const] }, approvalMinutes: 30, approvalExpiryEveryMs: 50 };

type Harness = UpdateHarness & { removeDir(): Promise<void> };

/** Mutes alice directly (mute is not covered) and returns the audit channel entry's id, the one Undo names. */
async function muteAlice(h: Harness): Promise<string> {
  await h.command('/im-mute', 'alice 24h spam links', ADMIN);
  await h.submit(await h.filledView('moderation_confirm'), ADMIN);
  const post = await h.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === AUDIT_CHANNEL && buttonValues(c, undoActionIds.undo).length > 0,
    15_000,
  );
  return buttonValues(post, undoActionIds.undo)[0]!;
}

/** Clicks Undo on the entry as the admin and submits its confirmation: returns the request's id and its message. */
async function requestUndo(h: Harness, entryId: string): Promise<{ id: string; posted: ApiCall }> {
  const opened = h.slack.calls('views.open').length;
  await h.click(undoActionIds.undo, entryId, ADMIN);
  const open = await h.slack.waitForCall('views.open', (c) => h.slack.calls('views.open').indexOf(c) >= opened, 15_000);
  const viewId = String((open.answer as { view?: { id?: string } }).view?.id);
  const confirm = await h.slack.waitForCall(
    'views.update',
    (c) => c.args.view_id === viewId && (c.args.view as { callback_id?: string }).callback_id === callbackIds.undoConfirm,
    15_000,
  );
  expect(JSON.stringify((confirm.args.view as { submit?: unknown }).submit)).toMatch(/Request approval/);
  await h.submit({ ...(confirm.args.view as ModalView), id: viewId }, ADMIN);
  await h.slack.waitForCall(
    'views.update',
    (c) => c.args.view_id === viewId && /Approval requested/.test(JSON.stringify(c.args.view)),
    15_000,
  );
  const posted = await h.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === AUDIT_CHANNEL && buttonValues(c, approvalActionIds.approve).length > 0,
    15_000,
  );
  return { id: buttonValues(posted, approvalActionIds.approve)[0]!, posted };
}

/** What `person` was told so far, in the channel (ephemeral) or by DM. */
function toldTo(h: Harness, person: string): string[] {
  const ephemeral = h.slack.calls('chat.postEphemeral').filter((c) => c.args.user === person);
  const dm = h.slack.calls('chat.postMessage').filter((c) => c.args.channel === person);
  return [...ephemeral, ...dm].map((c) => visibleText(c.args));
}

const answerText = async (h: Harness, click: { responseId: string }) => visibleText((await h.answer(click.responseId)).body);

describe('an undo that needs approval (IM_APPROVAL_FOR)', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('is requested with exactly what it sets; the requester cannot approve; another moderator undoes it once, recorded with both', async () => {
    h = await startUpdateHarness({ people, approvals });
    const muteId = await muteAlice(h);
    const { id, posted } = await requestUndo(h, muteId);
    expect(visibleText(posted.args as { blocks: unknown[] })).toMatch(/Undo.*alice.*This will set:.*→/s);
    expect(h.emulator.getUser('alice')?.mute).toBe(true);

    expect(await answerText(h, await h.click(approvalActionIds.approve, id, ADMIN))).toMatch(/you cannot approve it/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(1);

    await h.click(approvalActionIds.approve, id, SECOND);
    await requestShowsOutcome(h.slack, posted, /Approved by <@U0SECOND>/);
    await expect.poll(() => h.emulator.getUser('alice')?.mute, { timeout: 15_000 }).toBe(false);
    await expect.poll(() => toldTo(h, ADMIN).join('\n'), { timeout: 15_000 }).toMatch(/Undone for `alice`/);

    expect(await answerText(h, await h.click(approvalActionIds.approve, id, SECOND))).toMatch(/already decided/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(2);
    const undos = (await h.records()).filter((r) => r.kind === 'intent' && 'undoes' in r && r.undoes === muteId);
    expect(undos).toEqual([expect.objectContaining({ id, action: 'unmute', actor: ADMIN, approvedBy: SECOND })]);
  });

  it('changed since the request: Approve sends nothing, and both people are told why', async () => {
    h = await startUpdateHarness({ people, approvals });
    const muteId = await muteAlice(h);
    const { id, posted } = await requestUndo(h, muteId);
    // Someone lifts the mute at NetEase meanwhile: the account is no longer what the request showed.
    h.emulator.putUser({ ...h.emulator.getUser('alice')!, mute: false });
    const sent = h.emulator.count({ endpoint: MUTE });

    const approved = await h.click(approvalActionIds.approve, id, SECOND);
    expect(await answerText(h, approved)).toMatch(
      /not carried out: the account changed since the undo was requested \(Global mute: .*Muted → .*Not muted\)/,
    );
    await expect.poll(() => toldTo(h, ADMIN).join('\n'), { timeout: 15_000 }).toMatch(/not carried out: the account changed since/);
    await requestShowsOutcome(h.slack, posted, /but not carried out/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(sent);
    expect(h.emulator.getUser('alice')?.mute).toBe(false);
    expect((await h.records()).filter((r) => r.kind === 'intent' && 'undoes' in r && r.undoes === muteId)).toEqual([]);
  });

  it('NetEase cannot be read at the approval: the request ends approved but not carried out, audited, both people told', async () => {
    h = await startUpdateHarness({ people, approvals });
    const muteId = await muteAlice(h);
    const { id } = await requestUndo(h, muteId);
    h.emulator.injectFault('user/getUinfos.action', { kind: 'code', code: 500, desc: 'server error' }, 20);
    const sent = h.emulator.count({ endpoint: MUTE });

    const approved = await h.click(approvalActionIds.approve, id, SECOND);
    expect(await answerText(h, approved)).toMatch(new RegExp(`Approved, but not carried out: it failed \\(reference \\W?${id}\\W?\\)`));
    const outcome = await h.slack.waitForCall('chat.update', (c) => /but not carried out/.test(JSON.stringify(c.args.blocks)), 15_000);
    expect(visibleText(outcome.args as { blocks: unknown[] })).not.toMatch(/carried out\./);
    expect(visibleText(outcome.args as { blocks: unknown[] })).not.toMatch(/server error/);
    await expect
      .poll(() => toldTo(h, ADMIN).join('\n'), { timeout: 15_000 })
      .toMatch(/approved by <@U0SECOND>, but not carried out: it failed/);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(sent);
    expect(h.emulator.getUser('alice')?.mute).toBe(true);
    const outcomes = (await h.records()).filter((r) => r.kind === 'outcome' && r.id === id);
    expect(outcomes).toEqual([expect.objectContaining({ status: 'not_applied', errorCode: 'not_carried_out' })]);
    expect(await answerText(h, await h.click(approvalActionIds.approve, id, SECOND))).toMatch(/already decided/);
  });

  it('the requester lost their role since asking: Approve sends nothing, "the requester may no longer do this", audited', async () => {
    h = await startUpdateHarness({ people, approvals });
    const muteId = await muteAlice(h);
    const { id } = await requestUndo(h, muteId);
    // The requester's account is taken away from the admins (compromised) before anyone approves.
    h.slack.putPerson({ id: ADMIN, name: 'Ada Admin', role: 'member' });
    const sent = h.emulator.count({ endpoint: MUTE });

    expect(await answerText(h, await h.click(approvalActionIds.approve, id, SECOND))).toMatch(
      /not carried out: the requester may no longer do this\. Nothing sent/,
    );
    await h.slack.waitForCall('chat.update', (c) => /requester may no longer do this/.test(JSON.stringify(c.args.blocks)), 15_000);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(sent);
    expect(h.emulator.getUser('alice')?.mute).toBe(true);
    const outcomes = (await h.records()).filter((r) => r.kind === 'outcome' && r.id === id);
    expect(outcomes).toEqual([
      expect.objectContaining({
        status: 'not_applied',
        errorCode: 'not_carried_out',
        detail: expect.stringMatching(/requester may no longer/),
      }),
    ]);
  });

  it('the account became protected before the approval: re-muting it is not carried out, nothing sent', async () => {
    // Undoing an unmute mutes again: IM_APPROVAL_FOR=mute covers it, while the unmute itself runs directly.
    const remute = { ...approvals, approvalPolicy: { actions: ['mute' as const] } };
    const first = await startUpdateHarness({ people, approvals: remute });
    first.emulator.putUser({ ...first.emulator.getUser('alice')!, mute: true });
    await first.command('/im-unmute', 'alice', ADMIN);
    await first.submit(await first.filledView('moderation_confirm'), ADMIN);
    const post = await first.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === AUDIT_CHANNEL && buttonValues(c, undoActionIds.undo).length > 0,
      15_000,
    );
    const { id } = await requestUndo(first, buttonValues(post, undoActionIds.undo)[0]!);
    await first.close();
    // Restarted on the same store with alice now listed in IM_PROTECTED_ACCIDS.
    h = await startUpdateHarness({ people, approvals: remute, logDir: dirname(first.dbPath), access: { protectedAccids: ['alice'] } });

    expect(await answerText(h, await h.click(approvalActionIds.approve, id, SECOND))).toMatch(
      /not carried out: `alice` is a protected account \(IM_PROTECTED_ACCIDS\).*Nothing sent/,
    );
    expect(h.emulator.count({ endpoint: MUTE })).toBe(0);
    const outcomes = (await h.records()).filter((r) => r.kind === 'outcome' && r.id === id);
    expect(outcomes).toEqual([expect.objectContaining({ status: 'not_applied', errorCode: 'not_carried_out' })]);
  });

  it('expired: a late Approve sends nothing', async () => {
    h = await startUpdateHarness({ people, approvals: { ...approvals, approvalMinutes: 0.02 } });
    const muteId = await muteAlice(h);
    const { id, posted } = await requestUndo(h, muteId);
    await requestShowsOutcome(h.slack, posted, /Expired/);
    expect(await answerText(h, await h.click(approvalActionIds.approve, id, SECOND))).toMatch(/already decided or expired/);
    expect(h.emulator.getUser('alice')?.mute).toBe(true);
    expect(h.emulator.count({ endpoint: MUTE })).toBe(1);
  });
});
