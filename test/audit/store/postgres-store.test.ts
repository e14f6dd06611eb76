import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { entryId } from '../../../src/audit/records.js';
import { sha256Hex } from '../../../src/audit/store/chain.js';
import { AuditStoreError } from '../../../src/audit/store/contract.js';
import type { PostgresAuditStore } from '../../../src/audit/store/postgres-store.js';
import { sampleIntent } from '../helpers.js';
import { postgresMissing, postgresStore, sampleOutcome, sampleRefusal, usePostgresServer } from './postgres-fixtures.js';

const title = 'PostgreSQL audit store: schema, chain and replicas';
describe.skipIf(postgresMissing)(postgresMissing ? `${title} (skipped: ${postgresMissing})` : title, () => {
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

  it('migrates once when three replicas start together, and a restart applies nothing', async () => {
    const url = await server().createDatabase();
    await Promise.all([open(url), open(url), open(url)]);
    const rows = await sql<{ version: number }>(url, 'SELECT version FROM schema_migrations');
    expect(rows.map((row) => row.version)).toEqual([1]);
    const again = await open(url);
    await again.appendIntent(sampleIntent(), { owner: 'a', leaseUntil: 1 });
    expect((await sql(url, 'SELECT version FROM schema_migrations')).length).toBe(1);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of records, even to the database owner', async () => {
    const url = await server().createDatabase();
    const store = await open(url);
    await store.appendIntent(sampleIntent(), { owner: 'a', leaseUntil: 1 });
    for (const statement of [
      `UPDATE audit_records SET body = '{}'`,
      'DELETE FROM audit_records',
      'TRUNCATE audit_records',
    ]) {
      await expect(sql(url, statement)).rejects.toThrow(/append-only/);
    }
    expect((await store.verify()).ok).toBe(true);
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
    const bodies = await sql<{ body: string; hash: string }>(url, 'SELECT body, hash FROM audit_records ORDER BY seq');
    expect(JSON.parse(bodies[1]!.body).prev).toBe(sha256Hex(bodies[0]!.body));
  });

  it('settles an intent once when two replicas append its outcome together', async () => {
    const url = await server().createDatabase();
    const [a, b] = [await open(url), await open(url)];
    await a.appendIntent(sampleIntent(), { owner: 'a', leaseUntil: 1 });
    const results = await Promise.all([
      a.appendOutcome(sampleOutcome({ status: 'applied' })),
      b.appendOutcome(sampleOutcome({ status: 'unknown', recovered: true })),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await sql(url, `SELECT 1 FROM audit_records WHERE kind = 'outcome'`)).length).toBe(1);
  });

  it('hands each unposted entry to one replica when both claim together, and again once the claim expires', async () => {
    const url = await server().createDatabase();
    const [a, b] = [await open(url), await open(url)];
    for (let i = 0; i < 10; i += 1) await a.appendRefusal(sampleRefusal({ id: `r-${i}` }));
    const [fromA, fromB] = await Promise.all([
      a.claimUnposted({ owner: 'a', now: 1000, leaseMs: 60_000, limit: 6 }),
      b.claimUnposted({ owner: 'b', now: 1000, leaseMs: 60_000, limit: 6 }),
    ]);
    const ids = [...fromA, ...fromB].map((entry) => (entry.kind === 'refusal' ? entry.refusal.id : entry.intent.id));
    expect(new Set(ids).size).toBe(10);
    expect(await b.claimUnposted({ owner: 'b', now: 60_999, leaseMs: 60_000, limit: 20 })).toEqual([]);
    for (const entry of fromB) await b.markPosted(entryId(entry), { owner: 'b', at: 2000 });
    // a died holding its claims: they, and only they, come back once the lease ends.
    const retaken = await b.claimUnposted({ owner: 'b', now: 61_000, leaseMs: 60_000, limit: 20 });
    expect(retaken.map(entryId)).toEqual(fromA.map(entryId));
    expect(await a.unpostedCount()).toBe(fromA.length);
  });

  it('lets one replica take over an intent whose lease expired, never while it is renewed', async () => {
    const url = await server().createDatabase();
    const [a, b, c] = [await open(url), await open(url), await open(url)];
    await a.appendIntent(sampleIntent(), { owner: 'a', leaseUntil: 10_000 });
    await a.renewLeases('a', ['corr-1'], 70_000);
    expect(await b.claimUnsettled({ owner: 'b', now: 69_999, leaseMs: 60_000, limit: 10 })).toEqual([]);
    const [byB, byC] = await Promise.all([
      b.claimUnsettled({ owner: 'b', now: 70_001, leaseMs: 60_000, limit: 10 }),
      c.claimUnsettled({ owner: 'c', now: 70_001, leaseMs: 60_000, limit: 10 }),
    ]);
    expect([...byB, ...byC].map((intent) => intent.id)).toEqual(['corr-1']);
    // a's renewal no longer counts: the lease is the new owner's.
    await a.renewLeases('a', ['corr-1'], 999_999);
    const owner = byB.length ? 'b' : 'c';
    expect(await sql(url, 'SELECT owner, lease_until FROM audit_settlement')).toEqual([
      { owner, lease_until: String(70_001 + 60_000) },
    ]);
  });

  it('names the first record whose text was rewritten behind the trigger', async () => {
    const url = await server().createDatabase();
    const store = await open(url);
    for (let i = 1; i <= 5; i += 1) await store.appendIntent(sampleIntent({ id: `c-${i}` }), { owner: 'a', leaseUntil: 1 });
    await sql(url, `ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only`);
    await sql(url, `UPDATE audit_records SET body = replace(body, 'Alicia', 'Mallory') WHERE seq = 3`);
    const verification = await store.verify();
    expect(verification).toMatchObject({ ok: false, firstBad: { position: 3, id: 'c-3' } });
    // Rewriting the stored hash too only moves the break to the next record's prev.
    await sql(url, `UPDATE audit_records SET hash = encode(sha256(convert_to(body, 'UTF8')), 'hex') WHERE seq = 3`);
    expect(await store.verify()).toMatchObject({ ok: false, firstBad: { position: 4, id: 'c-4' } });
  });

  it('names a record deleted from the middle and from the end', async () => {
    const url = await server().createDatabase();
    const store = await open(url);
    for (let i = 1; i <= 4; i += 1) await store.appendRefusal(sampleRefusal({ id: `r-${i}` }));
    await sql(url, `ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only`);
    await sql(url, 'DELETE FROM audit_records WHERE seq = 4');
    expect(await store.verify()).toMatchObject({ ok: false, firstBad: { position: 4, where: expect.stringContaining('head') } });
    await sql(url, 'DELETE FROM audit_records WHERE seq = 2');
    expect(await store.verify()).toMatchObject({ ok: false, firstBad: { position: 2, reason: expect.stringContaining('missing') } });
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
    await expect(store.appendLookup({ kind: 'lookup', id: 'l', at: '2026-11-22T03:00:00.000Z', actor: 'U1', command: '/im', accids: [] })).rejects.toBeInstanceOf(AuditStoreError);
  });
});
