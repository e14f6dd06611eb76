import { randomUUID } from 'node:crypto';
import type { LimitFunction } from 'p-limit';
import { type ImAdminError } from '../errors.js';
import { NimRateLimitedError, NimTransportError, NimWriteUnconfirmedError, type TransportFailure } from './errors.js';
import type { RateBudget } from './budget/contract.js';
import { classifyAnswer, classifyFailure, type NimOutcome } from './response.js';
import { backoffDelayMs, type RetryPolicy } from './retry.js';
import { signHeaders } from './sign.js';
import type { Transport } from './transport.js';

/** One attempt that reached the transport, for metrics. */
export type NimCallEvent = {
  endpoint: string;
  /** 1 for the first attempt of an operation. */
  attempt: number;
  durationMs: number;
  /** NetEase's answer code, when it answered. */
  nimCode?: number;
  /** Why there was no NetEase answer. */
  failure?: TransportFailure;
  usedBackup: boolean;
  correlationId?: string;
};

/** pino-shaped. It is never given a secret. */
export type NimLogger = {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

export type CallerDeps = {
  appKey: string;
  appSecret: string;
  transport: Transport;
  rateBudget: RateBudget;
  /**
   * Caps attempts in flight, per endpoint: lookups hanging on a sick NetEase must not keep an update (or the other
   * way round) waiting for a slot. Wraps one attempt only, so nested calls (a read-back) cannot deadlock.
   */
  limitFor: (endpoint: string) => LimitFunction;
  retryPolicy: RetryPolicy;
  now: () => number;
  nonce?: () => string;
  /** The RequestId of one write (see write()). @default 32 random hex characters */
  newRequestId?: () => string;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  logger?: NimLogger;
  onCall?: (event: NimCallEvent) => void;
};

export type Ok = Extract<NimOutcome, { kind: 'ok' }>;
type CallOptions = { correlationId?: string };
/** `signal`: stop before the next attempt (e.g. a sibling chunk of the same lookup already failed). */
type ReadOptions = CallOptions & { signal?: AbortSignal };

/**
 * Runs NetEase calls: every attempt goes through p-limit, then the shared rate budget, is signed afresh and sent.
 * Reads retry transient failures with full-jitter backoff; writes are sent once and an ambiguous outcome is settled
 * by reading back.
 */
export class NimCaller {
  constructor(private readonly deps: CallerDeps) {}

  async read(endpoint: string, form: Record<string, string>, options: ReadOptions = {}): Promise<Ok> {
    const { retryPolicy, random, sleep, logger } = this.deps;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(endpoint, form, { attempt, correlationId: options.correlationId, signal: options.signal });
      if (outcome.kind === 'ok') return outcome;
      if (!outcome.retryRead || attempt >= retryPolicy.maxAttempts) throw outcome.error;
      const delayMs = backoffDelayMs(retryPolicy, attempt, random);
      logger?.warn({ ...describe(endpoint, attempt, outcome, options), delayMs }, 'NetEase read failed, retrying');
      await sleep(delayMs);
    }
  }

  /**
   * Sends a write once. An ambiguous outcome (timeout, dropped connection, HTTP 5xx, code 500/503/514, 431) is never
   * answered by sending again: `verify` reads back whether the change is in place. Without `verify` the outcome is
   * reported as unknown.
   *
   * Every write carries a `RequestId` header, new for each write and the same on each of its attempts (a fail-over to
   * the backup URL): NetEase de-duplicates by it and answers a repeat 431 instead of applying it twice — the header
   * and behaviour of NetEase's official server SDKs (Go `yunxin_http_client.go`, Java `YunxinHttpClient.java`).
   * Reads carry none: a read retried after a timeout must be answered, not refused as a repeat.
   */
  async write(
    endpoint: string,
    form: Record<string, string>,
    options: CallOptions & { verify?: () => Promise<boolean> },
  ): Promise<{ ok: Ok } | { confirmedByReadBack: true }> {
    const requestId = (this.deps.newRequestId ?? newRequestId)();
    const outcome = await this.attempt(endpoint, form, { attempt: 1, correlationId: options.correlationId, requestId });
    if (outcome.kind === 'ok') return { ok: outcome };
    if (!outcome.ambiguousWrite) throw outcome.error;
    this.deps.logger?.warn(describe(endpoint, 1, outcome, options), 'NetEase write outcome ambiguous, reading back');
    if (!options.verify) throw new NimWriteUnconfirmedError(endpoint, 'unknown', { cause: outcome.error });
    let inPlace: boolean;
    try {
      // Give a write that is still being processed a moment before looking.
      await this.deps.sleep(this.deps.retryPolicy.baseDelayMs);
      inPlace = await options.verify();
    } catch (readBackError) {
      this.deps.logger?.warn({ endpoint, correlationId: options.correlationId, err: readBackError }, 'read-back failed');
      throw new NimWriteUnconfirmedError(endpoint, 'unknown', { cause: outcome.error });
    }
    if (inPlace) return { confirmedByReadBack: true };
    throw new NimWriteUnconfirmedError(endpoint, false, { cause: outcome.error });
  }

  private async attempt(endpoint: string, form: Record<string, string>, one: Attempt): Promise<NimOutcome> {
    const { limitFor, rateBudget } = this.deps;
    const { signal } = one;
    return limitFor(endpoint)(async () => {
      signal?.throwIfAborted();
      // NimRateLimitedError from the budget means nothing was sent.
      const done = rateBudget.acquireSlot ? await rateBudget.acquireSlot(endpoint) : undefined;
      if (!done) await rateBudget.acquire(endpoint);
      try {
        signal?.throwIfAborted();
        return await this.send(endpoint, form, one);
      } finally {
        // Only now, after a 416 has started the cool-down: a call this frees must not slip out before it.
        done?.();
      }
    });
  }

  /** Signs, sends and classifies one attempt; a 416 starts the shared cool-down. */
  private async send(endpoint: string, form: Record<string, string>, one: Attempt): Promise<NimOutcome> {
    const { rateBudget, transport, appKey, appSecret, now, nonce, onCall, logger } = this.deps;
    const { attempt, correlationId, requestId } = one;
    const started = performance.now();
    // Signed afresh for each URL tried; the RequestId stays the same.
    const sign = () => ({
      ...signHeaders({ appKey, appSecret, now, ...(nonce ? { nonce } : {}) }),
      ...(requestId === undefined ? {} : { RequestId: requestId }),
    });
    const result = await transport.post(endpoint, form, sign);
    const outcome = result.ok ? classifyAnswer(endpoint, result.text) : classifyFailure(result.error, result.reachedServer);
    const event: NimCallEvent = {
      endpoint,
      attempt,
      durationMs: performance.now() - started,
      usedBackup: result.usedBackup,
      ...(outcome.nimCode === undefined ? {} : { nimCode: outcome.nimCode }),
      ...(result.ok ? answerFailure(outcome) : { failure: result.error.failure }),
      ...(correlationId === undefined ? {} : { correlationId }),
    };
    onCall?.(event);
    logger?.debug(event, 'NetEase call');
    if (outcome.kind === 'error' && outcome.rateLimited) {
      rateBudget.reportRateLimited(endpoint);
      const retryAfterMs = rateBudget.stats().coolDownRemainingMs;
      logger?.error({ endpoint, correlationId, retryAfterMs }, 'NetEase answered 416: cooling down');
      return { ...outcome, error: new NimRateLimitedError(endpoint, retryAfterMs, { cause: outcome.error }) };
    }
    return outcome;
  }
}

type Attempt = { attempt: number; correlationId: string | undefined; requestId?: string; signal?: AbortSignal | undefined };

function newRequestId(): string {
  return randomUUID().replaceAll('-', '');
}

/** An answer NetEase sent that could not be read (bad JSON, no code) is a failure too, for metrics. */
function answerFailure(outcome: NimOutcome): { failure?: TransportFailure } {
  return outcome.kind === 'error' && outcome.error instanceof NimTransportError ? { failure: outcome.error.failure } : {};
}

function describe(endpoint: string, attempt: number, outcome: NimOutcome, options: CallOptions): object {
  const error = outcome.kind === 'error' ? (outcome.error as ImAdminError & { failure?: string }) : undefined;
  return {
    endpoint,
    attempt,
    correlationId: options.correlationId,
    nimCode: outcome.nimCode,
    failure: error?.failure,
    error: error?.message,
  };
}
