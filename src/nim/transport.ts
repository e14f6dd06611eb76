import { Agent, request, type Dispatcher } from 'undici';
import { NimTransportError } from './errors.js';

export type TransportOptions = {
  baseUrl: string;
  /** Tried when the primary refuses the connection or cannot be resolved; never after a timeout. */
  backupBaseUrl?: string;
  /** The whole attempt (connect + headers + body), in ms. @default 5000 */
  timeoutMs?: number;
  /** After a connection failure, how long calls go straight to the backup before trying the primary again (ms). @default 60000 */
  failoverStickyMs?: number;
  /** @default a keep-alive undici Agent owned (and closed) by the transport */
  dispatcher?: Dispatcher;
  /** Milliseconds since the epoch, for the sticky fail-over. @default Date.now */
  now?: () => number;
};

export type TransportResult =
  | { ok: true; status: number; text: string; baseUrl: string; usedBackup: boolean }
  | {
      ok: false;
      error: NimTransportError;
      /** False when the request provably never reached NetEase (refused, unresolvable): a write was not applied. */
      reachedServer: boolean;
      baseUrl: string;
      usedBackup: boolean;
    };

/** Connection errors that prove nothing was sent: safe to send elsewhere, writes included. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/**
 * POSTs one form to NetEase through undici: keep-alive connections, an overall per-attempt timeout plus undici's
 * connect/headers/body timeouts, the response body always consumed (so the connection returns to the pool), and
 * fail-over to the backup base URL on connection failures — what NetEase's own server SDK does.
 * It never throws: the caller decides retries from the result.
 */
export class Transport {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly timeoutMs: number;
  private readonly failoverStickyMs: number;
  private readonly now: () => number;
  private backupUntil = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: TransportOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.failoverStickyMs = options.failoverStickyMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 60_000,
        connect: { timeout: this.timeoutMs },
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
  }

  /** `headers` is called once per URL tried, so a fail-over attempt is signed afresh. */
  async post(endpoint: string, form: Record<string, string>, headers: () => Record<string, string>): Promise<TransportResult> {
    const { baseUrl, backupBaseUrl } = this.options;
    const onBackup = backupBaseUrl !== undefined && this.now() < this.backupUntil;
    const first = await this.postTo(onBackup ? backupBaseUrl : baseUrl, endpoint, form, headers(), onBackup);
    if (first.ok || first.reachedServer || backupBaseUrl === undefined) return first;
    // The base URL we tried refused us: nothing was sent, so the other one may have it, writes included.
    const switchToBackup = !onBackup;
    this.backupUntil = switchToBackup ? this.now() + this.failoverStickyMs : Number.NEGATIVE_INFINITY;
    return this.postTo(switchToBackup ? backupBaseUrl : baseUrl, endpoint, form, headers(), switchToBackup);
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async postTo(
    baseUrl: string,
    endpoint: string,
    form: Record<string, string>,
    headers: Record<string, string>,
    usedBackup: boolean,
  ): Promise<TransportResult> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await request(`${baseUrl.replace(/\/+$/, '')}/${endpoint}`, {
        method: 'POST',
        dispatcher: this.dispatcher,
        headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body: new URLSearchParams(form).toString(),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: controller.signal,
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        const error = new NimTransportError(endpoint, 'http_status', response.statusCode);
        return { ok: false, error, reachedServer: true, baseUrl, usedBackup };
      }
      const text = await response.body.text();
      return { ok: true, status: response.statusCode, text, baseUrl, usedBackup };
    } catch (cause) {
      const code = errorCode(cause);
      const timedOut = controller.signal.aborted || (code !== undefined && TIMEOUT_CODES.has(code));
      const reachedServer = timedOut || code === undefined || !NOT_SENT_CODES.has(code);
      const error = new NimTransportError(endpoint, timedOut ? 'timeout' : 'connection', undefined, {
        cause: redactedCause(cause),
      });
      return { ok: false, error, reachedServer, baseUrl, usedBackup };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The system or undici error code, looking inside AggregateError (happy-eyeballs) and `cause`. */
function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { code, errors, cause } = error as { code?: unknown; errors?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors) && errors.length > 0) return errorCode(errors[0]);
  return cause === undefined ? undefined : errorCode(cause);
}

/**
 * undici's errors carry no request headers today; copy only name, message and code anyway, so a future version
 * that attaches the request cannot leak the CheckSum through `cause`.
 */
function redactedCause(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const copy = new Error(error.message);
  copy.name = error.name;
  const code = errorCode(error);
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}
