import type { AppLogger } from '../../logger.js';
import type { AuditLogger } from '../audit-logger.js';
import type { AuditStore } from './contract.js';
import { FileAuditStore } from './file/file-store.js';
import { PostgresAuditStore } from './postgres/store.js';

/** Which store the settings choose (config.ts): PostgreSQL when AUDIT_DATABASE_URL is set, else the file AUDIT_LOG. */
export type AuditStoreSettings = {
  /** AUDIT_LOG. */
  logPath: string;
  /** AUDIT_LOG_ROTATE_MB, in bytes. @default 64 MiB */
  rotateBytes?: number;
  /** AUDIT_DATABASE_URL. */
  databaseUrl?: string;
};

/** The store the settings name, not yet opened. */
export function createAuditStore(settings: AuditStoreSettings, logger: AuditLogger & Pick<AppLogger, 'warn' | 'info'>): AuditStore {
  if (settings.databaseUrl) return new PostgresAuditStore({ url: settings.databaseUrl, logger });
  return new FileAuditStore({
    path: settings.logPath,
    logger,
    ...(settings.rotateBytes === undefined ? {} : { rotateBytes: settings.rotateBytes }),
  });
}
