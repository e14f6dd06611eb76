import { afterEach, describe, expect, it } from 'vitest';
import type { AuditTrail } from '../../src/audit/index.js';
import { startEmulator } from '../../src/emulator/server.js';
import type { EmulatorSeed } from '../../src/emulator/types.js';
import { parseDuration } from '../../src/moderation/duration.js';
import { carryOut } from '../../src/moderation/execute.js';
import type { Sanction } from '../../src/moderation/sanction.js';
import { NimClient } from '../../src/nim/client.js';
import { rapidRetryPolicy } from '../../src/nim/retry.js';
import { tempDir } from '../audit/helpers.js';
import { auditRecords, openTestTrail } from '../audit/trail.js';

const APP = { appKey: 'k', appSecret: 's' };
const seed: EmulatorSeed = {
  users: [{ accid: 'spam1' }, { accid: 'spam2', mute: true }, { accid: 'spam3', muteTeam: true }, { accid: 'gone', valid: false }],
  qchatServers: [],
};
const NOW = Date.UTC(2026, 11, 1, 14, 0);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp() {
  const emulator = await startEmulator({ apps: [APP], seed });
  const nim = new NimClient({ ...APP, baseUrl: emulator.url, retryPolicy: rapidRetryPolicy, timeoutMs: 300 });
  const { dir, remove } = await tempDir();
  const audit = await openTestTrail(dir, { now: () => NOW });
  const trail: AuditTrail = audit.trail;
  cleanups.push(
    remove,
    () => audit.close(),
    () => nim.close(),
    () => emulator.close(),
  );
  const run = { trail, nim, actor: 'U0ADMIN', command: '/im-mute', correlationId: 'c1', now: () => NOW };
  return { emulator, run, records: () => auditRecords(dir) };
}

const mute = (accids: string[], extra: Partial<Sanction> = {}): Sanction => ({
  kind: 'mute',
  accids,
  reason: 'spam links',
  scope: 'everywhere',
  duration: parseDuration('24h'),
  ...extra,
});

describe('carrying out a sanction on one account', () => {
  const on = (run: Awaited<ReturnType<typeof setUp>>['run'], id: string) => ({ ...run, correlationId: id });

  it('mutes an account once, leaves one already muted, reports one unknown, and shows the state NetEase reports', async () => {
    const { emulator, run, records } = await setUp();
    const reports = [
      await carryOut(mute(['spam1']), on(run, 'c1')),
      await carryOut(mute(['SPAM2']), on(run, 'c2')),
      await carryOut(mute(['nobody']), on(run, 'c3')),
    ];
    expect(reports.map(({ outcomes: [o] }) => [o!.accid, o!.status, o!.card?.mute])).toEqual([
      ['spam1', 'done', true],
      ['SPAM2', 'already', true],
      ['nobody', 'not_found', undefined],
    ]);
    expect(reports[0]!.liftAt).toBe(NOW + 24 * 3_600_000);
    expect(emulator.received.filter((r) => r.endpoint === 'user/mute.action').map((r) => r.form)).toEqual([
      { accid: 'spam1', mute: 'true' },
    ]);
    const intent = (await records()).find((r) => r.kind === 'intent');
    expect(intent).toMatchObject({
      id: 'c1.1',
      action: 'mute',
      actor: 'U0ADMIN',
      target: { accid: 'spam1' },
      changes: { mute: { before: 'false', after: 'true' } },
      sanction: { reason: 'spam links', scope: 'everywhere', durationMs: 86_400_000, liftAt: '2026-12-02T14:00:00.000Z' },
    });
  });

  it('gives the account its entry also when it is already muted or unknown (nothing sent)', async () => {
    const { run, records } = await setUp();
    expect((await carryOut(mute(['SPAM2']), on(run, 'c2'))).outcomes[0]?.auditId).toBe('c2.1');
    await carryOut(mute(['nobody']), on(run, 'c3'));
    const all = await records();
    const entry = (id: string) => ({
      intent: all.find((r) => r.kind === 'intent' && r.id === id),
      outcome: all.find((r) => r.kind === 'outcome' && r.id === id),
    });
    expect(entry('c2.1')).toMatchObject({
      intent: { action: 'mute', actor: 'U0ADMIN', target: { accid: 'spam2' }, changes: {}, sanction: { reason: 'spam links' } },
      outcome: { status: 'not_applied', errorCode: 'already_so' },
    });
    expect(entry('c3.1')).toMatchObject({
      intent: { action: 'mute', target: { accid: 'nobody' }, changes: {} },
      outcome: { status: 'not_applied', errorCode: 'account_not_found' },
    });
  });

  it('takes one account only: more are a batch, and nothing is read or sent', async () => {
    const { emulator, run } = await setUp();
    await expect(carryOut(mute(['spam1', 'spam4']), run)).rejects.toThrow(/one account, not 2: more run as a batch/);
    expect(emulator.count()).toBe(0);
  });

  it('mutes only the modules of the scope that are not muted yet', async () => {
    const { emulator, run } = await setUp();
    const report = await carryOut(mute(['spam3'], { scope: ['muteTeam', 'muteQChat'] }), run);
    expect(report.outcomes[0]).toMatchObject({ status: 'done', card: { muteTeam: true, muteQChat: true, muteP2P: false } });
    expect(emulator.received.filter((r) => r.endpoint === 'user/muteModule.action').map((r) => r.form)).toEqual([
      { accid: 'spam3', muteQChat: 'true' },
    ]);
  });

  it('unmutes everything that is muted: the global flag and each muted module; one not muted is already so', async () => {
    const { emulator, run, records } = await setUp();
    emulator.putUser({ accid: 'both', mute: true, muteRoom: true });
    const both = await carryOut({ kind: 'unmute', accids: ['both'], reason: '' }, on(run, 'c1'));
    const spam1 = await carryOut({ kind: 'unmute', accids: ['spam1'], reason: '' }, on(run, 'c2'));
    expect([both.outcomes[0]?.status, spam1.outcomes[0]?.status]).toEqual(['done', 'already']);
    expect(emulator.getUser('both')).toMatchObject({ mute: false, muteRoom: false });
    const intent = (await records()).find((r) => r.kind === 'intent');
    expect(intent).toMatchObject({ changes: { mute: { before: 'true', after: 'false' }, muteRoom: { before: 'true', after: 'false' } } });
    expect(intent).not.toHaveProperty('sanction.reason');
  });

  it('blocks with needkick and the device message, recorded; an already blocked account is left alone', async () => {
    const { emulator, run, records } = await setUp();
    const block = (accid: string) => ({ kind: 'block' as const, accids: [accid], reason: 'fraud', needkick: true, kickNotifyExt: 'bye' });
    const reports = [await carryOut(block('spam1'), on(run, 'c1')), await carryOut(block('gone'), on(run, 'c2'))];
    expect(reports.map(({ outcomes: [o] }) => [o!.status, o!.card?.valid])).toEqual([
      ['done', false],
      ['already', false],
    ]);
    expect(emulator.received.filter((r) => r.endpoint === 'user/block.action')).toHaveLength(1);
    expect((await records()).find((r) => r.kind === 'intent')).toMatchObject({
      sanction: { reason: 'fraud', needkick: true, kickNotifyExt: 'bye' },
    });
  });

  it('reports a NetEase refusal with its code and the state read back', async () => {
    const { emulator, run } = await setUp();
    emulator.injectFault('user/mute.action', { kind: 'code', code: 403, desc: 'forbidden' }, 1);
    const report = await carryOut(mute(['spam1'], { duration: parseDuration('forever') }), run);
    expect(report.outcomes[0]).toMatchObject({ status: 'failed', nimCode: 403, card: { mute: false } });
    expect(report.liftAt).toBeUndefined();
  });

  it('sends nothing when the account cannot be read first', async () => {
    const { emulator, run, records } = await setUp();
    emulator.injectFault('user/getUinfos.action', { kind: 'code', code: 500 });
    await expect(carryOut(mute(['spam1']), run)).rejects.toMatchObject({ nimCode: 500 });
    expect(emulator.count({ endpoint: 'user/mute.action' })).toBe(0);
    expect(await records().catch(() => [])).toEqual([]);
  });
});
