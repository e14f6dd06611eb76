import type { ServerResponse } from 'node:http';
import { renderSnapshot, type SnapshotExtras } from './render/snapshot.js';
import { fromLoopback, json, sendEvent, type SimRoute } from './sim-http.js';
import type { Workspace } from './workspace.js';

/**
 * What the chosen person sees, as the page reads it: `GET /sim/state` once, and `GET /sim/events` as Server-Sent
 * Events, one JSON snapshot at once and again after every burst of changes.
 */
export type SnapshotStreams = {
  routes: SimRoute[];
  /** Ends the open event streams (a server cannot close while they are open). */
  close(): void;
};

export function snapshotStreams(workspace: Workspace, options: SnapshotExtras & { defaultUser: string }): SnapshotStreams {
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

  /** The person asked about (`?user=`, else the default), if the request may ask and that person exists. */
  const viewer = (req: Parameters<SimRoute['handler']>[0], res: ServerResponse): string | undefined => {
    const user = new URL(req.url ?? '/', 'http://localhost').searchParams.get('user') ?? options.defaultUser;
    if (!fromLoopback(req)) return void json(res, 403, { ok: false, error: 'loopback_only' });
    if (workspace.person(user) === undefined) return void json(res, 400, { ok: false, error: 'unknown_user' });
    return user;
  };

  const routes: SimRoute[] = [
    {
      path: '/sim/events',
      method: 'GET',
      handler: (req, res) => {
        const user = viewer(req, res);
        if (user === undefined) return;
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
        const user = viewer(req, res);
        if (user !== undefined) json(res, 200, renderSnapshot(workspace, user, options));
      },
    },
  ];

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
