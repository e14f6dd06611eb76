import type { IncomingMessage, ServerResponse } from 'node:http';

/** The small HTTP pieces of the simulator's page server: routes, guards, JSON and event-stream answers, bodies. */

/** One path of the page server: served beside the app's `/slack/events` in local mode, or by startSimServer. */
export type SimRoute = {
  path: string;
  method: 'GET' | 'POST';
  handler: (req: IncomingMessage, res: ServerResponse) => void;
};

/** Headers a proxy adds for the client behind it: a request carrying one came from elsewhere. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'via'];

/**
 * The page lets anyone act as anyone: it answers only to a connection from this machine (the socket's address, which
 * a client cannot choose), addressed to this machine (the Host header, which stops DNS rebinding), not relayed by a
 * proxy that says so, and only to pages it served itself (sameOrigin). A proxy on this same machine that adds no
 * header cannot be told apart: local mode must not be published through one (README).
 */
export function fromLoopback(req: IncomingMessage): boolean {
  if (!isLoopback((req.headers.host ?? '').replace(/:\d+$/, ''))) return false;
  if (!isLoopback(req.socket.remoteAddress)) return false;
  return FORWARDING_HEADERS.every((name) => req.headers[name] === undefined);
}

/**
 * A host name or address of this machine: `localhost`, 127.0.0.0/8, `::1` (bracketed as in a URL or Host header, or
 * not), and IPv4-mapped IPv6 (`::ffff:127.0.0.1`, how a dual-stack server reports an IPv4 peer).
 */
export function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const bare = host
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/^::ffff:/i, '')
    .toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function sendEvent(res: ServerResponse, data: unknown): void {
  res.write(`data: ${JSON.stringify(data)}\n\n`);
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The body as text; a body over `maxBytes` destroys the request. @default 256 KiB */
export function readBody(req: IncomingMessage, maxBytes = 256 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
