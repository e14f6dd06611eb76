import { afterEach, expect, it } from 'vitest';
import { describeNeeding } from '../support/prerequisites.js';
import { AuditOutbox, type AuditTrail, type IntentRecord } from '../../src/audit/index.js';
import type { PostgresAuditStore } from '../../src/audit/store/postgres/store.js';
import { startEmulator } from '../../src/emulator/server.js';
import { parseDuration } from '../../src/moderation/duration.js';
import { carryOut } from '../../src/moderation/execute.js';
import { NimClient } from '../../src/nim/client.js';
import { rapidRetryPolicy } from '../../src/nim/retry.js';
import { collectingLogger } from '../audit/helpers.js';
import { postgresMissing, postgresStore, usePostgresServer } from '../audit/store/postgres/fixtures.js';

const APP = { appKey: 'k', appSecret: 's' };
const NOW = Date.UTC(2026, 11, 1, 14, 0);

const title = 'changing your mind: muting again replaces a pending lift, unmuting cancels it';
describeNeeding('postgresql', postgresMissing)(title, () => {
  const { server } = usePostgresServer();
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp() {
    const store: PostgresAuditStore = postgresStore(await server().createDatabase());
    await store.open();
    const emulator = await startEmulator({ apps: [APP], seed: { users: [{ accid: 'spam1', mute: true }], qchatServers: [] } });
    const nim = new NimClient({ ...APP, baseUrl: emulator.url, retryPolicy: rapidRetryPolicy });
    // One store for the records and the schedule, as in the app.
    const logger = collectingLogger();
    const now = () => NOW;
    const outbox = new AuditOutbox({ store, owner: 'app', verify: async () => 'unknown', now, logger });
    const trail: AuditTrail = { store, outbox, owner: 'app', now, logger };
    cleanups.push(
      () => outbox.close(),
      () => nim.close(),
      () => emulator.close(),
      () => store.close(),
    );
    const earlier: IntentRecord = {
      kind: 'intent',
      id: 'old',
      at: new Date(NOW - 60_000).toISOString(),
      actor: 'U0ADMIN',
      action: 'mute',
      command: '/im-mute',
      target: { accid: 'spam1' },
      changes: { mute: { before: 'false', after: 'true' } },
      sanction: { scope: 'everywhere', liftAt: new Date(NOW + 3_600_000).toISOString() },
    };
    await store.appendIntent(earlier, { owner: 'o', leaseUntil: 0, lift: { liftAt: NOW + 3_600_000 } });
    await store.appendOutcome({ kind: 'outcome', id: 'old', at: earlier.at, status: 'applied' });
    const run = { trail, nim, actor: 'U0ADMIN', command: '/im-mute', correlationId: 'new', now: () => NOW, schedule: store };
    return { store, emulator, run };
  }

  it('muting an already-muted account again sends the mute again, schedules the new end with it and cancels the earlier lift', async () => {
    const { store, emulator, run } = await setUp();
    const report = await carryOut(
      { kind: 'mute', accids: ['spam1'], reason: 'again, longer', scope: 'everywhere', duration: parseDuration('7d') },
      run,
    );
    expect(report.outcomes[0]).toMatchObject({ status: 'done' });
    expect(emulator.received.filter((r) => r.endpoint === 'user/mute.action').map((r) => r.form)).toEqual([
      { accid: 'spam1', mute: 'true' },
    ]);
    expect((await store.pendingLifts(['spam1'])).map((lift) => [lift.sanctionId, lift.liftAt])).toEqual([['new.1', NOW + 7 * 86_400_000]]);
  });

  it('a permanent one-to-one mute by someone else leaves the timed global mute and its lift alone', async () => {
    const { store, emulator, run } = await setUp();
    const report = await carryOut(
      { kind: 'mute', accids: ['spam1'], reason: 'dm spam', scope: ['muteP2P'], duration: { forever: true } },
      { ...run, actor: 'U0OTHER' },
    );
    expect(report.outcomes[0]).toMatchObject({ status: 'done' });
    expect(emulator.received.filter((r) => r.endpoint === 'user/muteModule.action').map((r) => r.form)).toEqual([
      { accid: 'spam1', muteP2P: 'true' },
    ]);
    expect((await store.pendingLifts(['spam1'])).map((lift) => lift.sanctionId)).toEqual(['old']);
  });

  it('a permanent global mute covers the timed global one: its lift is cancelled', async () => {
    const { store, emulator, run } = await setUp();
    const report = await carryOut(
      { kind: 'mute', accids: ['spam1'], reason: 'for good', scope: 'everywhere', duration: { forever: true } },
      run,
    );
    expect(report.outcomes[0]).toMatchObject({ status: 'done' });
    expect(emulator.count({ endpoint: 'user/mute.action' })).toBe(1);
    expect(await store.pendingLifts(['spam1'])).toEqual([]);
  });

  it('a timed mute NetEase refused leaves nothing to lift', async () => {
    const { store, emulator, run } = await setUp();
    emulator.putUser({ accid: 'spam9' });
    emulator.injectFault('user/mute.action', { kind: 'code', code: 403, desc: 'forbidden' }, 1);
    const report = await carryOut(
      { kind: 'mute', accids: ['spam9'], reason: 'x', scope: 'everywhere', duration: parseDuration('1h') },
      run,
    );
    expect(report.outcomes[0]).toMatchObject({ status: 'failed', nimCode: 403 });
    expect(await store.pendingLifts(['spam9'])).toEqual([]);
  });

  it('unmuting early cancels the pending lift', async () => {
    const { store, run } = await setUp();
    const report = await carryOut({ kind: 'unmute', accids: ['spam1'], reason: '' }, run);
    expect(report.outcomes[0]).toMatchObject({ status: 'done' });
    expect(await store.pendingLifts(['spam1'])).toEqual([]);
  });

  it('without a lift pending, an already-muted account is left alone', async () => {
    const { store, emulator, run } = await setUp();
    await store.finishLift('old', { status: 'cancelled', at: NOW, why: 'unmuted' });
    const report = await carryOut(
      { kind: 'mute', accids: ['spam1'], reason: 'x', scope: 'everywhere', duration: parseDuration('1h') },
      run,
    );
    expect(report.outcomes[0]).toMatchObject({ status: 'already' });
    expect(emulator.count({ endpoint: 'user/mute.action' })).toBe(0);
  });
});
