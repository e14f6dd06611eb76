import { afterEach, expect, it } from 'vitest';
import { readBackVerifier, type AuditTrail } from '../../src/audit/index.js';
import { settleAbandoned } from '../../src/audit/settlement.js';
import { startEmulator } from '../../src/emulator/server.js';
import { parseDuration } from '../../src/moderation/duration.js';
import { carryOut } from '../../src/moderation/execute.js';
import { NimClient } from '../../src/nim/client.js';
import { rapidRetryPolicy } from '../../src/nim/retry.js';
import { tempDir } from '../audit/helpers.js';
import { auditRecords, openTestTrail } from '../audit/trail.js';

/**
 * NetEase applies a mute after the client gave up and after its one read-back: the entry must not say "not applied"
 * (and a timed mute must keep its lift), and a second read-back later says what happened.
 */

const APP = { appKey: 'k', appSecret: 's' };
const NOW = Date.UTC(2026, 11, 1, 14, 0);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('a 1-minute mute NetEase applies late: unknown, its lift kept, and read back again later as in place', async () => {
  const emulator = await startEmulator({ apps: [APP], seed: { users: [{ accid: 'spam1' }], qchatServers: [] } });
  // No retry of the read-back: the client's one look comes while the mute is still held up in "NetEase".
  const nim = new NimClient({ ...APP, baseUrl: emulator.url, retryPolicy: { ...rapidRetryPolicy, maxAttempts: 1 }, timeoutMs: 200 });
  const { dir, remove } = await tempDir();
  const clock = { ms: NOW };
  const now = () => clock.ms;
  const audit = await openTestTrail(dir, { now });
  const trail: AuditTrail = audit.trail;
  cleanups.push(
    remove,
    () => audit.close(),
    () => nim.close(),
    () => emulator.close(),
  );
  emulator.injectFault('user/mute.action', { kind: 'latency', ms: 600 }, 1);

  const report = await carryOut(
    { kind: 'mute', accids: ['spam1'], reason: 'spam', scope: 'everywhere', duration: parseDuration('1m') },
    { trail, nim, actor: 'U0ADMIN', command: '/im-mute', correlationId: 'c1', now, schedule: trail.store },
  );
  expect(report.outcomes[0]).toMatchObject({ accid: 'spam1', status: 'unknown' });
  const first = (await auditRecords(dir)).find((r) => r.kind === 'outcome' && r.id === 'c1.1');
  expect(first).toMatchObject({ status: 'unknown', readBack: 'not_in_place', errorCode: 'nim_write_unconfirmed' });
  expect(String(first?.detail)).toMatch(/read back again in 60 s/);
  expect((await trail.store.pendingLifts(['spam1'])).map((lift) => lift.sanctionId)).toEqual(['c1.1']);

  // "NetEase" applies it late; a minute on, the second read-back finds it.
  await expect.poll(() => emulator.getUser('spam1')?.mute, { timeout: 5000 }).toBe(true);
  const settle = () =>
    settleAbandoned({ store: trail.store, owner: 'p2', verify: readBackVerifier(nim), now, logger: audit.logger, claimMs: 60_000 });
  expect(await settle()).toBe(0);
  clock.ms = NOW + 60_001;
  expect(await settle()).toBe(1);
  const records = await auditRecords(dir);
  expect(records.find((r) => r.kind === 'intent' && r.id === 'c1.1.recheck')).toMatchObject({
    actor: 'im-admin',
    action: 'mute',
    rechecks: 'c1.1',
    changes: { mute: { before: 'false', after: 'true' } },
  });
  expect(records.find((r) => r.kind === 'outcome' && r.id === 'c1.1.recheck')).toMatchObject({
    status: 'applied_confirmed_by_read_back',
    readBack: 'in_place',
    detail: 'Read back again: c1.1 is in place (NetEase applied it late).',
  });
  expect(await trail.store.entry('c1.1.recheck')).toMatchObject({ outcome: { readBack: 'in_place' } });
});
