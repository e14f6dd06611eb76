import { afterEach, describe, expect, it } from 'vitest';
import { defaultPeople, mrkdwnTexts, visibleText } from '../../support/app-harness.js';
import { ackJson, startUpdateHarness, type UpdateHarness } from './update-harness.js';

const QCHAT = 'qchat/updateServerMember.action';
const OTHER = 'qchat/updateOtherServerMember.action';
const MEMBER_PAGE = 'qchat/getServerMemberListPage.action';
const ADMIN = 'U0ADMIN';
type Message = { text?: string; blocks?: unknown[] };

describe('/qchat-nick', () => {
  let h: UpdateHarness & { removeDir(): Promise<void> };
  afterEach(async () => {
    await h.close();
    await h.removeDir();
  });

  it('sets a nickname with spaces and answers with the member as NetEase returns it', async () => {
    h = await startUpdateHarness();
    const { ack, responseId } = await h.command('/qchat-nick', '1513535 alice new nick with spaces', ADMIN);
    expect(ack.status).toBe(200);
    const { body } = await h.answer(responseId, 15_000);
    expect(body.response_type).toBe('ephemeral');
    const text = visibleText(body);
    expect(text).toContain('new nick with spaces');
    expect(text).toContain('Member');
    expect(text).toContain('Still a member');
    expect(text).toMatch(/<!date\^1700007200\^\{date_short_pretty\}\|2023-11-15>/);
    expect(h.emulator.received.filter((r) => r.endpoint === QCHAT).map((r) => r.form)).toEqual([
      { accid: 'alice', serverId: '1513535', nick: 'new nick with spaces' },
    ]);
    expect(h.emulator.getServerMember('1513535', 'alice')?.nick).toBe('new nick with spaces');

    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    const audit = visibleText(post.args);
    expect(audit).toContain('QChat member card update');
    expect(audit).toContain('1513535');
    expect(audit).toContain('new nick with spaces');
    const intent = (await h.records()).find((r) => r.kind === 'intent');
    expect(intent).toMatchObject({
      action: 'qchat_update_member',
      target: { accid: 'alice', serverId: '1513535' },
      command: '/qchat-nick',
    });
  });

  it('reads the member first and shows before → after in the answer and the audit entry', async () => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/qchat-nick', '1513535 alice Alice (lead)', ADMIN);
    const text = visibleText((await h.answer(responseId, 15_000)).body);
    expect(text).toContain('`Alice (PM)` → `Alice (lead)`');
    const reads = h.emulator.received.filter((r) => r.endpoint === MEMBER_PAGE);
    expect(reads[0]?.form).toEqual({ serverId: '1513535', accid: 'alice', timetag: '0', limit: '1' });
    const intent = (await h.records()).find((r) => r.kind === 'intent');
    expect(intent).toMatchObject({ changes: { nick: { before: 'Alice (PM)', after: 'Alice (lead)' } } });
    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h.auditChannel, 15_000);
    expect(visibleText(post.args as Message)).toContain('Alice (PM)');
  });

  it('says so and sends nothing when the account is not a member of that server', async () => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/qchat-nick', '1513535 bob Bobby', ADMIN);
    expect(visibleText((await h.answer(responseId, 15_000)).body)).toMatch(/is not a member of QChat server/);
    expect(h.emulator.count({ endpoint: QCHAT })).toBe(0);
    expect((await h.records()).filter((r) => r.kind === 'intent')).toHaveLength(0);
  });

  it('settles a write whose answer was lost by reading the member back (audited as confirmed by read-back)', async () => {
    h = await startUpdateHarness();
    h.emulator.injectFault(QCHAT, { kind: 'drop_connection', afterApply: true }, 1);
    const { responseId } = await h.command('/qchat-nick', '1513535 lina 娜娜 (lost answer)', ADMIN);
    const text = visibleText((await h.answer(responseId, 15_000)).body);
    expect(text).toContain('娜娜 (lost answer)');
    expect(text).toMatch(/read back: the change is in place/);
    expect(h.emulator.count({ endpoint: QCHAT })).toBe(1);
    await expect
      .poll(async () => (await h.records()).find((r) => r.kind === 'outcome'))
      .toMatchObject({ status: 'applied_confirmed_by_read_back' });
  });

  it('with QCHAT_OPERATOR_ACCID, changes the nickname through the admin endpoint as the operator', async () => {
    h = await startUpdateHarness({ qchatOperatorAccid: 'zhangwei' });
    const { responseId } = await h.command('/qchat-nick', '1513535 lina Nana', ADMIN);
    expect(visibleText((await h.answer(responseId, 15_000)).body)).toContain('`娜娜` → `Nana`');
    expect(h.emulator.received.filter((r) => r.endpoint === OTHER).map((r) => r.form)).toEqual([
      { accid: 'zhangwei', serverId: '1513535', otherAccid: 'lina', nick: 'Nana' },
    ]);
    expect(h.emulator.count({ endpoint: QCHAT })).toBe(0);
    expect(h.emulator.getServerMember('1513535', 'lina')?.nick).toBe('Nana');
  });

  it('with an operator who lacks the permission in that server, NetEase refuses (403) and the person is told', async () => {
    h = await startUpdateHarness({ qchatOperatorAccid: 'alice' });
    const { responseId } = await h.command('/qchat-nick', '1513535 lina Nana', ADMIN);
    expect(visibleText((await h.answer(responseId, 15_000)).body)).toMatch(/code 403/);
    expect(h.emulator.getServerMember('1513535', 'lina')?.nick).toBe('娜娜');
    await expect.poll(async () => (await h.records()).find((r) => r.kind === 'outcome')).toMatchObject({ status: 'failed', nimCode: 403 });
  });

  it('refuses a member, calls nothing at NetEase, and audits the refusal', async () => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/qchat-nick', '1513535 alice Sneaky', 'U0MEMBER');
    expect(visibleText((await h.answer(responseId, 15_000)).body)).toMatch(/Editing needs the Slack role/);
    expect(h.emulator.count()).toBe(0);
    expect((await h.records()).find((r) => r.kind === 'refusal')).toMatchObject({
      action: 'qchat_update_member',
      target: { accid: 'alice', serverId: '1513535' },
    });
  });

  it('says what is wrong with a non-numeric server id typed in the command, without calling NetEase', async () => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/qchat-nick', 'abc alice Nick', ADMIN);
    expect(visibleText((await h.answer(responseId, 15_000)).body)).toMatch(/QChat server ID.*whole number/s);
    expect(h.emulator.count()).toBe(0);
  });

  it('with fewer arguments opens a modal prefilled with what was typed and the current nickname; the answer comes ephemerally', async () => {
    h = await startUpdateHarness();
    await h.command('/qchat-nick', '1513535 lina', ADMIN);
    const view = await h.filledView('qchat_nick');
    const initial = Object.fromEntries(view.blocks.filter((b) => b.type === 'input').map((b) => [b.block_id, b.element?.initial_value]));
    expect(initial).toEqual({ serverId: '1513535', accid: 'lina', nick: '娜娜', avatar: undefined, custom: undefined });
    const ack = await h.submit(view, ADMIN, { nick: '娜娜 2' });
    expect(ackJson(ack)).toEqual({});
    const ephemeral = await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
    expect(ephemeral.args).toMatchObject({ channel: 'C0GENERAL', user: ADMIN });
    expect(visibleText(ephemeral.args as Message)).toContain('娜娜 2');
    expect(h.emulator.received.filter((r) => r.endpoint === QCHAT).map((r) => r.form)).toEqual([
      { accid: 'lina', serverId: '1513535', nick: '娜娜 2' },
    ]);
  });

  it('opens the modal with nothing typed, and shows a non-numeric server id under its field', async () => {
    h = await startUpdateHarness();
    await h.command('/qchat-nick', '', ADMIN);
    const view = await h.filledView('qchat_nick');
    const ack = await h.submit(view, ADMIN, { serverId: '15x35', accid: 'alice', nick: 'n'.repeat(65) });
    expect(ackJson(ack)).toEqual({
      response_action: 'errors',
      errors: {
        serverId: 'Must be a whole number from 1 to 18446744073709551615, digits only.',
        nick: 'At most 64 characters (this is 65).',
      },
    });
    const empty = await h.submit(view, ADMIN, { serverId: '1513535', accid: 'alice' });
    expect(ackJson(empty).errors).toEqual({ nick: 'Fill in at least one of nickname, avatar or custom data.' });
    expect(h.emulator.count()).toBe(0);
  });

  it('refuses a member at the modal too', async () => {
    h = await startUpdateHarness();
    await h.command('/qchat-nick', '1513535', 'U0MEMBER');
    const notice = await h.slack.waitForCall('views.update', undefined, 15_000);
    expect(JSON.stringify(notice.args.view)).toMatch(/Editing needs the Slack role/);
    expect((await h.records()).find((r) => r.kind === 'refusal')).toMatchObject({ target: { serverId: '1513535' } });
  });

  it('says which id NetEase did not find (read before any write), quoting its desc, and logs the typo at info without a stack', async () => {
    const logLines: string[] = [];
    h = await startUpdateHarness({ logLines });
    const noServer = await h.command('/qchat-nick', '999 alice Nick', ADMIN);
    expect(visibleText((await h.answer(noServer.responseId, 15_000)).body)).toContain(
      'NetEase has no QChat server `999` (code 404: `server not exist`). Check the server ID',
    );
    const noMember = await h.command('/qchat-nick', '1513535 nosuchuser Nick', ADMIN);
    expect(visibleText((await h.answer(noMember.responseId, 15_000)).body)).toContain(
      '`nosuchuser` is not a member of QChat server `1513535` (NetEase says so), so nothing was changed',
    );
    expect(h.emulator.count({ endpoint: QCHAT })).toBe(0);
    const failures = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => String(line.msg).startsWith('qchat-nick: reading the member'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      level: 30,
      nimCode: 404,
      desc: 'server not exist',
      endpoint: expect.stringContaining('getServerMemberListPage'),
    });
    expect(failures[0]).not.toHaveProperty('err');
    // Not a typo (QChat not enabled for the NetEase app): still an error, with its stack.
    h.emulator.injectFault('qchat/updateServerMember.action', { kind: 'code', code: 403, desc: 'qchat not enabled' });
    const busy = await h.command('/qchat-nick', '1513535 alice Nick', ADMIN);
    await h.answer(busy.responseId, 15_000);
    const error = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.level === 50);
    expect(error).toMatchObject({ msg: 'qchat-nick: the update failed', err: { type: 'NimApiError' } });
  });

  it('quotes a hostile 404 desc escaped, in Chinese for a Chinese reader', async () => {
    h = await startUpdateHarness({ people: [...defaultPeople, { id: 'U0ZHADMIN', name: 'Wang', role: 'admin', locale: 'zh-CN' }] });
    h.emulator.injectFault('qchat/updateServerMember.action', { kind: 'code', code: 404, desc: 'server member <!channel> not exist' });
    const { responseId } = await h.command('/qchat-nick', '1513535 alice Nick', 'U0ZHADMIN');
    const { body } = await h.answer(responseId, 15_000);
    expect(visibleText(body)).toContain(
      '`alice` 不是圈组服务器 `1513535` 的成员（错误码 404：`server member &lt;!channel&gt; not exist`）',
    );
    for (const text of mrkdwnTexts(body)) expect(text).not.toMatch(/<[!@#]/);
  });

  it('shows usage for help', async () => {
    h = await startUpdateHarness();
    const { responseId } = await h.command('/qchat-nick', 'help', ADMIN);
    expect(visibleText((await h.answer(responseId, 15_000)).body)).toMatch(/Everything after the account ID is the nickname/);
  });
});
