import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { approvalActionIds, callbackIds, rollbackActionIds, rollbackBlocks } from '../../../src/slack/ids.js';
import { buttonValues, defaultPeople, visibleText } from '../../support/app-harness.js';
import { AUDIT_CHANNEL, startUpdateHarness, type ModalView, type UpdateHarness } from './update-harness.js';
import { requestShowsOutcome } from './posted-message.js';

const ADMIN = 'U0ADMIN';
const SECOND = 'U0SECOND';
const ROGUE = 'U0ROGUE';
/** May edit cards (listed in IM_WRITE_USERS) but not moderate: a rollback's approver must do both. */
const WRITER = 'U0WRITER';
const people = [
  ...defaultPeople,
  { id: ROGUE, name: 'Rae Rogue', role: 'admin' as const },
  { id: SECOND, name: 'Sam Second', role: 'admin' as const },
  { id: WRITER, name: 'Wu Writer', role: 'member' as const },
];
const approvals = { approvalPolicy: { actions: ['rollback' as const] }, approvalMinutes: 30, approvalExpiryEveryMs: 50 };
const UPDATE = 'user/updateUinfo.action';

type Harness = UpdateHarness & { removeDir(): Promise<void> };
const viewOf = (call: ApiCall) => call.args.view as ModalView;

async function nextView(h: Harness, callbackId: string, after: number, viewId?: string): Promise<ModalView> {
  const call = await h.slack.waitForCall(
    'views.update',
    (c) =>
      h.slack.calls('views.update').indexOf(c) >= after &&
      viewOf(c).callback_id === callbackId &&
      (viewId === undefined || c.args.view_id === viewId),
    20_000,
  );
  return { ...viewOf(call), id: String(call.args.view_id) };
}

/** Edits a card through /im-user edit, done when the emulator has it. */
async function editCard(h: Harness, user: string, accid: string, typed: Record<string, string>): Promise<void> {
  const before = h.slack.calls('views.update').length;
  await h.command('/im-user', `edit ${accid}`, user);
  await h.submit(await nextView(h, callbackIds.editCard, before), user, typed);
  await expect
    .poll(() => Object.entries(typed).every(([key, value]) => (h.emulator.getUser(accid) as Record<string, unknown>)[key] === value), {
      timeout: 15_000,
    })
    .toBe(true);
}

/** Roll back… the rogue's last hour as the admin, through the preview: the request's id and its message. */
async function requestRollback(h: Harness): Promise<{ id: string; posted: ApiCall }> {
  const opened = h.slack.calls('views.update').length;
  await h.click(rollbackActionIds.open, ROGUE, ADMIN);
  const since = await nextView(h, callbackIds.rollbackSince, opened);
  const previewed = h.slack.calls('views.update').length;
  await h.submit(since, ADMIN, {}, { selected: { [rollbackBlocks.period]: '1h' } });
  const preview = await nextView(h, callbackIds.rollbackConfirm, previewed, since.id);
  expect(JSON.stringify(preview.submit)).toMatch(/Request approval/);
  await h.submit(preview, ADMIN);
  await h.slack.waitForCall(
    'views.update',
    (c) => c.args.view_id === preview.id && /Approval requested/.test(JSON.stringify(c.args.view)),
    15_000,
  );
  const posted = await h.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === AUDIT_CHANNEL && JSON.stringify(c.args.blocks ?? []).includes(approvalActionIds.approve),
    15_000,
  );
  return { id: buttonValues(posted, approvalActionIds.approve)[0]!, posted };
}

/** Every message `person` got by DM so far, as it stands now in the local Slack (a progress message ends as the report). */
const dmsTo = (h: Harness, person: string) =>
  h.slack
    .calls('chat.postMessage')
    .filter((c) => c.args.channel === person && c.answer?.ok === true)
    .map((c) => visibleText(h.slack.message(person, String(c.answer?.ts)) ?? {}))
    .join('\n');

describe('a rollback that needs approval (IM_APPROVAL_FOR=rollback)', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('requests exactly the previewed changes; another moderator runs it once, recorded with both, the requester gets the report', async () => {
    h = await startUpdateHarness({ people, approvals, access: { writeUsers: [WRITER] } });
    const original = { alice: h.emulator.getUser('alice')!, bob: h.emulator.getUser('bob')! };
    await editCard(h, ROGUE, 'alice', { name: 'A1' });
    await editCard(h, ROGUE, 'bob', { name: 'B1' });
    const { id, posted } = await requestRollback(h);
    expect(visibleText(posted.args)).toMatch(/Roll back\* 2 changes over 2 accounts by <@U0ROGUE>/);
    expect(visibleText(posted.args)).toMatch(/will set Nickname/);
    // A change made after the request was not shown in it: it is not rolled back.
    await editCard(h, ROGUE, 'alice', { sign: 'late' });
    const updates = h.emulator.count({ endpoint: UPDATE });

    const own = await h.click(approvalActionIds.approve, id, ADMIN);
    expect(visibleText((await h.answer(own.responseId)).body)).toMatch(/you cannot approve it/);
    const writer = await h.click(approvalActionIds.approve, id, WRITER);
    expect(visibleText((await h.answer(writer.responseId)).body)).toMatch(/Not permitted/);
    const refusals = (await h.records()).filter((r) => r.kind === 'refusal' && r.actor === WRITER);
    expect(refusals).toEqual([expect.objectContaining({ action: 'mute' })]);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(updates);

    await h.click(approvalActionIds.approve, id, SECOND);
    // It runs in the background and may still fail: the request says it started, the report how it ended.
    const outcome = await h.slack.waitForCall('chat.update', (c) => /Approved by <@U0SECOND>/.test(JSON.stringify(c.args.blocks)), 15_000);
    expect(visibleText(outcome.args)).toMatch(/Approved by <@U0SECOND> at .*: started; its own report says how it ends/);
    expect(visibleText(outcome.args)).not.toMatch(/carried out/);
    await expect.poll(() => dmsTo(h, ADMIN), { timeout: 20_000 }).toMatch(/Undone 2 · skipped, changed since 0/);
    expect(dmsTo(h, ADMIN)).toMatch(/Your rollback was approved by <@U0SECOND>/);
    expect(dmsTo(h, SECOND)).toMatch(/You approved the rollback: it runs now, and <@U0ADMIN> gets its progress and report/);
    await requestShowsOutcome(h.slack, posted, /Approved by <@U0SECOND>/);
    expect(h.emulator.getUser('alice')).toMatchObject({ name: original.alice.name, sign: 'late' });
    expect(h.emulator.getUser('bob')?.name).toBe(original.bob.name);

    const again = await h.click(approvalActionIds.approve, id, SECOND);
    expect(visibleText((await h.answer(again.responseId)).body)).toMatch(/already decided/);
    const channel = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === AUDIT_CHANNEL && /Rollback/.test(visibleText(c.args)),
      15_000,
    );
    expect(visibleText(channel.args)).toMatch(/Rollback by <@U0ADMIN>.*approved by <@U0SECOND>/s);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(updates + 2);
    const undos = (await h.records()).filter((r) => r.kind === 'intent' && 'undoes' in r && typeof r.undoes === 'string');
    expect(undos).toHaveLength(2);
    expect(undos.every((r) => r.kind === 'intent' && r.actor === ADMIN && r.approvedBy === SECOND && r.batch === id)).toBe(true);
  }, 60_000);

  it('under IM_APPROVAL_FOR=unmute, a rollback of a mute asks too (its undo unmutes), and sends nothing until approved', async () => {
    h = await startUpdateHarness({ people, approvals: { ...approvals, approvalPolicy: { actions: ['unmute'] } } });
    await h.command('/im-mute', 'alice 24h spam', ROGUE);
    await h.submit(await h.filledView('moderation_confirm'), ROGUE);
    await expect.poll(() => h.emulator.getUser('alice')?.mute, { timeout: 15_000 }).toBe(true);
    await requestRollback(h);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.emulator.getUser('alice')?.mute).toBe(true);
    expect(h.emulator.count({ endpoint: 'user/mute.action' })).toBe(1);
  }, 30_000);

  it('expired: a late Approve undoes nothing', async () => {
    h = await startUpdateHarness({ people, approvals: { ...approvals, approvalMinutes: 0.02 } });
    await editCard(h, ROGUE, 'alice', { name: 'A1' });
    const { id, posted } = await requestRollback(h);
    await requestShowsOutcome(h.slack, posted, /Expired/);
    const updates = h.emulator.count({ endpoint: UPDATE });
    const late = await h.click(approvalActionIds.approve, id, SECOND);
    expect(visibleText((await h.answer(late.responseId)).body)).toMatch(/already decided or expired/);
    expect(h.emulator.getUser('alice')?.name).toBe('A1');
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(updates);
  }, 30_000);

  it('rejected: an entry of its own, a rollback of the rogue’s changes that /im-audit @rogue shows rejected by @x; nothing sent', async () => {
    h = await startUpdateHarness({ people, approvals });
    await editCard(h, ROGUE, 'alice', { name: 'A1' });
    await editCard(h, ROGUE, 'bob', { name: 'B1' });
    const { id } = await requestRollback(h);
    const updates = h.emulator.count({ endpoint: UPDATE });
    await h.click(approvalActionIds.reject, id, SECOND);
    const entry = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === AUDIT_CHANNEL && /Request rejected by/.test(JSON.stringify(c.args.blocks ?? [])),
      15_000,
    );
    const posted = visibleText(entry.args);
    expect(posted).toMatch(/Audit · Rollback/);
    expect(posted).toMatch(/Changes of\*\n<@U0ROGUE>/);
    expect(posted).toMatch(/\n2 changes over 2 accounts since/);
    expect(posted).not.toMatch(/User card update/);
    const intents = (await h.records()).filter((r) => r.kind === 'intent' && r.id === id);
    expect(intents).toEqual([
      expect.objectContaining({
        actor: ADMIN,
        action: 'rollback',
        command: 'rollback',
        target: { accid: '<@U0ROGUE>' },
        rollback: expect.objectContaining({ of: ROGUE, changes: 2, accounts: 2 }),
        approvalEnded: { status: 'rejected', by: SECOND },
      }),
    ]);

    const { responseId } = await h.command('/im-audit', `<@${ROGUE}|rae>`, SECOND);
    const page = visibleText((await h.answer(responseId, 15_000)).body);
    const item = page.split('Rollback*')[1] ?? '';
    expect(item).toMatch(/Request rejected by <@U0SECOND>: nothing sent/);
    expect(item).toMatch(/Changes of:\* <@U0ROGUE>/);
    expect(item).toMatch(/Command:\* `rollback`/);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(updates);
    expect(h.emulator.getUser('alice')?.name).toBe('A1');
  }, 60_000);
});
