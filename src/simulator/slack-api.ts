import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiMethods, type ApiAnswer, type SlackState } from './api-methods.js';
import { demoPeople, type FakePerson } from './people.js';
import { Recorder, type ApiCall, type Received, type ResponsePost } from './recorder.js';
import { SocketModeHub } from './socket-mode.js';

/**
 * A local Slack Web API on loopback: what the tests, the bench and local mode point the app at
 * (`clientOptions.slackApiUrl`). It answers the methods in api-methods.ts, serves `response_url`s at
 * `POST /response/:id`, plays Socket Mode (`apps.connections.open` → ws://…/socket-mode), and records everything
 * it receives.
 */

export type SlackApiOptions = {
  /** The bot token calls must carry. @default 'xoxb-simulator' */
  botToken?: string;
  /** The app-level token apps.connections.open accepts (Socket Mode). @default 'xapp-simulator' */
  appToken?: string;
  /** @default 'T0SIMULATE' */
  teamId?: string;
  /** Who users.info knows. @default demoPeople */
  people?: readonly FakePerson[];
  /** User group id → member ids, for usergroups.users.list. @default none */
  usergroups?: Record<string, string[]>;
  /** User group id → handle without the @, for usergroups.list. @default the id in lower case */
  usergroupHandles?: Record<string, string>;
  /** How many posts a response_url accepts, like Slack's 5. @default 5 */
  responseUrlUses?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
};

export interface SlackApi {
  /** Origin, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** The Web API base URL for `slackApiUrl`, ending in `/api/`. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  /** Socket Mode: deliver envelopes to a connected app and await its acks. */
  readonly socketMode: SocketModeHub;
  readonly received: readonly Received[];
  /** Web API calls, optionally of one method. */
  calls(method?: string): ApiCall[];
  /** Posts to response URLs, optionally to one id. */
  responses(id?: string): ResponsePost[];
  /** A fresh response_url on this server (or the one for `id`). */
  responseUrl(id?: string): string;
  /** The first call of `method` matching `match` (already received or next to arrive). @default timeout 5000 ms */
  waitForCall(method: string, match?: (call: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall>;
  /** The first post to response URL `id` matching `match`. @default timeout 5000 ms */
  waitForResponse(id: string, match?: (post: ResponsePost) => boolean, timeoutMs?: number): Promise<ResponsePost>;
  /** Calls `listener` on every later arrival. Returns the unsubscribe. */
  subscribe(listener: (item: Received) => void): () => void;
  /** Replace who users.info knows. */
  setPeople(people: readonly FakePerson[]): void;
  putPerson(person: FakePerson): void;
  /** Creates or replaces a user group (usergroups.users.list), with its handle when given (usergroups.list). */
  setUsergroup(id: string, members: string[], handle?: string): void;
  /** Make `method` answer `{ ok: false, error }` for the next `times` calls (default: until cleared). */
  fail(method: string, error: string, times?: number): void;
  clearFailures(): void;
  /** Forget what was received. */
  clear(): void;
  close(): Promise<void>;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

export async function startSlackApi(options: SlackApiOptions = {}): Promise<SlackApi> {
  const botToken = options.botToken ?? 'xoxb-simulator';
  const appToken = options.appToken ?? 'xapp-simulator';
  const now = options.now ?? Date.now;
  const maxUses = options.responseUrlUses ?? 5;
  let serial = 0;
  const state: SlackState = {
    teamId: options.teamId ?? 'T0SIMULATE',
    botUserId: 'U0IMADMINBOT',
    people: new Map((options.people ?? demoPeople).map((person) => [person.id, person])),
    usergroups: new Map(Object.entries(options.usergroups ?? {})),
    usergroupHandles: new Map(Object.entries(options.usergroupHandles ?? {})),
    nextSerial: () => ++serial,
    nowMs: now,
  };
  const recorder = new Recorder();
  const failures = new Map<string, { error: string; remaining: number }>();
  const uses = new Map<string, number>();
  const socketMode = new SocketModeHub(now);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { ok: false, error: 'internal_error', detail: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: 'method_not_allowed' });
    const raw = await readBody(req);
    const apiMatch = /^\/api\/([\w.]+)$/.exec(path);
    if (apiMatch) return answerApi(apiMatch[1]!, req, raw, res);
    const responseMatch = /^\/response\/([\w-]+)$/.exec(path);
    if (responseMatch) return answerResponseUrl(responseMatch[1]!, raw, res);
    send(res, 404, { ok: false, error: 'unknown_path' });
  }

  function answerApi(method: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const args = parseArgs(req.headers['content-type'], raw);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    const answer = answerFor(method, token, args);
    recorder.add({ kind: 'api', method, args, token, receivedAt: now(), answer });
    send(res, 200, answer);
  }

  function answerFor(method: string, token: string | undefined, args: Record<string, unknown>): ApiAnswer {
    const implementation = apiMethods[method];
    if (!implementation && method !== 'apps.connections.open') return { ok: false, error: 'unknown_method' };
    if (!token) return { ok: false, error: 'not_authed' };
    if (method === 'apps.connections.open') {
      if (token !== appToken) return { ok: false, error: token.startsWith('xapp-') ? 'invalid_auth' : 'not_allowed_token_type' };
      return { ok: true, url: `${url.replace(/^http/, 'ws')}/socket-mode?ticket=${randomBytes(8).toString('hex')}` };
    }
    if (token !== botToken) return { ok: false, error: 'invalid_auth' };
    const failure = failures.get(method);
    if (failure) {
      if (--failure.remaining <= 0) failures.delete(method);
      return { ok: false, error: failure.error };
    }
    return implementation!(state, args);
  }

  function answerResponseUrl(id: string, raw: string, res: ServerResponse): void {
    let body: ResponsePost['body'];
    try {
      body = JSON.parse(raw) as ResponsePost['body'];
    } catch {
      return send(res, 400, { ok: false, error: 'invalid_json' });
    }
    const used = (uses.get(id) ?? 0) + 1;
    uses.set(id, used);
    recorder.add({ kind: 'response', id, body, receivedAt: now() });
    if (used > maxUses) return send(res, 404, { ok: false, error: 'used_url' });
    send(res, 200, { ok: true });
  }

  server.on('upgrade', (req, socket) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname === '/socket-mode') socketMode.handleUpgrade(req, socket);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    botToken,
    appToken,
    socketMode,
    get received() {
      return recorder.items;
    },
    calls: (method) => recorder.items.filter((item): item is ApiCall => item.kind === 'api' && (!method || item.method === method)),
    responses: (id) => recorder.items.filter((item): item is ResponsePost => item.kind === 'response' && (!id || item.id === id)),
    responseUrl: (id = randomBytes(8).toString('hex')) => `${url}/response/${id}`,
    waitForCall: (method, match = () => true, timeoutMs) =>
      recorder.waitFor(
        (item): item is ApiCall => item.kind === 'api' && item.method === method && match(item),
        timeoutMs,
        `${method} call`,
      ),
    waitForResponse: (id, match = () => true, timeoutMs) => recorder.waitForResponse(id, match, timeoutMs),
    subscribe: (listener) => recorder.subscribe(listener),
    setPeople: (people) => {
      state.people = new Map(people.map((person) => [person.id, person]));
    },
    putPerson: (person) => void state.people.set(person.id, person),
    setUsergroup: (id, members, handle) => {
      state.usergroups.set(id, [...members]);
      if (handle !== undefined) state.usergroupHandles.set(id, handle);
    },
    fail: (method, error, times = Number.POSITIVE_INFINITY) => void failures.set(method, { error, remaining: times }),
    clearFailures: () => failures.clear(),
    clear: () => recorder.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        socketMode.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseArgs(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (contentType?.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return typeof parsed === 'object' && parsed !== null ? { ...(parsed as Record<string, unknown>) } : {};
    } catch {
      return {};
    }
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = JSON_FIELDS.has(key) ? parseJsonOr(value) : value;
  }
  return args;
}

function parseJsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
