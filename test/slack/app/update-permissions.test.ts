import { afterEach, describe, expect, it } from 'vitest';
import { visibleText } from '../../support/app-harness.js';
import { defaultPeople } from '../../support/app-harness.js';
import { messageComesToRead } from './posted-message.js';
import { ackJson, startUpdateHarness, type ModalView, type UpdateHarness } from './update-harness.js';

const UPDATE = 'user/updateUinfo.action';
const ADMIN = 'U0ADMIN';
type Message = { text?: string; blocks?: unknown[] };

describe('who may update a card', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  const auditPost = () => h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);

  it('refuses a member in the modal, naming the missing permission; NetEase is not called; the refusal is audited', async () => {
    h = await startUpdateHarness({ access: { writeUsergroups: ['S0WRITERS'] }, usergroups: { S0WRITERS: [ADMIN] } });
    h.slack.setUsergroup('S0WRITERS', [ADMIN], 'im-writers');
    await h.command('/im-user', 'edit alice', 'U0MEMBER');
    const notice = await h.slack.waitForCall('views.update', undefined, 15_000);
    const text = JSON.stringify(notice.args.view);
    expect(text).toMatch(/Editing needs the Slack role \*workspace admin\* or higher/);
    // The group by the handle a member can look up and ask, not its id.
    expect(text).toContain('one of these user groups: `@im-writers`');
    expect(text).not.toContain('S0WRITERS');
    expect(text).not.toContain('Alice Chen');
    expect(h.emulator.count()).toBe(0);

    const post = visibleText((await auditPost()).args);
    expect(post).toMatch(/refused/i);
    expect(post).toContain('<@U0MEMBER>');
    expect(post).toContain('one of these user groups: `@im-writers`');
    const refusal = (await h.records()).find((r) => r.kind === 'refusal');
    expect(refusal).toMatchObject({
      actor: 'U0MEMBER',
      action: 'update_user_card',
      target: { accid: 'alice' },
      refusal: { reason: 'not_a_writer' },
    });
  });

  it("the same refusal three times within a minute is one audit channel message that comes to say '3 times'", async () => {
    h = await startUpdateHarness();
    for (let n = 0; n < 3; n++) {
      const { responseId } = await h.command('/qchat-nick', '1513535 alice Nick', 'U0MEMBER');
      expect(visibleText((await h.answer(responseId, 15_000)).body)).toMatch(/Not permitted/);
    }
    const first = await auditPost();
    await messageComesToRead(h.slack, first, /Refused \*3 times\* within a minute/);
    expect(h.slack.calls('chat.postMessage').filter((call) => call.args.channel === h.auditChannel)).toHaveLength(1);
    expect((await h.records()).filter((r) => r.kind === 'refusal')).toHaveLength(3);
    expect(h.emulator.count()).toBe(0);
  });

  it('refuses an admin of another workspace (shared channel): nothing is sent, the refusal is audited', async () => {
    h = await startUpdateHarness({ people: [...defaultPeople, { id: 'U0OUTSIDER', name: 'Out Sider', role: 'admin', teamId: 'T0OTHER' }] });
    await h.command('/qchat-nick', '1513535 alice Took Over', 'U0OUTSIDER');
    await h.command('/im-user', 'edit alice', 'U0OUTSIDER');
    const notice = await h.slack.waitForCall('views.update', undefined, 15_000);
    expect(JSON.stringify(notice.args.view)).toMatch(/belongs to another one/);
    await expect.poll(async () => (await h.records()).filter((r) => r.kind === 'refusal').length).toBe(2);
    const refusals = (await h.records()).filter((r) => r.kind === 'refusal');
    expect(refusals.map((r) => (r as { refusal: unknown }).refusal)).toEqual([{ reason: 'other_team' }, { reason: 'other_team' }]);
    expect(h.emulator.count()).toBe(0);
  });

  it('names the writer groups by handle in a refused /qchat-nick, in Chinese too, and by id when Slack cannot list them', async () => {
    h = await startUpdateHarness({ access: { writeUsergroups: ['S0WRITERS', 'S0OPS'] }, usergroups: { S0WRITERS: [], S0OPS: [] } });
    h.slack.setUsergroup('S0WRITERS', [], 'im-writers');
    h.slack.setUsergroup('S0OPS', [], 'ops-oncall');
    const english = await h.command('/qchat-nick', '1513535 alice Nick', 'U0MEMBER');
    expect(visibleText((await h.answer(english.responseId, 15_000)).body)).toContain(
      'one of these user groups: `@im-writers`, `@ops-oncall`. You have neither',
    );
    const chinese = await h.command('/qchat-nick', '1513535 alice Nick', 'U0ZH');
    expect(visibleText((await h.answer(chinese.responseId, 15_000)).body)).toContain('或属于以下用户组之一：`@im-writers`, `@ops-oncall`');
    expect(h.slack.calls('usergroups.list')).toHaveLength(1);
    await h.close();
    await h.removeDir();

    h = await startUpdateHarness({ access: { writeUsergroups: ['S0WRITERS'] }, usergroups: { S0WRITERS: [] } });
    h.slack.fail('usergroups.list', 'ratelimited');
    const fallback = await h.command('/qchat-nick', '1513535 alice Nick', 'U0MEMBER');
    expect(visibleText((await h.answer(fallback.responseId, 15_000)).body)).toContain(
      'one of these user groups: `S0WRITERS`. You have neither',
    );
    expect(h.emulator.count()).toBe(0);
  });

  it('lets a member of a writer user group update', async () => {
    h = await startUpdateHarness({ access: { writeUsergroups: ['S0WRITERS'] }, usergroups: { S0WRITERS: ['U0MEMBER'] } });
    await h.command('/im-user', 'edit alice', 'U0MEMBER');
    const view = await h.filledView('edit_card');
    await h.submit(view, 'U0MEMBER', { sign: 'group-approved' });
    await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
    expect(h.emulator.received.filter((r) => r.endpoint === UPDATE).map((r) => r.form)).toEqual([
      { accid: 'alice', sign: 'group-approved' },
    ]);
  });

  it('lets a person listed in IM_WRITE_USERS update, and holds an owner-only setting against an admin', async () => {
    h = await startUpdateHarness({ access: { writeMinRole: 'owner', writeUsers: ['U0MEMBER'] } });
    await h.command('/im-user', 'edit alice', ADMIN);
    const refused = await h.slack.waitForCall('views.update', undefined, 15_000);
    expect(JSON.stringify(refused.args.view)).toMatch(/workspace owner/);
    await h.command('/im-user', 'edit alice', 'U0MEMBER');
    const view = await h.filledView('edit_card');
    expect(JSON.stringify(view.blocks)).toContain('Alice Chen');
  });

  it('refuses a submission by someone other than who opened the modal; nothing reaches NetEase; audited', async () => {
    h = await startUpdateHarness({ people: [...defaultPeople, { id: 'U0ADMIN2', name: 'Other Admin', role: 'admin' }] });
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    const ack = await h.submit(view, 'U0ADMIN2', { name: 'Hijacked' });
    expect(ack.status).toBe(200);
    expect(ackJson(ack)).toEqual({});
    const dm = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === 'U0ADMIN2', 15_000);
    expect(visibleText(dm.args as Message)).toMatch(/came back changed, or from someone other than who opened it/);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(0);
    expect(h.emulator.getUser('alice')?.name).toBe('Alice Chen');
    expect((await h.records()).find((r) => r.kind === 'refusal')).toMatchObject({
      actor: 'U0ADMIN2',
      target: { accid: 'alice' },
      refusal: { reason: 'tampered_submission' },
    });
    expect(visibleText((await auditPost()).args as Message)).toMatch(/changed, or from someone other than who opened it/);
  });

  it('refuses a submission whose private_metadata was altered (another accid), even by the opener', async () => {
    h = await startUpdateHarness();
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    const [prefix, body, mac] = view.private_metadata!.split('.');
    const data = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as { accid: string };
    data.accid = 'bob';
    const forged: ModalView = { ...view, private_metadata: `${prefix}.${Buffer.from(JSON.stringify(data)).toString('base64url')}.${mac}` };
    await h.submit(forged, ADMIN, { name: 'Not Bob' });
    await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === ADMIN, 15_000);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(0);
    expect((await h.records()).find((r) => r.kind === 'refusal')).toMatchObject({ refusal: { reason: 'tampered_submission' } });
  });

  it('refuses a submission carrying the seal of another modal', async () => {
    h = await startUpdateHarness();
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    await h.submit({ ...view, id: 'V99999999' }, ADMIN, { name: 'Elsewhere' });
    await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === ADMIN, 15_000);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(0);
  });

  it('refuses when Slack cannot say who is asking (users.info fails), and calls nothing at NetEase', async () => {
    h = await startUpdateHarness();
    h.slack.fail('users.info', 'fatal_error');
    await h.command('/im-user', 'edit alice', ADMIN);
    const notice = await h.slack.waitForCall('views.update', undefined, 15_000);
    expect(JSON.stringify(notice.args.view)).toMatch(/could not confirm who you are/);
    expect(h.emulator.count()).toBe(0);
    expect((await h.records()).find((r) => r.kind === 'refusal')).toMatchObject({ refusal: { reason: 'unknown_person' } });
  });
});
