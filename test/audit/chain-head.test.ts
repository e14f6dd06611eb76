import { afterEach, expect, it } from 'vitest';
import { ChainHeadPublisher } from '../../src/audit/chain-head.js';
import type { ChainHead } from '../../src/audit/store/contract.js';
import { tempDir } from './helpers.js';
import { openTestTrail } from './trail.js';
import { refusalAt } from './store/records.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('posts the chain head after the entries the outbox posts, at most once per gap, and not twice the same', async () => {
  const { dir, remove } = await tempDir();
  const heads: ChainHead[] = [];
  const clock = { ms: Date.UTC(2026, 11, 7, 12, 0) };
  const late: { publisher?: ChainHeadPublisher } = {};
  const audit = await openTestTrail(dir, {
    post: async () => undefined,
    onPosted: () => late.publisher?.afterPosting(),
    now: () => clock.ms,
  });
  const publisher = new ChainHeadPublisher({
    store: audit.store,
    logger: audit.logger,
    post: async (head) => void heads.push(head),
    minGapMs: 300,
    now: () => clock.ms,
  });
  cleanups.push(
    remove,
    () => audit.close(),
    async () => publisher.close(),
  );
  late.publisher = publisher;
  await audit.outbox.start();
  await publisher.start();
  expect(heads).toEqual([]); // an empty chain has nothing to anchor

  await audit.store.appendRefusal(refusalAt('r1', 0));
  audit.outbox.kick();
  await expect.poll(() => heads.map((head) => head.count)).toEqual([1]);

  // Two more entries within the gap: one head follows, once the gap has passed.
  clock.ms += 10;
  await audit.store.appendRefusal(refusalAt('r2', 1));
  audit.outbox.kick();
  await audit.outbox.whenIdle();
  await audit.store.appendRefusal(refusalAt('r3', 2));
  audit.outbox.kick();
  await audit.outbox.whenIdle();
  clock.ms += 300;
  await expect.poll(() => heads.map((head) => head.count)).toEqual([1, 3]);
  expect(heads[1]).toEqual(await audit.store.head());
});
