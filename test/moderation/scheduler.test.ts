import { afterEach, expect, it } from 'vitest';
import { describeNeeding } from '../support/prerequisites.js';
import type { AuditTrail, IntentRecord } from '../../src/audit/index.js';
import type { PostgresAuditStore } from '../../src/audit/store/postgres/store.js';
import { startEmulator } from '../../src/emulator/server.js';
import { LiftScheduler } from '../../src/moderation/scheduler.js';
import { NimClient } from '../../src/nim/client.js';
import { rapidRetryPolicy } from '../../src/nim/retry.js';
import { tempDir } from '../audit/helpers.js';
import { auditRecords, openTestTrail } from '../audit/trail.js';
import { postgresMissing, postgresStore, silentLogger, usePostgresServer } from '../audit/store/postgres/fixtures.js';

/**
 * The lift scheduler on the audit store contract, with the PostgreSQL store (a real server the test starts) as the
 * shared schedule, the NetEase emulator, and two "processes" (schedulers with their own owner and store connection).
 */

const APP = { appKey: 'k', appSecret: 's' };
const SET_AT = Date.UTC(2026, 11, 1, 14, 0);
const LIFT_AT = SET_AT + 60_000;
const MUTE = 'user/mute.action';

const title = 'timed sanctions: lifted once, on time or late, never when already lifted or re-muted for longer';
describeNeeding('postgresql', postgresMissing)(title, () => {
  const { server } = usePostgresServer();
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp() {
    const url = await server().createDatabase();
    const emulator = await startEmulator({
      apps: [APP],
      seed: {
        users: [
          { accid: 'spam1', mute: true },
          { accid: 'spam2', muteTeam: true, muteRoom: true },
        ],
        qchatServers: [],
      },
    });
    const nim = new NimClient({ ...APP, baseUrl: emulator.url, retryPolicy: rapidRetryPolicy });
    const { dir, remove } = await tempDir();
    const clock = { ms: SET_AT };
    const now = () => clock.ms;
    const audit = await openTestTrail(dir, { now });
    const trail: AuditTrail = audit.trail;
    cleanups.push(
      remove,
      () => audit.close(),
      () => nim.close(),
      () => emulator.close(),
    );
    const stores: PostgresAuditStore[] = [];
    const openStore = async () => {
      const store = postgresStore(url);
      await store.open();
      stores.push(store);
      cleanups.push(() => store.close());
      return store;
    };
    const process = async (owner: string) =>
      new LiftScheduler({ schedule: await openStore(), nim, trail, owner, now, logger: silentLogger, leaseMs: 30_000 });
    const setter = await openStore();
    /** A mute set through the app: its intent, settled, with the lift scheduled in the same write. */
    /** `scheduledAt`: the schedule's time when it differs from the intent's (moved outside the chain). */
    const sanction = async (
      id: string,
      accid: string,
      liftAt: number,
      scope: IntentRecord['sanction'] = { scope: 'everywhere' },
      scheduledAt = liftAt,
    ) => {
      const intent: IntentRecord = {
        kind: 'intent',
        id,
        at: new Date(SET_AT).toISOString(),
        actor: 'U0ADMIN',
        action: 'mute',
        command: '/im-mute',
        target: { accid },
        changes: { mute: { before: 'false', after: 'true' } },
        sanction: { reason: 'spam links', durationMs: liftAt - SET_AT, liftAt: new Date(liftAt).toISOString(), ...scope },
      };
      await setter.appendIntent(intent, { owner: 'setter', leaseUntil: SET_AT + 30_000, lift: { liftAt: scheduledAt } });
      await setter.appendOutcome({ kind: 'outcome', id, at: intent.at, status: 'applied' });
    };
    return { emulator, clock, process, sanction, records: () => auditRecords(dir) };
  }

  it('a mute for 1 minute, its process stopped, lifted by the next start after the due time: once, audited as late', async () => {
    const { emulator, clock, process, sanction, records } = await setUp();
    await sanction('s1', 'spam1', LIFT_AT);
    const first = await process('first-run');
    expect(await first.runDue()).toEqual([]);
    await first.stop();

    clock.ms = LIFT_AT + 5 * 60_000;
    const restarted = await process('second-run');
    expect(await restarted.runDue()).toEqual([
      { sanctionId: 's1', accid: 'spam1', status: 'lifted', liftedBy: 'lift-s1', lateMs: 300_000 },
    ]);
    expect(await restarted.runDue()).toEqual([]);
    expect(emulator.received.filter((r) => r.endpoint === MUTE).map((r) => r.form)).toEqual([{ accid: 'spam1', mute: 'false' }]);
    expect(emulator.getUser('spam1')?.mute).toBe(false);
    const lift = (await records()).find((r) => r.kind === 'intent');
    expect(lift).toMatchObject({
      id: 'lift-s1',
      actor: 'im-admin',
      action: 'unmute',
      command: 'timed lift',
      target: { accid: 'spam1' },
      changes: { mute: { before: 'true', after: 'false' } },
      sanction: { lifts: 's1', onBehalfOf: 'U0ADMIN', lateMs: 300_000, reason: 'spam links' },
    });
    const outcome = (await records()).find((r) => r.kind === 'outcome');
    expect(outcome).toMatchObject({ id: 'lift-s1', status: 'applied' });
    // NetEase keeps one flag: a mute set again outside the app cannot be told apart, and the entry says so.
    expect(outcome?.detail).toMatch(/set again outside im-admin .*could not be checked/);
  });

  it('refuses a lift whose time was moved outside the chain: nothing sent, the refusal audited, the mute stays', async () => {
    const { emulator, clock, process, sanction, records } = await setUp();
    // The intent says two hours; the schedule row was set to one minute.
    await sanction('s1', 'spam1', SET_AT + 2 * 3_600_000, { scope: 'everywhere' }, LIFT_AT);
    clock.ms = LIFT_AT;
    const scheduler = await process('p');
    expect(await scheduler.runDue()).toEqual([
      { sanctionId: 's1', accid: 'spam1', status: 'cancelled', why: 'schedule_mismatch', lateMs: 0 },
    ]);
    expect(emulator.count({ endpoint: MUTE })).toBe(0);
    expect(emulator.getUser('spam1')?.mute).toBe(true);
    const written = await records();
    expect(written.find((r) => r.kind === 'intent')).toMatchObject({
      id: 'lift-s1',
      action: 'unmute',
      changes: {},
      sanction: { lifts: 's1' },
    });
    expect(written.find((r) => r.kind === 'outcome')).toMatchObject({
      id: 'lift-s1',
      status: 'not_applied',
      errorCode: 'schedule_mismatch',
    });
    expect(String(written.find((r) => r.kind === 'outcome')?.detail)).toContain('2026-12-01T16:00:00.000Z');
    clock.ms = SET_AT + 3 * 3_600_000;
    expect(await scheduler.runDue()).toEqual([]);
  });

  it('two processes sharing the store: the lift is carried out once', async () => {
    const { emulator, clock, process, sanction } = await setUp();
    await sanction('s1', 'spam1', LIFT_AT);
    clock.ms = LIFT_AT;
    const [a, b] = [await process('replica-a'), await process('replica-b')];
    const results = (await Promise.all([a.runDue(), b.runDue()])).flat();
    expect(results.map((r) => r.status)).toEqual(['lifted']);
    expect(results[0]).toMatchObject({ lateMs: 0 });
    expect(emulator.count({ endpoint: MUTE })).toBe(1);
  });

  it('lifts only the modules the sanction muted', async () => {
    const { emulator, clock, process, sanction } = await setUp();
    emulator.putUser({ accid: 'spam2', muteTeam: true, muteRoom: true, muteP2P: true });
    await sanction('s2', 'spam2', LIFT_AT, { scope: ['muteTeam', 'muteRoom'] });
    clock.ms = LIFT_AT;
    await (await process('p')).runDue();
    expect(emulator.received.filter((r) => r.endpoint === 'user/muteModule.action').map((r) => r.form)).toEqual([
      { accid: 'spam2', muteTeam: 'false', muteRoom: 'false' },
    ]);
    expect(emulator.getUser('spam2')).toMatchObject({ muteTeam: false, muteRoom: false, muteP2P: true });
  });

  it('sends nothing when someone already lifted it, and records why', async () => {
    const { emulator, clock, process, sanction } = await setUp();
    await sanction('s1', 'spam1', LIFT_AT);
    emulator.putUser({ accid: 'spam1', mute: false });
    clock.ms = LIFT_AT;
    expect(await (await process('p')).runDue()).toEqual([
      { sanctionId: 's1', accid: 'spam1', status: 'cancelled', why: 'already_lifted', lateMs: 0 },
    ]);
    expect(emulator.count({ endpoint: MUTE })).toBe(0);
  });

  it('a global mute is lifted on time though a longer one-to-one mute followed; the one-to-one mute stays', async () => {
    const { emulator, clock, process, sanction } = await setUp();
    emulator.putUser({ accid: 'spam1', mute: true, muteP2P: true });
    await sanction('s1', 'spam1', LIFT_AT);
    await sanction('s3', 'spam1', LIFT_AT + 3_600_000, { scope: ['muteP2P'] });
    clock.ms = LIFT_AT;
    expect((await (await process('p')).runDue()).map((r) => [r.sanctionId, r.status])).toEqual([['s1', 'lifted']]);
    expect(emulator.getUser('spam1')).toMatchObject({ mute: false, muteP2P: true });
  });

  it('sends nothing when the account was muted again through the app for longer; the later lift stays', async () => {
    const { emulator, clock, process, sanction } = await setUp();
    await sanction('s1', 'spam1', LIFT_AT);
    await sanction('s3', 'spam1', LIFT_AT + 3_600_000);
    clock.ms = LIFT_AT;
    const scheduler = await process('p');
    expect(await scheduler.runDue()).toEqual([{ sanctionId: 's1', accid: 'spam1', status: 'cancelled', why: 'replaced', lateMs: 0 }]);
    expect(emulator.count({ endpoint: MUTE })).toBe(0);
    clock.ms = LIFT_AT + 3_600_000;
    expect((await scheduler.runDue()).map((r) => r.status)).toEqual(['lifted']);
  });
});
