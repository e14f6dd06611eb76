/**
 * The one error family of the app: every error it raises on purpose has a stable `code` from this list, so a caller
 * (a listener choosing the words a person reads, the metrics, the audit trail) decides on the code, not on a message.
 * Modelled on bolt-js's `ErrorCode` and `CodedError`. The NetEase client's errors (nim/errors.ts) build on it; the
 * upstream error is kept as `cause`.
 */

export type ImAdminErrorCode =
  /** NetEase answered with a business error code (NimApiError). */
  | 'nim_api_error'
  /** NetEase refused the credentials or the clock (NimAuthError). */
  | 'nim_auth_error'
  /** Over NetEase's rate limit; nothing was sent (NimRateLimitedError). */
  | 'nim_rate_limited'
  /** No usable NetEase answer: timeout, connection, gateway status, bad JSON (NimTransportError). */
  | 'nim_transport_error'
  /** An ambiguous write that reading back did not confirm (NimWriteUnconfirmedError). */
  | 'nim_write_unconfirmed'
  /** What a person typed broke a rule (InputError). */
  | 'input_error'
  /** Slack could not say who someone is or which groups they are in (policy's DirectoryError). */
  | 'directory_error'
  /** The audit store cannot take or read records (audit's AuditStoreError). */
  | 'audit_store_unavailable'
  /** Slack or NetEase rejected the app's credentials at start (startup's CredentialsRejectedError). */
  | 'credentials_rejected';

export abstract class ImAdminError extends Error {
  abstract readonly code: ImAdminErrorCode;
}

/** What a person typed broke a rule: names the field, the offending value and the limit. No network call was made. */
export class InputError extends ImAdminError {
  readonly code = 'input_error';
  constructor(
    readonly field: string,
    /** The rule in plain words, e.g. "at most 64 characters". */
    readonly rule: string,
    readonly value?: string,
  ) {
    super(`${field}: ${rule}${value === undefined ? '' : ` (got ${JSON.stringify(truncate(value, 80))})`}`);
    this.name = 'InputError';
  }
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}
