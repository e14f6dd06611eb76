import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../src/simulator/recorder.js';
import { approvalActionIds } from '../../../src/slack/ids.js';
import { defaultPeople, visibleText } from '../../support/app-harness.js';
import { blockTexts } from './moderation-harness.js';
import { AUDIT_CHANNEL, startUpdateHarness, type UpdateHarness } from './update-harness.js';
import { requestShowsOutcome } from './posted-message.js';

const ADMIN = 'U0ADMIN';
const SECOND = 'U0SECOND';
const UPDATE = 'user/updateUinfo.action';
const QCHAT = 'qchat/updateServerMember.action';
const people = [...defaultPeople, { id: SECOND, name: 'Sam Second', role: 'admin' as const }];
const approvals = {
  approvalPolicy: { actions: ['update_user_card' as const, 'qchat_update_member' as const] },
  approvalMinutes: 30,
  approvalExpiryEveryMs: 50,
};

type Harness = UpdateHarness & { removeDir(): Promise<void> };

const requestPosted = (h: Harness): Promise<ApiCall> =>
  h.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === AUDIT_CHANNEL && JSON.stringify(c.args.blocks ?? []).includes(approvalActionIds.approve),
    15_000,
  );
const idOf = (posted: ApiCall) => /"value":"([^"]+)"/.exec(JSON.stringify(posted.args.blocks))![1]!;

/** The admin edits alice's card (name and mobile) and submits: the form's button asks for approval. */
async function requestCardEdit(h: Harness): Promise<{ id: string; posted: ApiCall }> {
  await h.command('/im-user', 'edit alice', ADMIN);
  const view = await h.filledView('edit_card');
  expect(JSON.stringify(view.submit)).toMatch(/Request approval/);
  await h.submit(view, ADMIN, { name: 'Alice <!here> C.', mobile: '+852-61234567' });
  const told = await h.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === ADMIN, 15_000);
  expect(visibleText(told.args as { text?: string })).toMatch(/Your request is posted in <#C0AUDIT>/);
  const posted = await requestPosted(h);
  return { id: idOf(posted), posted };
}

describe('approvals of card edits and QChat member cards (IM_APPROVAL_FOR)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    await h?.removeDir();
    h = undefined;
  });

  it('a card edit waits, shows before → after (escaped, mobile masked), is refused to the requester, runs once for another admin', async () => {
    h = await startUpdateHarness({ people, approvals });
    const { id, posted } = await requestCardEdit(h);
    const shown = blockTexts(posted.args as { blocks: unknown[] });
    expect(shown).toMatch(/Edit the card of `alice`: Nickname, Mobile/);
    expect(shown).toContain('Alice Chen');
    expect(shown).not.toContain('<!here>');
    expect(shown).not.toContain('61234567');
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(0);

    const own = await h.click(approvalActionIds.approve, id, ADMIN);
    expect(visibleText((await h.answer(own.responseId)).body)).toMatch(/you cannot approve it/);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(0);

    await h.click(approvalActionIds.approve, id, SECOND);
    await requestShowsOutcome(h.slack, posted, /Approved by <@U0SECOND>.*carried out/s);
    const sent = h.emulator.received.filter((r) => r.endpoint === UPDATE);
    expect(sent.map((r) => r.form)).toEqual([{ accid: 'alice', name: 'Alice <!here> C.', mobile: '+852-61234567' }]);
    const report = await h.slack.waitForCall(
      'chat.postEphemeral',
      (c) => c.args.user === ADMIN && /Alice Chen/.test(JSON.stringify(c.args)),
      15_000,
    );
    expect(visibleText(report.args as { text?: string })).toMatch(/Alice/);

    const again = await h.click(approvalActionIds.approve, id, SECOND);
    expect(visibleText((await h.answer(again.responseId)).body)).toMatch(/already decided/);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(1);
    const intents = (await h.records()).filter((r) => r.kind === 'intent');
    expect(intents).toEqual([
      expect.objectContaining({ id, action: 'update_user_card', actor: ADMIN, approvedBy: SECOND, target: { accid: 'alice' } }),
    ]);
  });

  it('a card changed since the request is not overwritten at the approval: nothing sent, approver and requester told', async () => {
    h = await startUpdateHarness({ people, approvals });
    const { id, posted } = await requestCardEdit(h);
    h.emulator.putUser({ ...h.emulator.getUser('alice')!, name: 'Alice (set by someone else)' });

    const click = await h.click(approvalActionIds.approve, id, SECOND);
    expect(visibleText((await h.answer(click.responseId)).body)).toMatch(
      /not carried out: it changed since the request \(Nickname\).*Nothing sent/s,
    );
    await requestShowsOutcome(h.slack, posted, /Approved by <@U0SECOND>.*but not carried out/s);
    const told = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === ADMIN && /changed since/.test(JSON.stringify(c.args)),
      15_000,
    );
    expect(visibleText(told.args as { text?: string })).toMatch(/approved by <@U0SECOND>, but not carried out/);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(0);
    expect(h.emulator.getUser('alice')?.name).toBe('Alice (set by someone else)');
    expect(
      (await h.records()).filter((r) => r.kind === 'intent' && r.action === 'update_user_card' && Object.keys(r.changes).length > 0),
    ).toEqual([]);
  });

  it('/qchat-nick asks for approval; another admin approves and the nickname is set once, recorded with both', async () => {
    h = await startUpdateHarness({ people, approvals });
    const { responseId } = await h.command('/qchat-nick', '1513535 alice Alice (lead)', ADMIN);
    expect(visibleText((await h.answer(responseId, 15_000)).body)).toMatch(/Your request is posted/);
    const posted = await requestPosted(h);
    expect(blockTexts(posted.args as { blocks: unknown[] })).toMatch(/`Alice \(PM\)` → `Alice \(lead\)`/);
    expect(h.emulator.count({ endpoint: QCHAT })).toBe(0);

    await h.click(approvalActionIds.approve, idOf(posted), SECOND);
    await expect.poll(() => h!.emulator.count({ endpoint: QCHAT }), { timeout: 15_000 }).toBe(1);
    expect(h.emulator.getServerMember('1513535', 'alice')?.nick).toBe('Alice (lead)');
    await requestShowsOutcome(h.slack, posted, /Approved by <@U0SECOND>/);
    const intents = (await h.records()).filter((r) => r.kind === 'intent');
    expect(intents).toEqual([expect.objectContaining({ action: 'qchat_update_member', actor: ADMIN, approvedBy: SECOND })]);
  });
});
