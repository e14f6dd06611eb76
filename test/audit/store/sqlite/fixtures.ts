import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteAuditStore, type SqliteAuditStoreOptions } from '../../../../src/audit/store/sqlite/store.js';
import { collectingLogger, tempDir } from '../../helpers.js';
import type { ConformanceSubject, StorageUnderTest } from '../conformance.js';

/** The SQLite store's storage: a temp dir holding one AUDIT_DB. */
export async function sqliteStorage(options: Partial<SqliteAuditStoreOptions> = {}) {
  const { dir, remove } = await tempDir();
  const path = join(dir, 'audit.db');
  const logger = collectingLogger();
  const newStore = (extra: Partial<SqliteAuditStoreOptions> = {}) => new SqliteAuditStore({ path, logger, ...options, ...extra });
  return { dir, path, logger, newStore, remove };
}

/** Runs SQL through the `sqlite3` shell, as an operator (or an intruder) would: stdout, or the shell's error. */
export function sqliteShell(path: string, sql: string): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync('sqlite3', [path, sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error) {
    const failed = error as { stderr?: string; stdout?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

export const sqliteSubject: ConformanceSubject = {
  name: 'sqlite',
  sharedByProcesses: false,
  async setUp(): Promise<StorageUnderTest> {
    const storage = await sqliteStorage();
    const read = <Row>(sql: string, ...params: unknown[]): Row[] => {
      const db = new Database(storage.path, { readonly: true });
      try {
        return db.prepare(sql).all(...params) as Row[];
      } finally {
        db.close();
      }
    };
    return {
      newStore: () => storage.newStore(),
      async brokenStore() {
        // Another connection holds the write lock (a `sqlite3` shell left in a transaction): nothing can be written.
        const store = storage.newStore({ busyTimeoutMs: 50 });
        await store.open();
        const blocker = new Database(storage.path);
        blocker.exec('BEGIN EXCLUSIVE');
        const close = store.close.bind(store);
        store.close = async () => {
          blocker.exec('ROLLBACK');
          blocker.close();
          await close();
        };
        return store;
      },
      async tamper(id) {
        const db = new Database(storage.path);
        try {
          db.exec('DROP TRIGGER audit_records_no_update');
          db.prepare(`UPDATE audit_records SET body = replace(body, '"command":"', '"command":"forged ') WHERE id = ?`).run(id);
        } finally {
          db.close();
        }
      },
      async moveLift(sanctionId, liftAt) {
        const db = new Database(storage.path);
        try {
          db.prepare('UPDATE audit_lifts SET lift_at = ? WHERE sanction_id = ?').run(liftAt, sanctionId);
        } finally {
          db.close();
        }
      },
      async failLiftWrites() {
        const db = new Database(storage.path);
        try {
          db.exec(`CREATE TRIGGER test_refuse_lift BEFORE INSERT ON audit_lifts BEGIN SELECT RAISE(ABORT, 'lift refused'); END;`);
        } finally {
          db.close();
        }
      },
      chainTexts: async () => read<{ body: string }>('SELECT body FROM audit_records ORDER BY seq').map((row) => row.body),
      tearDown: storage.remove,
    };
  },
};
