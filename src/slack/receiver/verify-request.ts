import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { AppLogger } from '../../logger.js';
import type { RequestLayer, RequestListener } from './layer.js';

/**
 * Checks a request to the Slack endpoint before its body is read whole, so that a flood of large or slow bodies that
 * did not come from Slack cannot delay the acks of real commands (Slack allows 3 s). Bolt reads and parses a body
 * before it checks the signature, and only refuses timestamps that are too old; this runs first, in this order:
 *
 * 1. headers only: a declared length over `maxBodyBytes` → 413; a timestamp more than 5 minutes from now, in the
 *    past or the future → 401 (a future one would stay replayable until it came due); no signature → only a tiny
 *    body is read, to let Slack's unsigned `ssl_check` through, anything else → 401;
 * 2. the body, streamed into the HMAC as it arrives, at most `maxBodyBytes` (413) and within `bodyDeadlineMs` (408);
 * 3. the signature → 401 if it does not match; a payload of JSON `null` → 400 (it crashed Bolt's receiver).
 *
 * A refused request gets its status and its connection is closed, so the rest of a large body is never read. Nothing
 * reaches a listener, so nothing is sent anywhere. Bolt then verifies the signature again on the buffered body.
 */

export type VerifyRequestOptions = {
  /** The path Slack posts to. */
  endpoint: string;
  signingSecret: string;
  /** Largest body accepted, in bytes. @default 1 MiB (the largest payload the app's own forms make is ~240 kB, measured by this check's own tests) */
  maxBodyBytes?: number;
  /** How long a body may take to arrive, in ms. @default 5000 */
  bodyDeadlineMs?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  logger: AppLogger;
};

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const MAX_SKEW_SEC = 5 * 60;
/** Slack's unsigned `ssl_check=1&token=…` is well under this. */
const UNSIGNED_MAX_BYTES = 1024;

type Refusal = { status: 400 | 401 | 408 | 413; why: string };
type BodyLimit = { maxBytes: number; over: Refusal };
/** A refusal as a rejection: an Error (so it has a stack) that still reads as a Refusal. */
const refusalError = (refusal: Refusal): Error & Refusal => Object.assign(new Error(refusal.why), refusal);

/** The check as a layer in front of the receiver's request listener (HTTP mode only; receiver/install.ts). */
export function verifyRequests(options: VerifyRequestOptions): RequestLayer {
  return (listener) => verifyingListener(listener, options);
}

function verifyingListener(listener: RequestListener, options: VerifyRequestOptions): RequestListener {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const deadlineMs = options.bodyDeadlineMs ?? 5000;
  const now = options.now ?? Date.now;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== options.endpoint) {
      listener(req, res);
      return;
    }
    const signature = header(req, 'x-slack-signature');
    const refusedEarly = headerRefusal(req, signature, maxBodyBytes, now());
    if (refusedEarly) {
      refuse(req, res, refusedEarly, options.logger);
      return;
    }
    const signed = signature !== undefined;
    const hmac = signed ? createHmac('sha256', options.signingSecret).update(`v0:${header(req, 'x-slack-request-timestamp')}:`) : undefined;
    const limit: BodyLimit = signed
      ? { maxBytes: maxBodyBytes, over: { status: 413, why: `body over ${maxBodyBytes} bytes` } }
      : { maxBytes: UNSIGNED_MAX_BYTES, over: { status: 401, why: 'no signature' } };
    readBounded(req, limit, deadlineMs, (chunk) => hmac?.update(chunk)).then(
      (body) => {
        const refusal = bodyRefusal(body, req.headers['content-type'], signature, hmac?.digest('hex'));
        if (refusal) {
          refuse(req, res, refusal, options.logger);
          return;
        }
        listener(Object.assign(req, { rawBody: body }), res);
      },
      (refusal: Refusal) => refuse(req, res, refusal, options.logger),
    );
  };
}

function headerRefusal(req: IncomingMessage, signature: string | undefined, maxBodyBytes: number, nowMs: number): Refusal | undefined {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) return { status: 413, why: `declared body of ${declared} bytes is over ${maxBodyBytes}` };
  if (signature === undefined) {
    return declared > UNSIGNED_MAX_BYTES ? { status: 401, why: 'no signature' } : undefined;
  }
  const timestamp = header(req, 'x-slack-request-timestamp');
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return { status: 401, why: 'no usable timestamp' };
  const skewSec = Number(timestamp) - Math.floor(nowMs / 1000);
  if (skewSec > MAX_SKEW_SEC) return { status: 401, why: `timestamp ${skewSec} s in the future` };
  if (skewSec < -MAX_SKEW_SEC) return { status: 401, why: `timestamp ${-skewSec} s in the past` };
  return undefined;
}

function bodyRefusal(
  body: Buffer,
  contentType: string | undefined,
  signature: string | undefined,
  expected: string | undefined,
): Refusal | undefined {
  if (signature === undefined || expected === undefined) {
    return isSslCheck(body, contentType) ? undefined : { status: 401, why: 'no signature' };
  }
  const given = Buffer.from(signature, 'utf8');
  const wanted = Buffer.from(`v0=${expected}`, 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { status: 401, why: 'signature does not match' };
  if (isNullPayload(body.toString('utf8'), contentType)) return { status: 400, why: 'null payload' };
  return undefined;
}

/** Reads the body, feeding each chunk to `onChunk`; rejects with a Refusal past the limit or the deadline. */
function readBounded(req: IncomingMessage, limit: BodyLimit, deadlineMs: number, onChunk: (chunk: Buffer) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onError);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit.maxBytes) {
        finish(() => reject(refusalError(limit.over)));
        return;
      }
      onChunk(chunk);
      chunks.push(chunk);
    };
    const onEnd = () => finish(() => resolve(Buffer.concat(chunks, size)));
    const onError = () => finish(() => reject(refusalError({ status: 400, why: 'the body could not be read' })));
    const timer = setTimeout(
      () => finish(() => reject(refusalError({ status: 408, why: `body not complete within ${deadlineMs} ms` }))),
      deadlineMs,
    );
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onError);
  });
}

/** Answers and closes the connection, so the rest of a body is never read. */
function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal, logger: AppLogger): void {
  logger.warn({ status: refusal.status, why: refusal.why }, 'request to the Slack endpoint refused before Bolt');
  if (!res.headersSent) {
    res.writeHead(refusal.status, { connection: 'close', 'content-length': '0' });
    res.end();
  }
  res.once('finish', () => req.socket.destroy());
  if (res.writableFinished) req.socket.destroy();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function isSslCheck(body: Buffer, contentType: string | undefined): boolean {
  return contentType === 'application/x-www-form-urlencoded' && parseQuery(body.toString('utf8')).ssl_check === '1';
}

function isNullPayload(text: string, contentType: string | undefined): boolean {
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const { payload } = parseQuery(text);
      return typeof payload === 'string' && JSON.parse(payload) === null;
    }
    return JSON.parse(text) === null;
  } catch {
    return false;
  }
}
