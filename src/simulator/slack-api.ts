import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiMethods } from './api-methods.js';
import { messageKey, messageTs, type ApiAnswer, type FunctionExecution, type SlackState } from './api-state.js';
import { channelPostedIn } from './chat-methods.js';
import { HeldCalls } from './held-calls.js';
import { demoPeople } from './people.js';
import { Recorder, type ApiCall, type ResponsePost } from './recorder.js';
import { json, parseJson, readBody } from './sim-http.js';
import type { SlackApi, SlackApiOptions } from './slack-api.types.js';
import { SlackFiles } from './slack-files.js';
import { SocketModeHub } from './socket-mode.js';

export type { SlackApi, SlackApiOptions } from './slack-api.types.js';

/**
 * A local Slack Web API on loopback: what the tests, the bench and local mode point the app at
 * (`clientOptions.slackApiUrl`). It answers the methods in api-methods.ts, serves `response_url`s at
 * `POST /response/:id`, plays Socket Mode (`apps.connections.open` → ws://…/socket-mode), and records everything
 * it receives.
 */

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'outputs']);
/** Far above any real Web API call (a 100-block view, form-encoded), so only a runaway client is cut off. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** The bot scopes manifest.yml asks for: what an installed im-admin's token has. */
const defaultScopes = [
  'commands',
  'chat:write',
  'chat:write.public',
  'users:read',
  'usergroups:read',
  'im:write',
  'files:read',
  'channels:history',
  'groups:history',
];

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
    homeViews: new Map(),
    functionExecutions: new Map(),
    messages: new Map(),
    scopes: new Set(options.scopes ?? defaultScopes),
    notMemberOf: new Set(),
  };
  const recorder = new Recorder();
  const failures = new Map<string, { error: string; remaining: number }>();
  const held = new HeldCalls();
  const uses = new Map<string, number>();
  const socketMode = new SocketModeHub(now);
  const files = new SlackFiles(() => url, botToken, now);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, { ok: false, error: 'internal_error', detail: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && files.serve(req, res, path)) return;
    if (req.method !== 'POST') return json(res, 405, { ok: false, error: 'method_not_allowed' });
    const raw = await readBody(req, MAX_BODY_BYTES);
    const apiMatch = /^\/api\/([\w.]+)$/.exec(path);
    if (apiMatch) return answerApi(apiMatch[1]!, req, raw, res);
    const responseMatch = /^\/response\/([\w-]+)$/.exec(path);
    if (responseMatch) return answerResponseUrl(responseMatch[1]!, raw, res);
    json(res, 404, { ok: false, error: 'unknown_path' });
  }

  async function answerApi(method: string, req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const args = parseArgs(req.headers['content-type'], raw);
    await held.passage(method, args);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    const answer = answerFor(method, token, args);
    recorder.add({ kind: 'api', method, args, token, receivedAt: now(), answer });
    await held.passage(method, args, 'answer');
    json(res, 200, answer);
  }

  function answerFor(method: string, token: string | undefined, args: Record<string, unknown>): ApiAnswer {
    const implementation = apiMethods[method];
    if (!implementation && method !== 'apps.connections.open') return { ok: false, error: 'unknown_method' };
    if (!token) return { ok: false, error: 'not_authed' };
    if (method === 'apps.connections.open') {
      if (token !== appToken) return { ok: false, error: token.startsWith('xapp-') ? 'invalid_auth' : 'not_allowed_token_type' };
      return { ok: true, url: `${url.replace(/^http/, 'ws')}/socket-mode?ticket=${randomBytes(8).toString('hex')}` };
    }
    if (token !== botToken && !isRunningStepToken(token)) return { ok: false, error: 'invalid_auth' };
    const failure = failures.get(method);
    if (failure) {
      if (--failure.remaining <= 0) failures.delete(method);
      return { ok: false, error: failure.error };
    }
    return implementation!(state, args);
  }

  /** A workflow token acts as the bot while its step runs (Bolt's app.function calls with it). */
  function isRunningStepToken(token: string): boolean {
    return [...state.functionExecutions.values()].some((execution) => execution.token === token && execution.status === 'running');
  }

  function answerResponseUrl(id: string, raw: string, res: ServerResponse): void {
    let body: ResponsePost['body'];
    try {
      body = JSON.parse(raw) as ResponsePost['body'];
    } catch {
      return json(res, 400, { ok: false, error: 'invalid_json' });
    }
    const used = (uses.get(id) ?? 0) + 1;
    uses.set(id, used);
    recorder.add({ kind: 'response', id, body, receivedAt: now() });
    if (used > maxUses) return json(res, 404, { ok: false, error: 'used_url' });
    json(res, 200, { ok: true });
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
    homeView: (userId) => state.homeViews.get(userId),
    message: (channel, ts) => {
      const message = state.messages.get(messageKey(channelPostedIn(channel), ts));
      return message && structuredClone(message);
    },
    putMessage: (channel, user, text) => {
      const ts = messageTs(state);
      state.messages.set(messageKey(channel, ts), { channel, ts, user, text });
      return { channel, ts };
    },
    startFunctionExecution: (callbackId) => {
      const id = `Fx${randomBytes(6).toString('hex').toUpperCase()}`;
      const execution: FunctionExecution = { id, callbackId, token: `xwfp-${randomBytes(12).toString('hex')}`, status: 'running' };
      state.functionExecutions.set(id, execution);
      return { id, token: execution.token };
    },
    functionExecution: (id) => {
      const execution = state.functionExecutions.get(id);
      return execution && { ...execution };
    },
    putFile: (name, content, user) => files.put(name, content, user),
    file: (id) => files.get(id),
    fileDownloads: (id) => files.downloads.get(id) ?? 0,
    fail: (method, error, times = Number.POSITIVE_INFINITY) => void failures.set(method, { error, remaining: times }),
    clearFailures: () => failures.clear(),
    hold: (method, match) => held.hold(method, match),
    holdAnswer: (method, match) => held.hold(method, match, 'answer'),
    setScopes: (scopes) => void (state.scopes = new Set(scopes)),
    leaveChannel: (channel) => void state.notMemberOf.add(channel),
    clear: () => recorder.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        socketMode.close();
        held.releaseAll();
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
  return parseJson(value) ?? value;
}
