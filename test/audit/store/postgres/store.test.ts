import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { describeNeeding } from '../../../support/prerequisites.js';
import { chainHash } from '../../../../src/audit/store/chain.js';
import { AuditStoreError } from '../../../../src/audit/store/contract.js';
import { migrations } from '../../../../src/audit/store/postgres/migrations.js';
import type { PostgresAuditStore } from '../../../../src/audit/store/postgres/store.js';
import { sampleIntent } from '../../helpers.js';
import { postgresMissing, postgresStore, sampleRefusal, usePostgresServer } from './fixtures.js';

const title = 'PostgreSQL audit store: schema, chain and replicas';
describeNeeding('postgresql', postgresMissing)(title, () => {
  const { server } = usePostgresServer();
  const opened: PostgresAuditStore[] = [];
  async function open(url: string): Promise<PostgresAuditStore> {
    const store = postgresStore(url);
    opened.push(store);
    await store.open();
    return store;
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  async function sql<Row extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<Row[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<Row>(text, params)).rows;
    } finally {
      await client.end();
    }
  }

  it('applies every migration once, in version order, when three replicas start together, and a restart applies nothing', async () => {
    // The list the code declares is the expectation: numbered 1, 2, 3… as listed, so none is skipped or shadowed.
    const declared = migrations.map((step) => [step.version, step.name]);
    expect(migrations.map((step) => step.version)).toEqual(migrations.map((_, index) => index + 1));
    const url = await server().createDatabase();
    await Promise.all([open(url), open(url), open(url)]);
    // Ordered by the transaction that wrote each row: the order they were applied in, each in a transaction of its own.
    const applied = () =>
      sql<{ version: number; name: string; tx: string }>(
        url,
        'SELECT version, name, xmin::text AS tx FROM schema_migrations ORDER BY xmin::text::bigint',
      );
    const rows = await applied();
    expect(rows.map((row) => [row.version, row.name])).toEqual(declared);
    expect(new Set(rows.map((row) => row.tx)).size).toBe(migrations.length);
    const again = await open(url);
    await again.appendIntent(sampleIntent(), { owner: 'a', leaseUntil: 1 });
    expect(await applied()).toEqual(rows);
  });

  it('finds the standing sanctions of records written before the standing table existed', async () => {
    const url = await server().createDatabase();
    const store = await open(url);
    const sanction = (id: string, action: 'mute' | 'unmute' | 'block', accid: string) =>
      sampleIntent({ id, action, target: { accid }, changes: {}, sanction: { reason: 'spam', forever: true } });
    for (const intent of [sanction('f1', 'mute', 'carol'), sanction('b1', 'block', 'Dave'), sanction('f2', 'mute', 'erin')]) {
      await store.appendIntent(intent, { owner: 'a', leaseUntil: 1 });
      await store.appendOutcome({ kind: 'outcome', id: intent.id, at: intent.at, status: 'applied' });
    }
    await store.appendIntent(sanction('u2', 'unmute', 'ERIN'), { owner: 'a', leaseUntil: 1 });
    await store.appendOutcome({ kind: 'outcome', id: 'u2', at: new Date().toISOString(), status: 'applied' });
    await store.close();
    // As a database at version 1 holding these records would be.
    await sql(url, 'DROP TABLE audit_standing');
    await sql(url, 'DELETE FROM schema_migrations WHERE version = 2');
    const migrated = await open(url);
    expect((await migrated.standingSanctions({ limit: 10 })).map((item) => item.sanctionId)).toEqual(['b1', 'f1']);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of records, even to the database owner', async () => {
    const url = await server().createDatabase();
    const store = await open(url);
    await store.appendIntent(sampleIntent(), { owner: 'a', leaseUntil: 1 });
    for (const statement of [`UPDATE audit_records SET body = '{}'`, 'DELETE FROM audit_records', 'TRUNCATE audit_records']) {
      await expect(sql(url, statement)).rejects.toThrow(/append-only/);
    }
    expect((await store.verify()).ok).toBe(true);
  });

  it('a replica claiming unposted entries passes over the row another replica is claiming, without waiting (SKIP LOCKED)', async () => {
    const url = await server().createDatabase();
    const store = postgresStore(url, { queryTimeoutMs: 3000 });
    opened.push(store);
    await store.open();
    await store.appendRefusal(sampleRefusal({ id: 'r1' }));
    await store.appendRefusal(sampleRefusal({ id: 'r2', at: '2026-11-22T03:00:03.000Z' }));
    // Another replica's claim, caught mid-transaction: it holds r1's row.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT id FROM audit_delivery WHERE id = 'r1' FOR UPDATE`);
      const startedAt = Date.now();
      const claimed = await store.claimUnposted({ owner: 'b', now: Date.parse('2026-11-22T03:01:00.000Z'), leaseMs: 60_000, limit: 10 });
      expect(claimed.map((entry) => (entry.kind === 'refusal' ? entry.refusal.id : entry.intent.id))).toEqual(['r2']);
      expect(Date.now() - startedAt).toBeLessThan(2000);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('keeps one chain when two replicas append at once', async () => {
    const url = await server().createDatabase();
    const [a, b] = [await open(url), await open(url)];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).appendIntent(sampleIntent({ id: `c-${i}` }), { owner: i % 2 ? 'a' : 'b', leaseUntil: 1 }),
      ),
    );
    const verification = await a.verify();
    expect(verification).toMatchObject({ ok: true, head: { count: 40 } });
    expect(await b.head()).toEqual(verification.head);
    const bodies = (await sql<{ body: string }>(url, 'SELECT body FROM audit_records ORDER BY seq')).map((row) => row.body);
    bodies.slice(1).forEach((body, n) => expect((JSON.parse(body) as { prev: string }).prev).toBe(chainHash(bodies[n]!)));
  });

  it('names the first record whose text was rewritten behind the trigger', async () => {
    const url = await server().createDatabase();
    const store = await open(url);
    for (let i = 1; i <= 5; i += 1) await store.appendIntent(sampleIntent({ id: `c-${i}` }), { owner: 'a', leaseUntil: 1 });
    await sql(url, `ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only`);
    await sql(url, `UPDATE audit_records SET body = replace(body, 'Alicia', 'Mallory') WHERE seq = 3`);
    const verification = await store.verify();
    expect(verification).toMatchObject({ ok: false, firstBad: { position: 3, id: 'c-3', where: expect.stringContaining('seq 3') } });
  });

  it('names a record deleted from the middle and from the end', async () => {
    const url = await server().createDatabase();
    const store = await open(url);
    for (let i = 1; i <= 4; i += 1) await store.appendRefusal(sampleRefusal({ id: `r-${i}` }));
    await sql(url, `ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only`);
    await sql(url, 'DELETE FROM audit_records WHERE seq = 4');
    expect(await store.verify()).toMatchObject({ ok: false, firstBad: { position: 4, where: expect.stringContaining('head') } });
    await sql(url, 'DELETE FROM audit_records WHERE seq = 2');
    expect(await store.verify()).toMatchObject({
      ok: false,
      firstBad: { position: 1, id: 'r-1', reason: expect.stringContaining('removed') },
    });
  });

  it('refuses appends while PostgreSQL is down, with a message that names the database and not the password', async () => {
    const srv = server();
    const url = (await srv.createDatabase()).replace('postgres@', 'postgres:s3cret-pw@');
    const store = postgresStore(url, { connectTimeoutMs: 2000 });
    opened.push(store);
    await store.open();
    expect(await store.ready()).toBe(true);
    srv.pause();
    try {
      expect(await store.ready()).toBe(false);
      const error = await store.appendIntent(sampleIntent(), { owner: 'a', leaseUntil: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuditStoreError);
      const message = (error as Error).message;
      expect(message).toMatch(new RegExp(`PostgreSQL 127\\.0\\.0\\.1:${srv.port}/test_\\d+_\\d+ cannot be used \\(database`));
      expect(message).not.toContain('s3cret');
      expect(JSON.stringify(error)).not.toContain('s3cret');
    } finally {
      srv.resume();
    }
    expect(await store.ready()).toBe(true);
    await store.appendIntent(sampleIntent(), { owner: 'a', leaseUntil: 1 });
    expect(await store.head()).toMatchObject({ count: 1, id: 'corr-1' });
  });

  it('fails to open with the contract error when the database cannot be reached', async () => {
    const store = postgresStore('postgres://im:pw-not-shown@127.0.0.1:1/none', { connectTimeoutMs: 1000 });
    const error = await store.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditStoreError);
    expect((error as AuditStoreError).reason).toBe('database unreachable');
    expect((error as Error).message).not.toContain('pw-not-shown');
    expect(await store.ready()).toBe(false);
    await expect(
      store.appendLookup({ kind: 'lookup', id: 'l', at: '2026-11-22T03:00:00.000Z', actor: 'U1', command: '/im', accids: [] }),
    ).rejects.toBeInstanceOf(AuditStoreError);
  });
});
