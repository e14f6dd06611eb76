import { AuditStoreError } from '../contract.js';

/**
 * Where the database is, for messages and logs: host, port and database name from the URL, never the user's
 * password (nor the user, nor query parameters that may carry one, like `password=` or `sslkey=`).
 */
export function postgresLocation(url: string): string {
  try {
    const parsed = new URL(url);
    const port = parsed.port || '5432';
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
    return `PostgreSQL ${parsed.hostname}:${port}/${database}`;
  } catch {
    return 'PostgreSQL (unparsable AUDIT_DATABASE_URL)';
  }
}

/** Server error codes (SQLSTATE) and client error codes, in words for the operator. */
const reasons: Record<string, string> = {
  ECONNREFUSED: 'database unreachable',
  ECONNRESET: 'database unreachable',
  ENOTFOUND: 'database host not found',
  EHOSTUNREACH: 'database unreachable',
  ETIMEDOUT: 'database did not answer in time',
  '57P01': 'database shutting down',
  '57P02': 'database shutting down',
  '57P03': 'database starting up or in recovery',
  '53300': 'database has no free connections',
  '28P01': 'database refused the credentials',
  '28000': 'database refused the credentials',
  '3D000': 'database does not exist',
  '42501': 'database refused the operation (permissions)',
  '25006': 'database is read-only',
  '53100': 'database disk full',
};

/**
 * The typed error for a failed database call. The reason is chosen from the error's code, not copied from its
 * message, so nothing the driver says (connection strings, parameters) reaches a person; the driver's error stays
 * as `cause` for the log.
 */
export function postgresStoreError(location: string, error: unknown): AuditStoreError {
  if (error instanceof AuditStoreError) return error;
  return new AuditStoreError(location, reasonFor(error), { cause: error });
}

function reasonFor(error: unknown): string {
  const code = codeOf(error);
  if (code && reasons[code]) return reasons[code];
  const message = error instanceof Error ? error.message : '';
  if (/timeout|timed out/i.test(message)) return 'database did not answer in time';
  if (/terminated|not queryable|ended|closed/i.test(message)) return 'database connection lost';
  return code ? `database error ${code}` : 'database error';
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Node reports a refused connection to every address of a host as an AggregateError of the per-address errors.
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) return errors.map(codeOf).find((inner) => inner !== undefined);
  return undefined;
}
