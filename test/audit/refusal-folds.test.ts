import { afterEach, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/records.js';
import type { PostedMessage } from '../../src/audit/store/contract.js';
import { tempDir } from './helpers.js';
import { refusalAt, T0 } from './store/records.js';
import { openTestTrail } from './trail.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('posts 30 identical refusals within a minute as one message with a count; a new one after the minute is posted anew', async () => {
  const { dir, remove } = await tempDir();
  const calls: { id: string; repeat?: { of: PostedMessage; count: number } }[] = [];
  let ts = 0;
  const post = async (entry: AuditEntry, repeat?: { of: PostedMessage; count: number }) => {
    calls.push({ id: entry.kind === 'refusal' ? entry.refusal.id : '?', ...(repeat ? { repeat } : {}) });
    return repeat?.of ?? { channel: 'C0AUDIT', ts: `1.${++ts}` };
  };
  const audit = await openTestTrail(dir, { post, now: () => T0 });
  cleanups.push(remove, () => audit.close());
  await audit.outbox.start();
  for (let n = 0; n < 30; n++) await audit.store.appendRefusal({ ...refusalAt(`r${n}`, 0), at: new Date(T0 + n * 1000).toISOString() });
  // Another person's refusal is not folded into it.
  await audit.store.appendRefusal(refusalAt('other', 0, { actor: 'U0OTHER' }));
  await audit.store.appendRefusal({ ...refusalAt('later', 0), at: new Date(T0 + 61_000).toISOString() });
  audit.outbox.kick();
  await audit.outbox.whenIdle();

  const fresh = calls.filter((call) => !call.repeat).map((call) => call.id);
  expect(fresh).toEqual(['r0', 'other', 'later']);
  const folded = calls.filter((call) => call.repeat);
  expect(folded.map((call) => call.repeat!.count)).toEqual(Array.from({ length: 29 }, (_, n) => n + 2));
  expect(new Set(folded.map((call) => call.repeat!.of.ts))).toEqual(new Set(['1.1']));
  // Each refusal is still its own record, posted as that one message.
  expect(await audit.store.entry('r29')).toMatchObject({ posted: { channel: 'C0AUDIT', ts: '1.1' } });
  expect(await audit.store.unpostedCount()).toBe(0);
});
