import { type ImAdminError } from '../errors.js';
import { NimApiError, NimAuthError, NimTransportError } from './errors.js';

/** What one answered attempt means for the caller. */
export type NimOutcome =
  | { kind: 'ok'; nimCode: 200; text: string; body: Record<string, unknown> }
  | {
      kind: 'error';
      error: ImAdminError;
      nimCode?: number;
      /** NetEase blocked the app (416): start the shared cool-down. */
      rateLimited: boolean;
      /** A read may try again (transient server trouble). */
      retryRead: boolean;
      /** A write may or may not have been applied: read back before saying anything. */
      ambiguousWrite: boolean;
    };

/** 5xx-class business codes: server error, busy, unavailable. */
const SERVER_TROUBLE = new Set([500, 503, 514]);
/** 414 shares its code between parameter errors and authentication; only `desc` tells them apart (nim-api.md). */
const AUTH_DESC = /checksum|appkey|curtime is expired|bad http header/i;

/** Decides from the NetEase `code` in the body (NetEase answers HTTP 200 even for business errors). */
export function classifyAnswer(endpoint: string, text: string): NimOutcome {
  const body = parseObject(text);
  const nimCode = body ? toCode(body.code) : undefined;
  if (!body || nimCode === undefined) {
    return fail(new NimTransportError(endpoint, 'malformed_response'), { retryRead: true, ambiguousWrite: true });
  }
  if (nimCode === 200) return { kind: 'ok', nimCode, text, body };
  const desc = typeof body.desc === 'string' ? body.desc : '';
  if (nimCode === 416) {
    // The NimRateLimitedError is built by the caller, which knows how long the cool-down lasts.
    return fail(new NimApiError(endpoint, nimCode, desc), { nimCode, rateLimited: true });
  }
  if (nimCode === 414 && AUTH_DESC.test(desc)) return fail(new NimAuthError(endpoint, nimCode, desc), { nimCode });
  const serverTrouble = SERVER_TROUBLE.has(nimCode);
  return fail(new NimApiError(endpoint, nimCode, desc), {
    nimCode,
    retryRead: serverTrouble,
    // 431 "request repeated": probably applied already; 5xx-class codes: maybe applied.
    ambiguousWrite: serverTrouble || nimCode === 431,
  });
}

/** What a transport failure means: reads retry all of them; a write is ambiguous only if it may have arrived. */
export function classifyFailure(error: NimTransportError, reachedServer: boolean): NimOutcome {
  const gatewayRejected = error.failure === 'http_status' && (error.httpStatus ?? 0) < 500;
  return fail(error, { retryRead: !gatewayRejected, ambiguousWrite: reachedServer && !gatewayRejected });
}

function fail(
  error: ImAdminError,
  flags: { nimCode?: number; rateLimited?: boolean; retryRead?: boolean; ambiguousWrite?: boolean },
): NimOutcome {
  return {
    kind: 'error',
    error,
    ...(flags.nimCode === undefined ? {} : { nimCode: flags.nimCode }),
    rateLimited: flags.rateLimited ?? false,
    retryRead: flags.retryRead ?? false,
    ambiguousWrite: flags.ambiguousWrite ?? false,
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function toCode(code: unknown): number | undefined {
  if (typeof code === 'number' && Number.isInteger(code)) return code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  return undefined;
}

/**
 * JSON.parse that keeps the named integer fields exact as strings: NetEase sends 64-bit ids (QChat serverId) as
 * JSON numbers, and a Long above 2^53 would be rounded by JSON.parse. Node 20 has no JSON.parse source access, so
 * the raw text is rewritten first; a key inside a string value is escaped (\") and never matches.
 */
export function parseJsonKeepingLongs(text: string, keys: readonly string[]): unknown {
  let rewritten = text;
  for (const key of keys) {
    rewritten = rewritten.replace(new RegExp(`("${key}"\\s*:\\s*)(-?\\d+)(?=\\s*[,}\\]])`, 'g'), '$1"$2"');
  }
  return JSON.parse(rewritten);
}
