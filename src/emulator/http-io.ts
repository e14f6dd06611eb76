import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { SigningHeaders } from './auth.js';

/** Far above any real call (200 accids of 32 characters is ~15 KB); larger bodies are refused with HTTP 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** How the emulator answers one request. `code` is what the received log records. */
export type Reply =
  | { kind: 'json'; status: number; text: string; code: number }
  | { kind: 'text'; status: number; text: string; code: number; headers?: Record<string, string> }
  | { kind: 'drop'; code: 0 };

/** A NetEase answer: HTTP 200 whatever the outcome; the outcome is `code`. */
export function nimReply(code: number, desc: string): Reply {
  return { kind: 'json', status: 200, code, text: JSON.stringify({ code, desc }) };
}

/** An answer from the HTTP layer in front of NetEase (a gateway, a proxy): no NetEase code, an HTML page. */
export function httpReply(status: number, headers?: Record<string, string>): Reply {
  const text = `<html><body><h1>${status} ${STATUS_CODES[status] ?? ''}</h1></body></html>`;
  return { kind: 'text', status, code: status, text, ...(headers ? { headers } : {}) };
}

/** The body as text, or undefined when it is larger than `maxBytes` (the rest is drained, not kept). */
export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= maxBytes) chunks.push(buffer);
  }
  return size > maxBytes ? undefined : Buffer.concat(chunks).toString('utf8');
}

/** Form fields; a repeated field keeps its first value. */
export function decodeForm(body: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    if (!Object.hasOwn(form, name)) form[name] = value;
  }
  return form;
}

export function signingHeaders(req: IncomingMessage): SigningHeaders {
  const pick = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const headers: SigningHeaders = {};
  const entries = [
    ['AppKey', pick('appkey')],
    ['Nonce', pick('nonce')],
    ['CurTime', pick('curtime')],
    ['CheckSum', pick('checksum')],
    ['RequestId', pick('requestid')],
  ] as const;
  for (const [name, value] of entries) if (value !== undefined) headers[name] = value;
  return headers;
}

export function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  // The client may have given up while an injected latency ran; there is nobody left to answer.
  if (res.destroyed || res.writableEnded) return;
  if (reply.kind === 'drop') {
    req.socket.destroy();
    return;
  }
  const contentType = reply.kind === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8';
  res.writeHead(reply.status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(reply.text),
    ...(reply.kind === 'text' ? reply.headers : {}),
  });
  res.end(reply.text);
}
