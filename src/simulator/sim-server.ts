import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SnapshotExtras } from './render/snapshot.js';
import { apiRoutes } from './sim-api.js';
import { assetRoutes } from './sim-assets.js';
import { snapshotStreams } from './sim-events.js';
import { json, type SimRoute } from './sim-http.js';
import type { Simulator } from './simulator.js';
import type { Surfaces } from './surfaces.js';

/**
 * The browser simulator's HTTP side: the page (`/`, its script and style), what the chosen person sees (`GET
 * /sim/state`, and `GET /sim/events` as Server-Sent Events), and the JSON API the page calls for what they do
 * (`POST /sim/…`). Served as routes beside the app's `/slack/events` in local mode, or on its own server
 * (`startSimServer`) in tests.
 */

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

export function simPages(simulator: Simulator, options: SimPagesOptions): SimPages {
  const snapshots = snapshotStreams(simulator.workspace, options);
  return {
    routes: [...assetRoutes(), ...snapshots.routes, ...apiRoutes(simulator, options.surfaces)],
    close: () => snapshots.close(),
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
