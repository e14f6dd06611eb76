import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthSettings } from './auth.js';
import { authProblem } from './auth.js';
import type { FaultBook, FaultEffect } from './faults.js';
import { NimFailure } from './handlers/form.js';
import type { Handler } from './handlers/handler.js';
import { routeFor } from './handlers/routes.js';
import type { Reply } from './http-io.js';
import { decodeForm, httpReply, nimReply, readBody, send, signingHeaders } from './http-io.js';
import type { RateLimiter } from './rate-limit.js';
import type { ReceivedLog } from './received-log.js';
import type { RequestIdMemory } from './request-ids.js';
import type { EmulatorStore } from './store.js';
import type { Fault, ReceivedRequest } from './types.js';

export const BASE_PATH = '/nimserver/';

export type EmulatorParts = {
  store: EmulatorStore;
  faults: FaultBook;
  limiter: RateLimiter;
  log: ReceivedLog;
  auth: AuthSettings;
  /** Undefined when RequestId de-duplication is off. */
  requestIds?: RequestIdMemory;
  now: () => number;
  /** A real-time wait that close() cuts short. */
  sleep: (ms: number) => Promise<void>;
};

/**
 * One request, in NetEase's order: route and method (HTTP-level refusals), faults 'before', headers and signature,
 * rate limit, RequestId de-duplication (when on), the handler, faults 'after'.
 * Every request under /nimserver/ lands in the received log.
 */
export async function handleRequest(parts: EmulatorParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const receivedAt = parts.now();
  const path = new URL(req.url ?? '/', 'http://emulator').pathname;
  const body = await readBody(req);
  const headers = signingHeaders(req);
  const endpoint = path.startsWith(BASE_PATH) ? path.slice(BASE_PATH.length) : path;
  const entry: ReceivedRequest = {
    endpoint,
    appKey: headers.AppKey,
    form: body === undefined ? {} : decodeForm(body),
    headers,
    answeredCode: 0,
    receivedAt,
  };
  const reply = await answer(parts, req, entry, body !== undefined && path.startsWith(BASE_PATH));
  entry.answeredCode = reply.code;
  if (path.startsWith(BASE_PATH)) parts.log.add(entry);
  send(req, res, reply);
}

async function answer(parts: EmulatorParts, req: IncomingMessage, entry: ReceivedRequest, bodyRead: boolean): Promise<Reply> {
  const handler = routeFor(entry.endpoint);
  // Refused by the web server in front of the API, before NetEase sees anything: an unknown path is a 404 page, and
  // as the API is POST-only another method is HTTP 405 (no NetEase client sends one, so no API code is defensible).
  if (handler === undefined) return httpReply(404);
  if (req.method !== 'POST') return httpReply(405, { allow: 'POST' });
  if (!bodyRead) return httpReply(413);

  const before = await takeFaults(parts, entry, 'before');
  if (before) return before;

  const problem = authProblem(entry.headers, req.headers['content-type'], parts.auth, parts.now());
  if (problem !== undefined) return nimReply(414, problem);
  const { AppKey = '', RequestId } = entry.headers;
  // Counted at arrival time, so a call held up by injected latency still counts when it came in.
  if (!parts.limiter.admit(AppKey, entry.endpoint, entry.receivedAt)) return nimReply(416, parts.limiter.describe());
  if (RequestId && parts.requestIds?.isRepeat(AppKey, RequestId, entry.receivedAt)) {
    return nimReply(431, 'http request repeated');
  }

  const reply = run(parts, handler, entry.form);
  return (await takeFaults(parts, entry, 'after')) ?? reply;
}

function run(parts: EmulatorParts, handler: Handler, form: Record<string, string>): Reply {
  try {
    return handler({ form, store: parts.store, now: parts.now });
  } catch (error) {
    if (error instanceof NimFailure) return error.toReply();
    throw error;
  }
}

async function takeFaults(parts: EmulatorParts, entry: ReceivedRequest, phase: 'before' | 'after'): Promise<Reply | undefined> {
  const effect: FaultEffect = parts.faults.take(entry.endpoint, phase);
  if (effect.latencyMs > 0) {
    entry.fault = 'latency';
    await parts.sleep(effect.latencyMs);
  }
  if (effect.replace === undefined) return undefined;
  entry.fault = effect.replace.kind;
  return faultReply(effect.replace);
}

const DEFAULT_FAULT_DESC: Record<number, string> = {
  431: 'http request repeated',
  500: 'server error',
  503: 'server busy',
  514: 'service unavailable',
};

function faultReply(fault: Exclude<Fault, { kind: 'latency' }>): Reply {
  switch (fault.kind) {
    case 'http_status':
      return httpReply(fault.status);
    case 'code':
      return nimReply(fault.code, fault.desc ?? DEFAULT_FAULT_DESC[fault.code] ?? 'injected fault');
    case 'malformed_json':
      // Cut off mid-object, as a proxy that drops the end of a body would leave it.
      return { kind: 'json', status: 200, code: 0, text: '{"code":200,"uinfos":[{"accid":"' };
    case 'drop_connection':
      return { kind: 'drop', code: 0 };
  }
}
