import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import type { AuditStore, ChainHead } from '../../src/audit/store/contract.js';
import { createAuditWiring, type AuditWiring } from '../../src/audit/trail-lifecycle.js';
import { describeNeeding } from '../support/prerequisites.js';
import { collectingLogger } from './helpers.js';
import { postgresMissing, postgresStore, usePostgresServer } from './store/postgres/fixtures.js';
import { refusalAt, T0 } from './store/records.js';
import { sqliteStorage } from './store/sqlite/fixtures.js';

/**
 * Records cut from the end of the trail, with its head row fixed to match, verify "intact" on their own; the head the
 * app posted to the audit channel (and remembered outside the chain) says the trail held more. At start the app says
 * so and /readyz fails, until AUDIT_ACCEPT_HEAD accepts the trail as it is.
 */
type Subject = { newStore(): AuditStore; cutLastRecord(): Promise<void>; close(): Promise<void> };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function scenario(subject: Subject) {
  const clock = { ms: T0 };
  const heads: ChainHead[] = [];
  const alerts: string[] = [];
  const wiring = (acceptHead?: ChainHead): AuditWiring => {
    const w = createAuditWiring({
      settings: { dbPath: 'unused', store: subject.newStore(), ...(acceptHead ? { acceptHead } : {}) },
      nim: { getUinfos: async () => ({ found: [], notFound: [] }), getServerMember: async () => ({ kind: 'not_found' }) } as never,
      logger: { ...collectingLogger(), info: () => undefined } as never,
      now: () => clock.ms,
      post: async () => undefined,
      postHead: async (head) => void heads.push(head),
      postAlert: async (text) => void alerts.push(text),
    });
    cleanups.push(() => w.close());
    return w;
  };

  const first = wiring();
  await first.start();
  for (const [n, id] of ['r1', 'r2', 'r3'].entries()) await first.trail.store.appendRefusal(refusalAt(id, n));
  clock.ms += 61_000;
  first.trail.outbox.kick();
  await expect.poll(() => heads.at(-1)?.count).toBe(3);
  await expect.poll(() => first.trail.store.postedHead?.()).toEqual({ count: 3, hash: heads.at(-1)!.hash });
  expect(first.headProblem()).toBeUndefined();
  await first.close();

  await subject.cutLastRecord();
  const cut = wiring();
  await cut.start();
  expect((await cut.trail.store.verify()).ok).toBe(true);
  const head = await cut.trail.store.head();
  expect(head.count).toBe(2);
  expect(cut.headProblem()).toMatch(/holds 2 records, but the app posted a head of 3 records/);
  expect(cut.headProblem()).toContain(`AUDIT_ACCEPT_HEAD=2:${head.hash}`);
  expect(alerts).toEqual([cut.headProblem()]);
  await cut.close();

  const accepted = wiring({ count: 2, hash: head.hash });
  await accepted.start();
  expect(accepted.headProblem()).toBeUndefined();
  expect(await accepted.trail.store.postedHead?.()).toEqual({ count: 2, hash: head.hash });
  await accepted.close();
  const next = wiring();
  await next.start();
  expect(next.headProblem()).toBeUndefined();
}

it('SQLite: a trail cut at its end is said at start, fails readiness, until AUDIT_ACCEPT_HEAD accepts it', async () => {
  const storage = await sqliteStorage();
  cleanups.push(storage.remove);
  await scenario({
    newStore: () => storage.newStore(),
    async cutLastRecord() {
      const db = new Database(storage.path);
      try {
        db.exec('DROP TRIGGER audit_records_no_delete; DROP TRIGGER audit_chain_head_forward');
        const [last, before] = db
          .prepare<[], { seq: number; body: string }>('SELECT seq, body FROM audit_records ORDER BY seq DESC LIMIT 2')
          .all();
        db.prepare('DELETE FROM audit_records WHERE seq = ?').run(last!.seq);
        const { chainHash } = await import('../../src/audit/store/chain.js');
        db.prepare('UPDATE audit_chain_head SET count = ?, hash = ?, id = ?').run(before!.seq, chainHash(before!.body), 'r2');
      } finally {
        db.close();
      }
    },
    close: storage.remove,
  });
});

describeNeeding('postgresql', postgresMissing)('the head last posted, on PostgreSQL', () => {
  const { server } = usePostgresServer();
  it('PostgreSQL: a trail cut at its end (rows deleted, head row fixed) is said at start until AUDIT_ACCEPT_HEAD', async () => {
    const url = await server().createDatabase();
    await scenario({
      newStore: () => postgresStore(url),
      async cutLastRecord() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const { chainHash } = await import('../../src/audit/store/chain.js');
          await client.query('ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only');
          const { rows } = await client.query<{ seq: string; body: string }>(
            'SELECT seq, body FROM audit_records ORDER BY seq DESC LIMIT 2',
          );
          await client.query('DELETE FROM audit_records WHERE seq = $1', [rows[0]!.seq]);
          await client.query('UPDATE audit_chain_head SET count = $1, hash = $2, id = $3', [rows[1]!.seq, chainHash(rows[1]!.body), 'r2']);
        } finally {
          await client.end();
        }
      },
      close: async () => undefined,
    });
  });
});
