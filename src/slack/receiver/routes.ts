import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomRoute } from '@slack/bolt';

/**
 * Socket Mode's own HTTP port, for /healthz, /readyz and /metrics (exact paths). Bolt's Socket Mode receiver would
 * serve custom routes too, but only by listening and connecting the socket in one step, on every interface: start-up
 * has to answer /healthz while Slack is still out of reach, and listen where it is told.
 */
export async function listenForRoutes(routes: readonly CustomRoute[], listen: { port: number; host: string }): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((candidate) => candidate.path === path);
    const methods = [route?.method ?? []].flat().map((method) => method.toUpperCase());
    if (!route || !methods.includes(req.method ?? 'GET')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
      return;
    }
    void route.handler(Object.assign(req, { params: {} }), res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** The origin a server listens on, with a wildcard address shown as loopback. */
export function originOf(server: Server): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
}
