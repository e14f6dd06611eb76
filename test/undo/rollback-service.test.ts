import { afterEach, describe, expect, it } from 'vitest';
import { auditedWrite } from '../../src/audit/index.js';
import type { RollbackRecord } from '../../src/audit/rollback-record.js';
import type { RollbackChannel, RollbackSlice } from '../../src/undo/rollback-progress.js';
import { RollbackService } from '../../src/undo/rollback-service.js';
import { NOW, undoFixture } from './fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const UPDATE = 'user/updateUinfo.action';

/** A channel that remembers what it was asked, and what the store held and NetEase had received at the first post. */
function recordingChannel(onPost: (run: RollbackRecord) => Promise<void>) {
  const seen = { posts: 0, updates: [] as RollbackRecord[], replies: [] as RollbackSlice[] };
  const channel: RollbackChannel = {
    post: async (run) => {
      seen.posts += 1;
      await onPost(run);
      return { channel: 'C0AUDIT', ts: '1.1' };
    },
    update: async (run) => void seen.updates.push(run),
    reply: async (_run, _message, slice) => void seen.replies.push(slice),
  };
  return { channel, seen };
}

async function rogueChanges(f: Awaited<ReturnType<typeof undoFixture>>) {
  f.clock.now = NOW;
  await f.editCard('U0ROGUE', 'alice', { name: 'A1' }, 'r1');
  f.clock.now += 1000;
  await f.editCard('U0ROGUE', 'bob', { name: 'B1' }, 'r2');
  f.clock.now += 1000;
  // Someone else fixed Bob since: not the rollback's to overwrite.
  await f.editCard('U0FIXER', 'bob', { name: 'Robert' }, 'fix');
  f.clock.now += 1000;
}

describe('a rollback as a durable long run', () => {
  it('is stored, and its one message posted, before its first undo; its last update has the counts', async () => {
    const f = await undoFixture(cleanups);
    await rogueChanges(f);
    const atPost: { stored?: RollbackRecord; sent?: number } = {};
    const { channel, seen } = recordingChannel(async (run) => {
      atPost.stored = await f.store.rollback(run.id);
      atPost.sent = f.emulator.count({ endpoint: UPDATE });
    });
    const service = new RollbackService({ trail: f.trail, nim: f.nim, reader: f.nim, channel });
    const sentBefore = f.emulator.count({ endpoint: UPDATE });
    const { run, results } = await service.run({
      id: 'rb',
      lead: 'U0LEAD',
      subject: 'U0ROGUE',
      since: NOW - 60_000,
      until: f.clock.now,
      origin: { user: 'U0LEAD', locale: 'en' },
    });
    expect(atPost.stored).toMatchObject({ state: 'running', items: [{ original: 'r2' }, { original: 'r1' }], settled: {} });
    expect(atPost.sent).toBe(sentBefore);
    expect(results.map((result) => [result.original, result.status])).toEqual([
      ['r2', 'skipped_changed_since'],
      ['r1', 'undone'],
    ]);
    expect(f.emulator.count({ endpoint: UPDATE })).toBe(sentBefore + 1);
    expect(seen.posts).toBe(1);
    const stored = await f.store.rollback('rb');
    expect(stored).toMatchObject({ state: 'finished', posted: { ts: '1.1' }, replies: 1, counts: { undone: 1, skipped_changed_since: 1 } });
    expect(run).toEqual(stored);
    expect(seen.updates.at(-1)).toMatchObject({ state: 'finished', counts: { undone: 1, skipped_changed_since: 1, failed: 0 } });
    expect(seen.replies.map((slice) => slice.items.map((item) => item.result?.status))).toEqual([['skipped_changed_since', 'undone']]);
    // The undo names the rollback as its batch: the channel hears of it through the rollback's message only.
    expect(f.posted.map((entry) => (entry.kind === 'update' ? entry.intent.id : entry.refusal.id))).not.toContain('rb.2');
  });

  it('ends though Slack fails its post; a later sweep posts the one message with the counts and the reply, once', async () => {
    const f = await undoFixture(cleanups);
    await rogueChanges(f);
    let down = true;
    const { channel, seen } = recordingChannel(async () => {
      if (down) throw new Error('An API error occurred: internal_error');
    });
    const service = new RollbackService({ trail: f.trail, nim: f.nim, reader: f.nim, channel });
    await service.run({
      id: 'rb',
      lead: 'U0LEAD',
      subject: 'U0ROGUE',
      since: NOW - 60_000,
      until: f.clock.now,
      origin: { user: 'U0LEAD' },
    });
    const owed = await f.store.rollback('rb');
    expect(owed).toMatchObject({ state: 'finished', replies: 0, announcing: { tries: 0 } });
    expect(owed?.posted).toBeUndefined();
    expect(seen.replies).toEqual([]);
    down = false;
    // Not while the finished run's lease holds; then once, by whichever process sweeps first.
    expect(await service.announceLeftovers()).toBe(0);
    f.clock.now = owed!.leaseUntil + 1;
    expect(await service.announceLeftovers()).toBe(1);
    expect(await f.store.rollback('rb')).toMatchObject({ posted: { ts: '1.1' }, replies: 1 });
    expect((await f.store.rollback('rb'))?.announcing).toBeUndefined();
    expect(seen.updates.at(-1)).toMatchObject({ state: 'finished', counts: { undone: 1, skipped_changed_since: 1 } });
    expect(seen.replies).toHaveLength(1);
    f.clock.now += 3_600_000;
    expect(await service.announceLeftovers()).toBe(0);
    expect(seen.replies).toHaveLength(1);
  });

  it('one a dead process left is reported once and continued only when asked: once, the changes left, none twice', async () => {
    const f = await undoFixture(cleanups);
    await rogueChanges(f);
    await f.editCard('U0ROGUE', 'dave', { name: 'D1' }, 'r3');
    f.clock.now += 1000;
    // The dead run undid Alice's change (its undo is in place, naming the rollback) but died before saving so.
    await auditedWrite(
      f.trail,
      {
        id: 'rb.3',
        actor: 'U0LEAD',
        action: 'update_user_card',
        command: 'rollback',
        target: { accid: 'alice' },
        changes: { name: { before: 'A1', after: 'Alice' } },
        undoes: 'r1',
        batch: 'rb',
      },
      ({ correlationId }) => f.nim.updateUinfo('alice', { name: 'Alice' }, { correlationId }),
    );
    const interrupted: RollbackRecord[] = [];
    const { channel } = recordingChannel(async () => undefined);
    const service = new RollbackService({
      trail: f.trail,
      nim: f.nim,
      reader: f.nim,
      channel,
      events: { interrupted: (run) => void interrupted.push(run) },
    });
    // As a process that died before its first undo left it: running, its lease run out.
    const dead: RollbackRecord = {
      kind: 'rollback',
      id: 'rb',
      actor: 'U0LEAD',
      command: 'rollback',
      subject: 'U0ROGUE',
      since: NOW - 60_000,
      until: f.clock.now,
      items: [
        { original: 'r3', accid: 'dave' },
        { original: 'r2', accid: 'bob' },
        { original: 'r1', accid: 'alice' },
      ],
      state: 'running',
      owner: 'dead',
      leaseUntil: f.clock.now - 1,
      createdAt: f.clock.now - 10_000,
      updatedAt: f.clock.now - 10_000,
      counts: { undone: 0, skipped_changed_since: 0, skipped: 0, failed: 0 },
      settled: {},
      origin: { user: 'U0LEAD', locale: 'en' },
      posted: { channel: 'C0AUDIT', ts: '1.1' },
      replies: 0,
      runs: 1,
    };
    await f.store.saveRollback(dead);
    const sentBefore = f.emulator.count({ endpoint: UPDATE });
    expect((await service.findInterrupted()).map((run) => run.id)).toEqual(['rb']);
    expect(await service.findInterrupted()).toEqual([]);
    expect(interrupted.map((run) => [run.id, run.state])).toEqual([['rb', 'interrupted']]);
    expect(f.emulator.count({ endpoint: UPDATE })).toBe(sentBefore);

    // Refused (IM_APPROVAL_FOR now covers it): nothing sent, and the Continue is still there for later.
    expect(await service.continue('rb', 'U0LEAD', { allow: () => false })).toBe('not_allowed');
    expect(f.emulator.count({ endpoint: UPDATE })).toBe(sentBefore);

    const [once, twice] = await Promise.all([service.continue('rb', 'U0LEAD'), service.continue('rb', 'U0OTHER')]);
    const outcomes = [once, twice].filter((outcome) => typeof outcome === 'object');
    expect(outcomes).toHaveLength(1);
    // Only Dave's change is sent: Alice's was undone by the dead run, Bob's someone else changed since.
    expect(f.emulator.count({ endpoint: UPDATE })).toBe(sentBefore + 1);
    expect(f.emulator.getUser('dave')?.name).toBe('Dave');
    const stored = await f.store.rollback('rb');
    expect(stored).toMatchObject({ state: 'finished', runs: 2, counts: { undone: 2, skipped_changed_since: 1, skipped: 0, failed: 0 } });
    expect(stored!.settled.r1).toEqual({ status: 'undone', undoId: 'rb.3' });
    // The second run's undo ids say which run sent them.
    expect(stored!.settled.r3).toEqual({ status: 'undone', undoId: 'rb.r2.1' });
    expect(await service.continue('rb', 'U0LEAD')).toBeUndefined();
  });
});
