import type { AppLogger } from '../../logger.js';
import type { ChainHead, ChainVerification } from '../store/contract.js';
import type { AuditStoreSettings } from '../store/create-store.js';
import { PostgresAuditStore } from '../store/postgres/store.js';
import { SqliteTrailReader } from '../store/sqlite/read-only.js';

/** The trail as `npm run audit --` reads it: never taking the store from the running app. */
export type TrailForReading = {
  kind: 'sqlite' | 'postgres';
  location: string;
  head(): Promise<ChainHead>;
  verify(): Promise<ChainVerification>;
  records(options?: { since?: number }): AsyncIterable<string>;
  /** SQLite only: a consistent copy while the app runs. */
  backup?(path: string): Promise<void>;
  close(): Promise<void>;
};

/**
 * SQLite read-only on AUDIT_DB (WAL: the app goes on writing meanwhile); PostgreSQL through a connection of its own.
 * Rejects with AuditStoreError (which file or database, what is wrong) when it cannot be read.
 */
export async function openTrailForReading(
  settings: AuditStoreSettings,
  logger: Pick<AppLogger, 'warn' | 'info' | 'error'>,
): Promise<TrailForReading> {
  if (settings.databaseUrl) {
    const store = new PostgresAuditStore({ url: settings.databaseUrl, logger });
    await store.open();
    return {
      kind: 'postgres',
      location: store.location,
      head: () => store.head(),
      verify: () => store.verify(),
      records: (options) => store.records(options),
      close: () => store.close(),
    };
  }
  const reader = new SqliteTrailReader(settings.dbPath);
  reader.open();
  return {
    kind: 'sqlite',
    location: reader.location,
    head: () => Promise.resolve(reader.head()),
    verify: () => reader.verify(),
    records: (options) => reader.records(options),
    backup: (path) => reader.backup(path),
    close: () => Promise.resolve(reader.close()),
  };
}
