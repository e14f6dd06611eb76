import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fromLoopback, json, parseJson, readBody, sameOrigin, sendEvent } from './sim-http.js';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { renderSnapshot, type SnapshotExtras } from './render/snapshot.js';
import type { Simulator } from './simulator.js';
import type { Surfaces } from './surfaces.js';

/**
 * The browser simulator's HTTP side: the page (`/`), its script and style, and a small JSON API the page calls —
 * `POST /sim/command`, `/sim/action`, `/sim/view-submit`, `/sim/view-close`, `GET /sim/state`, and `GET /sim/events` (Server-Sent
 * Events: one JSON snapshot of what the chosen person sees, again after every change). A refusal the page must show
 * (a message over Slack's length limit) is `400 { ok: false, error, message }`, `message` in Slack's words. Served as routes beside the
 * app's `/slack/events` in local mode, or on its own server (`startSimServer`) in tests.
 */

export type SimRoute = {
  path: string;
  method: 'GET' | 'POST';
  handler: (req: IncomingMessage, res: ServerResponse) => void;
};

export type SimPages = {
  routes: SimRoute[];
  /** Ends the open event streams (a server cannot close while they are open). */
  close(): void;
};

export type SimPagesOptions = SnapshotExtras & {
  /** Who the page acts as until the person picks someone else. */
  defaultUser: string;
  /** The Home tab, the message shortcut and the Workflows panel (`/sim/home-*`, `/sim/message-shortcut`, `/sim/step-run`). */
  surfaces?: Surfaces;
};

const asset = (name: string) => readFileSync(new URL(`./web/${name}`, import.meta.url));
const contentTypes: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

const slackId = z.string().regex(/^[A-Z0-9:]{2,40}$/);
// Longer than Slack's 4,000 characters is accepted here so the simulator can refuse it in Slack's words.
const commandInput = z.object({ user: slackId, channel: slackId, text: z.string().max(60_000) });
const actionInput = z.object({
  user: slackId,
  messageId: z.string().max(40).optional(),
  viewId: z.string().max(300).optional(),
  actionId: z.string().max(255),
  blockId: z.string().max(255),
  type: z.enum(['button', 'static_select']).default('button'),
  value: z.string().max(2000).optional(),
  text: z.string().max(300).optional(),
  selected: z.object({ text: z.string().max(300), value: z.string().max(150) }).optional(),
});
const submitInput = z.object({
  user: slackId,
  viewId: z.string().max(300),
  // Per input: the text typed (Slack's longest input is 3,000 characters), or the value(s) of the option(s) chosen.
  values: z.record(
    z.string().max(255),
    z.record(z.string().max(255), z.union([z.string().max(3000), z.array(z.string().max(150)).max(100)])),
  ),
});
/** A file picked in a file_input: its name and text (the app takes .txt and .csv lists; 2 MB leaves room to test its limit). */
const fileInput = z.object({ user: slackId, name: z.string().min(1).max(255), content: z.string().max(2 * 1024 * 1024) });
const homeOpenInput = z.object({ user: slackId });
const homeActionInput = z.object({
  user: slackId,
  actionId: z.string().max(255),
  blockId: z.string().max(255),
  value: z.string().max(2000).optional(),
  values: z.record(z.string().max(255), z.record(z.string().max(255), z.string().max(3000))).default({}),
});
const shortcutInput = z.object({ user: slackId, messageId: z.string().max(40), callbackId: z.string().max(255) });
const stepRunInput = z.object({
  user: slackId,
  callbackId: z.string().max(255),
  inputs: z.record(z.string().max(64), z.union([z.string().max(4000), z.boolean()])),
});
/** `viewId: 'all'`: the page was (re)loaded, and Slack's client forgets open modals on reload. */
const closeInput = z.object({ user: slackId, viewId: z.string().max(300) });

export function simPages(simulator: Simulator, options: SimPagesOptions): SimPages {
  const { workspace } = simulator;
  const streams = new Map<ServerResponse, string>();
  let pending = false;
  const unsubscribe = workspace.onChange(() => {
    if (pending) return;
    pending = true;
    // One snapshot per burst of changes (a command often posts and replaces within a tick).
    setImmediate(() => {
      pending = false;
      for (const [res, user] of streams) sendEvent(res, renderSnapshot(workspace, user, options));
    });
  });
  const heartbeat = setInterval(() => {
    for (const res of streams.keys()) res.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  const isPerson = (id: string) => workspace.person(id) !== undefined;
  const statics: SimRoute[] = Object.entries({
    '/': 'index.html',
    '/sim/app.js': 'app.js',
    '/sim/dom.js': 'dom.js',
    '/sim/style.css': 'style.css',
  }).map(([path, file]) => ({
    path,
    method: 'GET',
    handler: (req, res) => {
      if (!fromLoopback(req)) return json(res, 403, { ok: false, error: 'loopback_only' });
      const body = asset(file);
      res.writeHead(200, {
        'content-type': contentTypes[file]!,
        'content-length': body.length,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...(file === 'index.html'
          ? {
              'content-security-policy':
                "default-src 'self'; img-src 'self' http: https: data:; style-src 'self'; script-src 'self'; connect-src 'self'",
            }
          : {}),
      });
      res.end(body);
    },
  }));

  const api = <T>(path: string, schema: z.ZodType<T>, run: (input: T) => Promise<unknown>, maxBytes?: number): SimRoute => ({
    path,
    method: 'POST',
    handler: (req, res) => {
      void (async () => {
        if (!fromLoopback(req) || !sameOrigin(req)) return json(res, 403, { ok: false, error: 'loopback_only' });
        if (!req.headers['content-type']?.startsWith('application/json')) return json(res, 415, { ok: false, error: 'json_only' });
        const parsed = schema.safeParse(parseJson(await readBody(req, maxBytes)));
        if (!parsed.success) return json(res, 400, { ok: false, error: 'invalid_request', detail: z.prettifyError(parsed.error) });
        const user = (parsed.data as { user: string }).user;
        if (!isPerson(user)) return json(res, 400, { ok: false, error: 'unknown_user' });
        const result = (await run(parsed.data)) as { refused?: string; message?: string };
        if (result.refused) return json(res, 400, { ok: false, error: result.refused, message: result.message });
        json(res, 200, { ok: true, ...result });
      })().catch((error: unknown) => json(res, 500, { ok: false, error: 'internal_error', detail: String(error) }));
    },
  });

  const routes: SimRoute[] = [
    ...statics,
    { path: '/favicon.ico', method: 'GET', handler: (_req, res) => void res.writeHead(204).end() },
    {
      path: '/sim/events',
      method: 'GET',
      handler: (req, res) => {
        const user = new URL(req.url ?? '/', 'http://localhost').searchParams.get('user') ?? options.defaultUser;
        if (!fromLoopback(req)) return json(res, 403, { ok: false, error: 'loopback_only' });
        if (!isPerson(user)) return json(res, 400, { ok: false, error: 'unknown_user' });
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
        streams.set(res, user);
        res.on('close', () => streams.delete(res));
        sendEvent(res, renderSnapshot(workspace, user, options));
      },
    },
    {
      path: '/sim/state',
      method: 'GET',
      handler: (req, res) => {
        const user = new URL(req.url ?? '/', 'http://localhost').searchParams.get('user') ?? options.defaultUser;
        if (!fromLoopback(req)) return json(res, 403, { ok: false, error: 'loopback_only' });
        if (!isPerson(user)) return json(res, 400, { ok: false, error: 'unknown_user' });
        json(res, 200, renderSnapshot(workspace, user, options));
      },
    },
    api('/sim/command', commandInput, async ({ user, channel, text }) => {
      const reply = await simulator.type(user, channel, text);
      if (reply && 'refused' in reply) return reply;
      return reply ? { status: reply.status } : {};
    }),
    api('/sim/action', actionInput, async (input) => {
      const reply = await simulator.click(
        input.user,
        { ...(input.messageId ? { messageId: input.messageId } : {}), ...(input.viewId ? { viewId: input.viewId } : {}) },
        {
          actionId: input.actionId,
          blockId: input.blockId,
          type: input.type,
          ...(input.value !== undefined ? { value: input.value } : {}),
          ...(input.text !== undefined ? { text: input.text } : {}),
          ...(input.selected
            ? { selectedOption: { text: { type: 'plain_text', text: input.selected.text }, value: input.selected.value } }
            : {}),
        },
      );
      return { status: reply.status };
    }),
    api('/sim/view-submit', submitInput, async ({ user, viewId, values }) => {
      const reply = await simulator.submit(user, viewId, values);
      return { status: reply.status };
    }),
    api(
      '/sim/file-upload',
      fileInput,
      ({ user, name, content }) => Promise.resolve(simulator.attachFile(user, name, content)),
      3 * 1024 * 1024,
    ),
    api('/sim/view-close', closeInput, async ({ user, viewId }) => {
      await simulator.close(user, viewId);
      return {};
    }),
    ...(options.surfaces ? surfaceRoutes(options.surfaces) : []),
  ];

  function surfaceRoutes(surfaces: Surfaces): SimRoute[] {
    return [
      api('/sim/home-open', homeOpenInput, async ({ user }) => ({ status: (await surfaces.openHome(user)).status })),
      api('/sim/home-action', homeActionInput, async (input) => {
        const element = {
          actionId: input.actionId,
          blockId: input.blockId,
          type: 'button',
          ...(input.value === undefined ? {} : { value: input.value }),
        };
        return { status: (await surfaces.clickHome(input.user, element, input.values)).status };
      }),
      api('/sim/message-shortcut', shortcutInput, async ({ user, messageId, callbackId }) => ({
        status: (await surfaces.messageShortcut(user, messageId, callbackId)).status,
      })),
      api('/sim/step-run', stepRunInput, async ({ user, callbackId, inputs }) => {
        const reply = await surfaces.runStep(user, callbackId, inputs);
        return 'refused' in reply ? reply : { status: reply.status };
      }),
    ];
  }

  return {
    routes,
    close: () => {
      unsubscribe();
      clearInterval(heartbeat);
      for (const res of streams.keys()) res.end();
      streams.clear();
    },
  };
}

/** The page on a server of its own (tests, or when the app's HTTP server is not available). */
export async function startSimServer(
  pages: SimPages,
  listen: { port?: number; host?: string } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = pages.routes.find((r) => r.path === path && r.method === req.method);
    if (route) return route.handler(req, res);
    json(res, 404, { ok: false, error: 'not_found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        pages.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
