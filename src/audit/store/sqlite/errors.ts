import { AuditStoreError } from '../contract.js';

/** SQLite's result codes (better-sqlite3's SqliteError `code`) and system codes, in words for the operator. */
const reasons: Record<string, string> = {
  SQLITE_FULL: 'disk full',
  SQLITE_IOERR: 'disk input/output error',
  SQLITE_BUSY: 'database locked by another connection',
  SQLITE_LOCKED: 'database locked by another connection',
  SQLITE_READONLY: 'database is read-only (file or directory permissions)',
  SQLITE_CANTOPEN: 'cannot open the database file (missing directory or permissions)',
  SQLITE_CORRUPT: 'the database file is damaged',
  SQLITE_NOTADB: 'the file is not an SQLite database',
  SQLITE_PERM: 'permission denied',
  SQLITE_CONSTRAINT_TRIGGER: 'refused by the append-only trigger',
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  ENOSPC: 'disk full',
};

/**
 * The typed error for a failed database call: the reason chosen from the error's code (the extended code first,
 * SQLITE_IOERR_FSYNC → "disk input/output error"), the driver's error kept as `cause` for the log.
 */
export function sqliteStoreError(location: string, error: unknown): AuditStoreError {
  if (error instanceof AuditStoreError) return error;
  return new AuditStoreError(location, sqliteReason(error), { cause: error });
}

export function sqliteReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error instanceof RangeError ? error.message : 'database call failed';
  const base = code.split('_').slice(0, 2).join('_');
  return reasons[code] ?? reasons[base] ?? code;
}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
