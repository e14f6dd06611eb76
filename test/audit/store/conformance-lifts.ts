import { expect, it } from 'vitest';
import type { AuditTrail } from '../../../src/audit/audited-write.js';
import { AuditOutbox } from '../../../src/audit/outbox.js';
import type { IntentRecord } from '../../../src/audit/records.js';
import type { AuditStore } from '../../../src/audit/store/contract.js';
import { LiftScheduler } from '../../../src/moderation/scheduler.js';
import { NimApiError } from '../../../src/nim/errors.js';
import type { UserCard } from '../../../src/nim/types.js';
import { collectingLogger } from '../helpers.js';
import { iso, MINUTE, T0 } from './records.js';

/**
 * Timed lifts carried out by the scheduler on the store under test, as both the trail and the schedule (as in the
 * app): what the schedule and the records must allow together. NetEase is a small fake here; the scheduler's own
 * tests use the emulator.
 */
export function liftConformance(
  open: () => Promise<AuditStore>,
  /** Sets a lift's scheduled time behind the store's back, when the test storage can (the file store cannot). */
  moveLift: () => ((sanctionId: string, liftAt: number) => Promise<void>) | undefined,
  /** Makes every write to the lift schedule fail from now on, when the test storage can. */
  failLiftWrites: () => (() => Promise<void>) | undefined,
): void {
  const LIFT_AT = T0 + 60 * MINUTE;

  async function mutedFor(store: AuditStore, id: string, accid: string) {
    const intent: IntentRecord = {
      kind: 'intent',
      id,
      at: iso(T0),
      actor: 'U0ADMIN1',
      action: 'mute',
      command: '/im-mute',
      target: { accid },
      changes: { mute: { before: 'false', after: 'true' } },
      sanction: { reason: 'spam', scope: 'everywhere', durationMs: LIFT_AT - T0, liftAt: iso(LIFT_AT) },
    };
    await store.appendIntent(intent, { owner: 'setter', leaseUntil: T0 + MINUTE, lift: { liftAt: LIFT_AT } });
    await store.appendOutcome({ kind: 'outcome', id, at: iso(T0), status: 'applied' });
  }

  /** NetEase with one muted account whose unmute fails `failures` times with code 500. */
  function fakeNim(accid: string, failures: number) {
    const card: UserCard = { accid, mute: true };
    const sent: boolean[] = [];
    return {
      sent,
      nim: {
        getUinfos: async () => ({ found: [{ ...card }], notFound: [] }),
        setModuleMutes: async () => ({ confirmedByReadBack: false, modules: {} }),
        setGlobalMute: async (_accid: string, mute: boolean) => {
          sent.push(mute);
          if (failures-- > 0) throw new NimApiError('user/mute.action', 500, 'server busy');
          card.mute = mute;
          return { confirmedByReadBack: false };
        },
      },
    };
  }

  it('lifts at the next round a mute whose first lift failed, each attempt under its own entry id', async () => {
    const store = await open();
    await mutedFor(store, 's1', 'spam1');
    const clock = { ms: LIFT_AT };
    const now = () => clock.ms;
    const logger = { ...collectingLogger(), info: () => undefined };
    const outbox = new AuditOutbox({ store, owner: 'app', verify: async () => 'unknown', now, logger });
    const trail: AuditTrail = { store, outbox, owner: 'app', now, logger };
    const { nim, sent } = fakeNim('spam1', 1);
    const scheduler = new LiftScheduler({ schedule: store, nim, trail, owner: 'app', now, logger, leaseMs: MINUTE });
    try {
      expect((await scheduler.runDue()).map((result) => result.status)).toEqual(['failed']);
      clock.ms += MINUTE + 1;
      expect(await scheduler.runDue()).toEqual([
        { sanctionId: 's1', accid: 'spam1', status: 'lifted', liftedBy: 'lift-s1.2', lateMs: MINUTE + 1 },
      ]);
      expect(sent).toEqual([false, false]);
      expect(await store.entry('lift-s1')).toMatchObject({ outcome: { status: 'failed', nimCode: 500 } });
      expect(await store.entry('lift-s1.2')).toMatchObject({ outcome: { status: 'applied' } });
      expect(await store.pendingLifts(['spam1'])).toEqual([]);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await outbox.close();
    }
  });

  it('fails verify when a lift was moved outside the chain, naming the lift', async ({ skip }) => {
    const move = moveLift?.();
    if (!move) return skip('this test storage cannot move a lift behind the store');
    const store = await open();
    await mutedFor(store, 's1', 'spam1');
    expect((await store.verify()).ok).toBe(true);
    await move('s1', T0 + MINUTE);
    const verification = await store.verify();
    expect(verification.ok).toBe(false);
    if (verification.ok) return;
    expect(verification.firstBad).toMatchObject({ position: 1, id: 's1' });
    expect(verification.firstBad.reason).toContain(`its intent records ${iso(LIFT_AT)}`);
  });

  it('writes a lift with its intent or not at all: when the lift cannot be stored, neither is the intent', async ({ skip }) => {
    const fail = failLiftWrites();
    if (!fail) return skip('this test storage cannot make lift writes fail alone');
    const store = await open();
    await fail();
    const intent: IntentRecord = {
      kind: 'intent',
      id: 'm1',
      at: iso(T0),
      actor: 'U0ADMIN1',
      action: 'mute',
      command: '/im-mute',
      target: { accid: 'spam1' },
      changes: { mute: { before: 'false', after: 'true' } },
      sanction: { scope: 'everywhere', liftAt: iso(LIFT_AT) },
    };
    await expect(store.appendIntent(intent, { owner: 'p1', leaseUntil: T0 + MINUTE, lift: { liftAt: LIFT_AT } })).rejects.toThrow();
    expect(await store.entry('m1')).toBeUndefined();
    expect(await store.claimUnsettled({ owner: 'p2', now: T0 + 10 * MINUTE, leaseMs: MINUTE, limit: 10 })).toEqual([]);
    expect((await store.head()).count).toBe(0);
  });
}
