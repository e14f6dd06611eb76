import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditTrail } from '../../src/audit/audited-write.js';
import { AuditOutbox, type AuditOutboxOptions } from '../../src/audit/outbox.js';
import { SqliteAuditStore } from '../../src/audit/store/sqlite/store.js';
import { collectingLogger, sequentialIds, steppingClock } from './helpers.js';

/**
 * Makes the store's database unwritable while `blocked` (another connection holds its write lock, as a `sqlite3`
 * shell left in a transaction would): what the tests use for "the intent cannot be stored".
 */
export function writeBlocker(dir: string) {
  let blocker: Database.Database | undefined;
  return {
    block() {
      blocker = new Database(join(dir, 'audit.db'));
      blocker.exec('BEGIN EXCLUSIVE');
    },
    unblock() {
      blocker?.exec('ROLLBACK');
      blocker?.close();
      blocker = undefined;
    },
  };
}

/**
 * One process's audit trail on a SQLite store in `dir` (audit.db), opened: what the app wires at start, for tests of
 * the audited functions and the outbox. A JSON Lines trail at `dir/audit.jsonl` (an earlier version's) is imported
 * first, as the app does at start, and awaited. `owner` names the process.
 */
export async function openTestTrail(
  dir: string,
  options: Partial<Omit<AuditOutboxOptions, 'store' | 'owner'>> & { owner?: string; leaseMs?: number } = {},
) {
  const logger = options.logger ?? collectingLogger();
  const store = new SqliteAuditStore({ path: join(dir, 'audit.db'), importFrom: join(dir, 'audit.jsonl'), logger, busyTimeoutMs: 20 });
  await store.open();
  await store.imported();
  const now = options.now ?? steppingClock();
  const owner = options.owner ?? 'test-process';
  const outbox = new AuditOutbox({
    verify: async () => 'unknown',
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
    pollMs: 10,
    ...options,
    store,
    owner,
    now,
    logger,
  });
  const trail: AuditTrail = {
    store,
    outbox,
    owner,
    now,
    newId: sequentialIds(),
    logger,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  };
  return {
    store,
    outbox,
    trail,
    logger: logger as ReturnType<typeof collectingLogger>,
    async close() {
      await outbox.close();
      await store.close();
    },
  };
}

/**
 * The records of the store as the app wrote them, each without its chain `prev`, in the order the file store wrote
 * its lines: chained records in chain order, each finished entry followed by its `posted` marker once posted
 * (`skipped` when handled without a channel), then the lookups.
 */
export async function auditRecords(dir: string): Promise<Record<string, unknown>[]> {
  const path = join(dir, 'audit.db');
  if (!existsSync(path)) return [];
  const db = new Database(path, { readonly: true });
  try {
    const chained = db.prepare('SELECT id, kind, body FROM audit_records ORDER BY seq').all() as {
      id: string;
      kind: string;
      body: string;
    }[];
    const posted = new Map(
      (
        db.prepare('SELECT id, posted_at, posted_channel FROM audit_delivery WHERE posted_at IS NOT NULL').all() as {
          id: string;
          posted_at: number;
          posted_channel: string | null;
        }[]
      ).map((row) => [row.id, row]),
    );
    const records: Record<string, unknown>[] = [];
    for (const row of chained) {
      const { prev: _prev, ...record } = JSON.parse(row.body) as Record<string, unknown>;
      records.push(record);
      const marker = row.kind === 'intent' ? undefined : posted.get(row.id);
      if (marker) {
        records.push({
          kind: 'posted',
          id: row.id,
          at: new Date(marker.posted_at).toISOString(),
          ...(marker.posted_channel ? {} : { skipped: 'no_audit_channel' }),
        });
      }
    }
    const lookups = db.prepare('SELECT body FROM audit_lookups ORDER BY seq').all() as { body: string }[];
    return [...records, ...lookups.map((row) => JSON.parse(row.body) as Record<string, unknown>)];
  } finally {
    db.close();
  }
}
