import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LookupRetention } from '../../src/audit/lookup-retention.js';
import { describeNeeding } from '../support/prerequisites.js';
import type { AuditStore } from '../../src/audit/store/contract.js';
import { SqliteAuditStore } from '../../src/audit/store/sqlite/store.js';
import { postgresMissing, postgresStore, silentLogger, usePostgresServer } from './store/postgres/fixtures.js';
import { lookupAt, MINUTE, refusalAt, T0 } from './store/records.js';

const DAY = 24 * 60 * MINUTE;

function capturingLogger() {
  const lines: { level: 'info' | 'warn'; details: Record<string, unknown>; message: string }[] = [];
  return {
    lines,
    info: (details: Record<string, unknown>, message: string) => lines.push({ level: 'info', details, message }),
    warn: (details: Record<string, unknown>, message: string) => lines.push({ level: 'warn', details, message }),
  };
}

/** A fresh store per test, not yet opened. */
type Fresh = () => Promise<{ store: AuditStore; remove: () => Promise<void> }>;

const title = (name: string) => `lookup retention (AUDIT_LOOKUP_RETENTION_DAYS) on the ${name} store`;

describe(title('SQLite'), () => {
  retentionSuite(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'im-admin-retention-'));
    const store = new SqliteAuditStore({ path: join(dir, 'audit.db'), logger: silentLogger });
    return { store, remove: () => rm(dir, { recursive: true, force: true }) };
  });
});

describeNeeding('postgresql', postgresMissing)(title('PostgreSQL'), () => {
  const { server } = usePostgresServer();
  retentionSuite(async () => ({ store: postgresStore(await server().createDatabase()), remove: async () => undefined }));
});

function retentionSuite(fresh: Fresh): void {
  let store: AuditStore;
  let remove: () => Promise<void> = async () => undefined;
  let retention: LookupRetention | undefined;
  afterEach(async () => {
    retention?.close();
    await store?.close().catch(() => undefined);
    await remove();
  });
  async function open() {
    ({ store, remove } = await fresh());
    await store.open();
    return store;
  }

  it('deletes lookups older than the retention at start and on each round, keeps refusals and the chain head', async () => {
    await open();
    // lookupAt's minutes count from T0; these are 100, 91, 89 and 0 days before "now".
    const now = T0 + 100 * DAY;
    for (const [id, daysOld] of [
      ['l100', 100],
      ['l91', 91],
      ['l89', 89],
      ['l0', 0],
    ] as const) {
      await store.appendLookup(lookupAt(id, (100 - daysOld) * 24 * 60));
    }
    await store.appendRefusal(refusalAt('r1', 0));
    const head = await store.head();
    let clock = now;
    const logger = capturingLogger();
    retention = new LookupRetention({ store, days: 90, now: () => clock, logger, everyMs: 60_000 });

    await retention.start();
    expect(logger.lines).toEqual([{ level: 'info', details: expect.objectContaining({ deleted: 2 }), message: 'audit lookups pruned' }]);
    clock = now + 2 * DAY;
    expect(await retention.prune()).toBe(1);
    expect(await retention.prune()).toBe(0);
    expect(await store.head()).toEqual(head);
    expect(await store.verify()).toMatchObject({ ok: true, head });
    expect((await store.history({ accid: 'alice' })).items).toHaveLength(1);
  });

  it('prunes again on its timer, and logs instead of failing once the store is closed', async () => {
    await open();
    const logger = capturingLogger();
    let clock = T0;
    retention = new LookupRetention({ store, days: 1, now: () => clock, logger, everyMs: 20 });
    await retention.start();
    await store.appendLookup(lookupAt('old', 0));
    clock = T0 + 2 * DAY;
    await vi.waitFor(() => expect(logger.lines.map((line) => line.details.deleted)).toContain(1), { timeout: 5000 });
    retention.close();
    await store.close();
    expect(await retention.prune()).toBe(0);
    expect(logger.lines.at(-1)).toMatchObject({ level: 'warn', message: expect.stringContaining('could not prune') });
  });
}
