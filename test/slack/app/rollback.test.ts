import { afterEach, describe, expect, it } from 'vitest';
import { callbackIds, rollbackActionIds, rollbackBlocks } from '../../../src/slack/ids.js';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { defaultPeople, visibleText } from '../../support/app-harness.js';
import { postSigned } from '../../support/slack-requests.js';
import { startUpdateHarness, type ModalView, type UpdateHarness } from './update-harness.js';
import { messageNow } from './posted-message.js';

const ADMIN = 'U0ADMIN';
const ROGUE = 'U0ROGUE';
const people = [...defaultPeople, { id: ROGUE, name: 'Rae Rogue', role: 'admin' as const }];

const viewOf = (call: ApiCall) => call.args.view as ModalView;

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Roll back… through the running app: /im-audit @person, the button, "since", the preview, the confirmation. */
describe('rolling a person back from /im-audit', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  /** The next views.update (after those so far) showing `callbackId`, as a view to submit. */
  async function nextView(callbackId: string, after: number, viewId?: string): Promise<ModalView> {
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

  async function editCard(user: string, accid: string, typed: Record<string, string>): Promise<void> {
    const before = h.slack.calls('views.update').length;
    await h.command('/im-user', `edit ${accid}`, user);
    const view = await nextView(callbackIds.editCard, before);
    await h.submit(view, user, typed);
    const posted = h.slack.calls('chat.postMessage').length;
    // Done when its audit entry reaches the channel (the card is changed by then).
    await h.slack.waitForCall(
      'chat.postMessage',
      (c) =>
        h.slack.calls('chat.postMessage').indexOf(c) >= posted - 1 &&
        c.args.channel === h.auditChannel &&
        visibleText(c.args).includes(accid),
      15_000,
    );
    await waitFor(() =>
      Object.entries(typed).every(([key, value]) => (h.emulator.getUser(accid) as Record<string, unknown>)[key] === value),
    );
  }

  /** /im-audit @rogue as `user`: the answer's blocks. */
  async function auditOfRogue(user: string): Promise<{ blocks?: { type: string; elements?: { action_id?: string; value?: string }[] }[] }> {
    const { responseId } = await h.command('/im-audit', `<@${ROGUE}|rae>`, user);
    return (await h.answer(responseId)).body as never;
  }

  const hasRollBack = (body: Awaited<ReturnType<typeof auditOfRogue>>) =>
    (body.blocks ?? []).some((block) => block.elements?.some((e) => e.action_id === rollbackActionIds.open && e.value === ROGUE));

  it('10 changes over 4 accounts, one changed since by someone else: 9 undone, 1 skipped, the cards restored, one audit channel message', async () => {
    h = await startUpdateHarness({ people });
    const original = Object.fromEntries(['alice', 'bob', 'lina', 'zhangwei'].map((a) => [a, h.emulator.getUser(a)!]));
    const rogue: [string, Record<string, string>][] = [
      ['alice', { name: 'A1' }],
      ['alice', { name: 'A2' }],
      ['alice', { name: 'A3' }],
      ['bob', { name: 'B1' }],
      ['bob', { name: 'B2' }],
      ['bob', { name: 'B3' }],
      ['lina', { name: 'L1' }],
      ['lina', { sign: 'pwned' }],
      ['zhangwei', { name: 'Z1' }],
      ['zhangwei', { sign: 'pwned' }],
    ];
    for (const [accid, typed] of rogue) await editCard(ROGUE, accid, typed);
    // Someone else fixed Zhang Wei's name since: that change of the rogue's is not the rollback's to overwrite.
    await editCard(ADMIN, 'zhangwei', { name: 'Zhang Wei (fixed)' });

    expect(hasRollBack(await auditOfRogue(ADMIN))).toBe(true);
    const opened = h.slack.calls('views.update').length;
    await h.click(rollbackActionIds.open, ROGUE, ADMIN);
    const since = await nextView(callbackIds.rollbackSince, opened);
    const previewed = h.slack.calls('views.update').length;
    await h.submit(since, ADMIN, {}, { selected: { [rollbackBlocks.period]: '1h' } });
    const preview = await nextView(callbackIds.rollbackConfirm, previewed, since.id);
    const shown = visibleText(preview);
    expect(shown).toContain('10 changes');
    expect(shown).toContain('4 accounts');
    expect(shown).toContain('skipped: someone else changed it since');
    expect(shown).toContain('9 will be undone, 1 skipped.');

    const posts = () => h.slack.calls('chat.postMessage').filter((c) => c.args.channel === h.auditChannel);
    const postsBefore = posts().length;
    const ran = h.slack.calls('views.update').length;
    const body = h.submissionBody(preview, ADMIN);
    await postSigned(h.signer, body);
    const report = await h.slack
      .waitForCall(
        'views.update',
        (c) =>
          h.slack.calls('views.update').indexOf(c) >= ran &&
          c.args.view_id === preview.id &&
          JSON.stringify(viewOf(c).title).includes('Rolled back'),
        20_000,
      )
      .then(viewOf);
    const reported = visibleText(report);
    expect(reported).toContain('Undone 9 · skipped, changed since 1 · skipped 0 · failed 0');

    for (const accid of ['alice', 'bob', 'lina']) {
      expect(h.emulator.getUser(accid)).toMatchObject({ name: original[accid]!.name, sign: original[accid]!.sign });
    }
    expect(h.emulator.getUser('zhangwei')).toMatchObject({ name: 'Zhang Wei (fixed)', sign: original.zhangwei!.sign });

    // A replay of the same confirmation runs nothing again.
    const updatesSent = h.emulator.received.filter((r) => r.endpoint === 'user/updateUinfo.action').length;
    const replayed = h.slack.calls('views.update').length;
    await postSigned(h.signer, body);
    expect(visibleText(await nextView(callbackIds.notice, replayed, preview.id))).toMatch(/already/i);
    expect(h.emulator.received.filter((r) => r.endpoint === 'user/updateUinfo.action')).toHaveLength(updatesSent);

    const message = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === h.auditChannel && visibleText(c.args).includes('Rollback'),
      10_000,
    );
    expect(visibleText(message.args)).toContain(`Rollback by <@${ADMIN}> of the changes <@${ROGUE}>`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const during = posts().slice(postsBefore);
    // One top-level message for the whole rollback, posted when it started; the undos are audited one by one (undoes,
    // the rollback as their batch) but not posted one by one: the per-change list is one thread reply under it.
    const topLevel = during.filter((c) => c.args.thread_ts === undefined);
    expect(topLevel).toHaveLength(1);
    const ts = topLevel[0]!.answer?.ts;
    expect(typeof ts).toBe('string');
    const replies = during.filter((c) => c.args.thread_ts === ts);
    expect(replies).toHaveLength(1);
    expect(visibleText(replies[0]!.args)).toContain('Changes 1–10 of 10:');
    expect(visibleText(replies[0]!.args)).toContain('_skipped: changed since by someone else_');
    const updates = h.slack.calls('chat.update').filter((c) => c.args.channel === h.auditChannel && c.args.ts === ts);
    expect(updates.length).toBeGreaterThan(0);
    // The channel's one message as it stands now (every update applied), not merely the last update sent.
    const final = visibleText(messageNow(h.slack, topLevel[0]!));
    expect(final).toContain(`Rollback by <@${ADMIN}> of the changes <@${ROGUE}>`);
    expect(final).toContain('Undone 9 · skipped, changed since 1 · skipped 0 · failed 0');
    expect(final).not.toContain('Running');
    const stored = await h.records();
    const undos = stored.filter((r) => r.kind === 'intent' && 'undoes' in r && typeof r.undoes === 'string');
    expect(undos).toHaveLength(9);
    expect(undos.every((r) => r.kind === 'intent' && r.actor === ADMIN && typeof r.batch === 'string')).toBe(true);
  }, 60_000);

  it('with IM_APPROVAL_FOR=block, a rollback of card edits only asks no one: it runs at once', async () => {
    h = await startUpdateHarness({ people, approvals: { approvalPolicy: { actions: ['block'] } } });
    const before = h.emulator.getUser('alice')!.name;
    await editCard(ROGUE, 'alice', { name: 'A1' });
    const opened = h.slack.calls('views.update').length;
    await h.click(rollbackActionIds.open, ROGUE, ADMIN);
    const since = await nextView(callbackIds.rollbackSince, opened);
    const previewed = h.slack.calls('views.update').length;
    await h.submit(since, ADMIN, {}, { selected: { [rollbackBlocks.period]: '1h' } });
    const preview = await nextView(callbackIds.rollbackConfirm, previewed, since.id);
    expect(JSON.stringify(preview.submit)).not.toMatch(/Request approval/);
    await h.submit(preview, ADMIN);
    await waitFor(() => h.emulator.getUser('alice')?.name === before);
  });

  it("a member's Roll back is refused in the modal and audited", async () => {
    h = await startUpdateHarness({ people });
    await editCard(ROGUE, 'alice', { name: 'A1' });
    expect(hasRollBack(await auditOfRogue(ADMIN))).toBe(true);
    expect(hasRollBack(await auditOfRogue('U0MEMBER'))).toBe(false);
    const opened = h.slack.calls('views.update').length;
    // A forged click: the button is not shown to a member, but the click is checked whatever its source.
    await h.click(rollbackActionIds.open, ROGUE, 'U0MEMBER');
    const notice = await nextView(callbackIds.notice, opened);
    expect(visibleText(notice)).toContain('Not permitted');
    const refusals = (await h.records()).filter((r) => r.kind === 'refusal' && r.actor === 'U0MEMBER' && r.command === 'rollback');
    expect(refusals).toHaveLength(1);
    // The refusal names whose changes, as a person, so the rogue's history shows the attempt too.
    expect(refusals[0]).toMatchObject({ target: { accid: `<@${ROGUE}>` } });
    const page = visibleText(await auditOfRogue(ADMIN));
    expect(page).toMatch(/Changes of:\* <@U0ROGUE>/);
    expect(page).toMatch(/Refused/);
    expect(h.emulator.getUser('alice')?.name).toBe('A1');
  }, 30_000);
});
