/**
 * The typed errors of the NetEase client, each with a stable `code` (the family and its list of codes: src/errors.ts).
 * Modelled on @slack/web-api's errors.ts and octokit's RequestError: the upstream error is kept as `cause`,
 * and nothing secret (AppSecret, CheckSum) is ever put into a message or a property.
 */

import { ImAdminError, InputError } from '../errors.js';

/** NetEase answered with a business error code (403, 404, 405, 414 parameter errors, 417, 419, 500…). */
export class NimApiError extends ImAdminError {
  readonly code = 'nim_api_error';
  constructor(
    readonly endpoint: string,
    readonly nimCode: number,
    readonly desc: string,
    options?: ErrorOptions,
  ) {
    super(`NetEase ${endpoint} answered code ${nimCode}${desc ? `: ${desc}` : ''}`, options);
    this.name = 'NimApiError';
  }
}

/**
 * A moderation call named an account NetEase does not know: 414 `<accid> is not registered` (NetEase's page for
 * block.action), or 404. Still a NimApiError (same code), so the audit trail records NetEase's code and desc.
 */
export class NimAccountNotFoundError extends NimApiError {
  constructor(
    endpoint: string,
    nimCode: number,
    desc: string,
    readonly accid: string,
    options?: ErrorOptions,
  ) {
    super(endpoint, nimCode, desc, options);
    this.name = 'NimAccountNotFoundError';
  }
}

/** NetEase refused the credentials or the clock (414 with an auth `desc`): the operator's problem, not the person's. */
export class NimAuthError extends ImAdminError {
  readonly code = 'nim_auth_error';
  constructor(
    readonly endpoint: string,
    readonly nimCode: number,
    readonly desc: string,
    options?: ErrorOptions,
  ) {
    super(`NetEase rejected the app's credentials on ${endpoint} (code ${nimCode}: ${desc})`, options);
    this.name = 'NimAuthError';
  }
}

/** The app is (or would be) over NetEase's rate limit: nothing was sent. Retry after `retryAfterMs`. */
export class NimRateLimitedError extends ImAdminError {
  readonly code = 'nim_rate_limited';
  constructor(
    readonly endpoint: string,
    readonly retryAfterMs: number,
    options?: ErrorOptions,
  ) {
    super(`NetEase rate limit: retry ${endpoint} in ${Math.ceil(retryAfterMs / 1000)} s`, options);
    this.name = 'NimRateLimitedError';
  }
}

export type TransportFailure = 'timeout' | 'connection' | 'http_status' | 'malformed_response';

/** The call did not produce a usable NetEase answer: timeout, refused or dropped connection, gateway status, bad JSON. */
export class NimTransportError extends ImAdminError {
  readonly code = 'nim_transport_error';
  constructor(
    readonly endpoint: string,
    readonly failure: TransportFailure,
    readonly httpStatus?: number,
    options?: ErrorOptions,
  ) {
    super(`NetEase ${endpoint} ${failure.replace('_', ' ')}${httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`}`, options);
    this.name = 'NimTransportError';
  }
}

/**
 * A write whose outcome was ambiguous (timeout, 5xx, code 500 or 431) and whose read-back did not show it in place.
 * `inPlace` is false when the read-back proved it was not applied, 'unknown' when the read-back itself failed.
 */
export class NimWriteUnconfirmedError extends ImAdminError {
  readonly code = 'nim_write_unconfirmed';
  constructor(
    readonly endpoint: string,
    readonly inPlace: false | 'unknown',
    options: ErrorOptions & { cause: unknown },
  ) {
    super(
      inPlace === false
        ? `NetEase ${endpoint} outcome was ambiguous and reading back shows the change is not in place`
        : `NetEase ${endpoint} outcome was ambiguous and could not be verified`,
      options,
    );
    this.name = 'NimWriteUnconfirmedError';
  }
}

/**
 * NetEase codes that answer what a person typed (an id that does not exist, a value too long, a bad parameter, an
 * action already done, a quantity over the limit), not a fault of the app or of NetEase: logged at info, without a
 * stack, so the error log keeps to what needs someone's attention. Auth failures are NimAuthError, never this.
 */
const ABOUT_WHAT_WAS_TYPED = new Set([404, 405, 414, 417, 419]);

export function isAboutWhatWasTyped(error: unknown): boolean {
  if (error instanceof InputError) return true;
  return error instanceof NimApiError && ABOUT_WHAT_WAS_TYPED.has(error.nimCode);
}
