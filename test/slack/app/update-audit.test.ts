import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../../src/emulator/types.js';
import { visibleText } from '../../support/app-harness.js';
import { startUpdateHarness, type UpdateHarness } from './update-harness.js';

const UPDATE = 'user/updateUinfo.action';
const ADMIN = 'U0ADMIN';
type Message = { text?: string; blocks?: unknown[] };

describe('the audit trail of updates', () => {
  let h: (UpdateHarness & { removeDir(): Promise<void> }) | undefined;
  afterEach(async () => {
    await h?.close();
    await h?.removeDir();
    h = undefined;
  });

  const auditPosts = () => h!.slack.calls('chat.postMessage').filter((call) => call.args.channel === h!.auditChannel);
  const edit = async (user: string, typed: Record<string, string>) => {
    await h!.command('/im-user', 'edit alice', user);
    const view = await h!.filledView('edit_card');
    await h!.submit(view, user, typed);
    return h!.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
  };

  it('posts an entry later when chat.postMessage to the audit channel fails', async () => {
    h = await startUpdateHarness();
    h.slack.fail('chat.postMessage', 'ratelimited', 2);
    await edit(ADMIN, { name: 'Posted Later' });
    const posted = await h.slack.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === h!.auditChannel && call.answer?.ok === true,
      15_000,
    );
    expect(visibleText(posted.args as Message)).toContain('Posted Later');
    expect(auditPosts().filter((call) => call.answer?.ok === false)).toHaveLength(2);
    const intent = (await h.records()).find((r) => r.kind === 'intent')!;
    await expect.poll(async () => (await h!.records()).filter((r) => r.kind === 'posted' && r.id === intent.id)).toHaveLength(1);
  });

  it('after a crash between intent and outcome, posts "outcome unknown" at the next start, with what the card shows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'im-admin-crash-'));
    const intent = (id: string, after: string) =>
      JSON.stringify({
        kind: 'intent',
        id,
        at: '2026-11-22T03:00:00.000Z',
        actor: ADMIN,
        action: 'update_user_card',
        command: 'edit card modal',
        target: { accid: 'alice' },
        changes: { name: { before: 'Old', after } },
      });
    await writeFile(
      join(dir, 'audit.jsonl'),
      `${intent('crash-not-applied', 'Alice Crashed')}\n${intent('crash-applied', 'Alice Chen')}\n`,
    );
    h = await startUpdateHarness({ logDir: dir });
    const entryOf = (id: string) => (call: { args: unknown }) =>
      JSON.stringify(call.args).includes(id) && JSON.stringify(call.args).includes('Outcome unknown');
    await h.slack.waitForCall('chat.postMessage', entryOf('crash-applied'), 15_000);
    const posts = auditPosts().map((call) => visibleText(call.args as Message));
    const notApplied = posts.find((text) => text.includes('crash-not-applied') && text.includes('Outcome unknown'))!;
    expect(notApplied).toMatch(/Outcome unknown/);
    expect(notApplied).toMatch(/read back at restart: \*change not in place\*/);
    expect(posts.find((text) => text.includes('crash-applied') && text.includes('Outcome unknown'))).toMatch(/change in place/);
    // The chain head went to the channel at start, as imported (the two intents; the old trail is imported in the
    // background, and what it left unsettled is settled once it is in), and the trail now holds their outcomes too.
    await h.slack.waitForCall('chat.postMessage', (call) => JSON.stringify(call.args).includes('Audit chain head: 2 records'), 15_000);
    const outcomes = (await h.records()).filter((r) => r.kind === 'outcome');
    expect(outcomes).toEqual([
      expect.objectContaining({ id: 'crash-not-applied', status: 'unknown', recovered: true, readBack: 'not_in_place' }),
      expect.objectContaining({ id: 'crash-applied', status: 'unknown', recovered: true, readBack: 'in_place' }),
    ]);
    await rm(dir, { recursive: true, force: true });
  });

  it.each<[string, Fault]>([
    ['a 431 after the change was applied', { kind: 'code', code: 431, desc: 'duplicate', afterApply: true }],
    ['a timeout after the change was applied', { kind: 'latency', ms: 1500, afterApply: true }],
  ])('reports %s as applied, confirmed by reading the card back', async (_, fault) => {
    h = await startUpdateHarness({ nimTimeoutMs: 500 });
    h.emulator.injectFault(UPDATE, fault, 1);
    const ephemeral = await edit(ADMIN, { name: 'Alice Ambiguous' });
    expect(visibleText(ephemeral.args as Message)).toMatch(/read back: the change is in place/);
    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h!.auditChannel, 15_000);
    expect(visibleText(post.args as Message)).toMatch(/Applied \(confirmed by reading the card back\)/);
    expect((await h.records()).find((r) => r.kind === 'outcome')).toMatchObject({ status: 'applied_confirmed_by_read_back' });
    expect(h.emulator.getUser('alice')?.name).toBe('Alice Ambiguous');
    // Sent once: an ambiguous write is settled by reading back, never by sending it again.
    expect(h.emulator.count({ endpoint: UPDATE })).toBeLessThanOrEqual(1);
  });

  it('reports an ambiguous answer as not applied when reading back shows the old card', async () => {
    h = await startUpdateHarness();
    h.emulator.injectFault(UPDATE, { kind: 'code', code: 500, desc: 'server error' }, 1);
    const ephemeral = await edit(ADMIN, { name: 'Alice Lost' });
    expect(visibleText(ephemeral.args as Message)).toMatch(/reading the card back shows the change is \*not\* in place/);
    expect(h.emulator.getUser('alice')?.name).toBe('Alice Chen');
    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === h!.auditChannel, 15_000);
    expect(visibleText(post.args as Message)).toMatch(/Not applied/);
    expect((await h.records()).find((r) => r.kind === 'outcome')).toMatchObject({ status: 'not_applied' });
  });

  it('does not update, and says so, when the intent cannot be written to the audit log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'im-admin-broken-'));
    h = await startUpdateHarness({ logDir: join(dir, 'log') });
    await h.command('/im-user', 'edit alice', ADMIN);
    const view = await h.filledView('edit_card');
    // The disk goes away under the running app: the log's directory is now a file.
    await rm(join(dir, 'log'), { recursive: true, force: true });
    await writeFile(join(dir, 'log'), 'not a directory');
    await h.submit(view, ADMIN, { name: 'Unaudited' });
    const ephemeral = await h.slack.waitForCall('chat.postEphemeral', undefined, 15_000);
    expect(visibleText(ephemeral.args as Message)).toMatch(/audit trail could not record this change, so nothing was sent to NetEase/);
    expect(h.emulator.count({ endpoint: UPDATE })).toBe(0);
    expect(h.emulator.getUser('alice')?.name).toBe('Alice Chen');
    await rm(dir, { recursive: true, force: true });
  });

  it('logs lookups by /im-user and /im-mute-status without posting them', async () => {
    h = await startUpdateHarness();
    await h.answer((await h.command('/im-user', 'alice bob', 'U0MEMBER')).responseId);
    await h.answer((await h.command('/im-mute-status', 'carol', 'U0MEMBER')).responseId);
    const lookups = (await h.records()).filter((r) => r.kind === 'lookup');
    expect(lookups).toEqual([
      expect.objectContaining({ actor: 'U0MEMBER', command: '/im-user', accids: ['alice', 'bob'] }),
      expect.objectContaining({ actor: 'U0MEMBER', command: '/im-mute-status', accids: ['carol'] }),
    ]);
    expect(auditPosts()).toHaveLength(0);
  });
});
