import type { AppLogger } from '../../logger.js';
import type { AuditLogger } from '../audit-logger.js';
import type { AuditStore } from './contract.js';
import { PostgresAuditStore } from './postgres/store.js';
import { SqliteAuditStore } from './sqlite/store.js';

/** Which store the settings choose (config.ts): PostgreSQL when AUDIT_DATABASE_URL is set, else the SQLite file AUDIT_DB. */
export type AuditStoreSettings = {
  /** AUDIT_DB. */
  dbPath: string;
  /** AUDIT_LOG: the file store's JSON Lines trail, imported into AUDIT_DB at start when it is not yet. */
  logPath?: string;
  /** AUDIT_DATABASE_URL. */
  databaseUrl?: string;
};

/** The store the settings name, not yet opened. */
export function createAuditStore(settings: AuditStoreSettings, logger: AuditLogger & Pick<AppLogger, 'warn' | 'info'>): AuditStore {
  if (settings.databaseUrl) return new PostgresAuditStore({ url: settings.databaseUrl, logger });
  return new SqliteAuditStore({ path: settings.dbPath, logger, ...(settings.logPath ? { importFrom: settings.logPath } : {}) });
}
