import { afterEach, describe, expect, it } from 'vitest';
import { approvalActionIds } from '../../../src/slack/ids.js';
import { defaultPeople, visibleText } from '../../support/app-harness.js';
import { blockTexts } from './moderation-harness.js';
import { AUDIT_CHANNEL, startUpdateHarness, type UpdateHarness } from './update-harness.js';

const ZH_ADMIN = 'U0ZHADMIN';
const SECOND = 'U0SECOND';
const people = [
  ...defaultPeople,
  { id: SECOND, name: 'Sam Second', role: 'admin' as const },
  { id: ZH_ADMIN, name: 'Wang', role: 'admin' as const, locale: 'zh-CN' },
];
const approvals = { approvalPolicy: { actions: ['mute' as const] }, approvalMinutes: 30, approvalExpiryEveryMs: 50 };
type Harness = UpdateHarness & { removeDir(): Promise<void> };
const text = (call: { args: unknown }) => visibleText(call.args as { text?: string; blocks?: unknown[] });

describe('what the requester and the channel are told about an approval request', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    await h?.removeDir();
    h = undefined;
  });

  it('a zh-CN requester is told in Chinese at each step; a timed mute counts from the approval; the channel stays English', async () => {
    h = await startUpdateHarness({ people, approvals });
    await h.command('/im-mute', 'alice 24h spam', ZH_ADMIN);
    const confirm = await h.filledView('moderation_confirm');
    const shown = JSON.stringify(confirm);
    expect(shown).toContain('申请审批');
    expect(shown).toContain('从获批时起算');
    expect(shown).not.toContain('从你确认时起算');
    // "NetEase is called when you press the button" is not true of a request: the note about approval replaces it.
    expect(shown).not.toContain('按下按钮后才会调用网易云信');
    await h.submit(confirm, ZH_ADMIN);
    await h.slack.waitForCall('views.update', (c) => JSON.stringify(c.args.view).includes('已申请审批'), 15_000);

    const posted = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === AUDIT_CHANNEL && JSON.stringify(c.args.blocks ?? []).includes(approvalActionIds.approve),
      15_000,
    );
    expect(blockTexts(posted.args as { blocks: unknown[] })).toMatch(/for 24 h from when it is approved/);
    expect(blockTexts(posted.args as { blocks: unknown[] })).not.toMatch(/from when you confirm/);
    const id = /"value":"([^"]+)"/.exec(JSON.stringify(posted.args.blocks))![1]!;

    await h.click(approvalActionIds.approve, id, SECOND);
    const report = await h.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === ZH_ADMIN, 15_000);
    expect(text(report)).toMatch(/你的申请已由 <@U0SECOND> 批准并执行/);
    const entry = await h.slack.waitForCall(
      'chat.postMessage',
      (c) =>
        c.args.channel === AUDIT_CHANNEL &&
        /Approved by <@U0SECOND>/.test(JSON.stringify(c.args.blocks ?? [])) &&
        !/Approved by <@U0SECOND> at/.test(JSON.stringify(c.args.blocks ?? [])),
      15_000,
    );
    expect(text(entry)).toMatch(/Applied/);
  });

  it('a requester who withdraws their own request is told they withdrew it (in Chinese)', async () => {
    h = await startUpdateHarness({ people, approvals });
    await h.command('/im-mute', 'alice 24h spam', ZH_ADMIN);
    await h.submit(await h.filledView('moderation_confirm'), ZH_ADMIN);
    const posted = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === AUDIT_CHANNEL && JSON.stringify(c.args.blocks ?? []).includes(approvalActionIds.approve),
      15_000,
    );
    await h.click(approvalActionIds.reject, /"value":"([^"]+)"/.exec(JSON.stringify(posted.args.blocks))![1]!, ZH_ADMIN);
    const dm = await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === ZH_ADMIN, 15_000);
    expect(text(dm)).toMatch(/你已撤回申请：未发送任何操作/);
  });
});
