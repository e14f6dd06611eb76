import { readFileSync } from 'node:fs';
import { fromLoopback, json, type SimRoute } from './sim-http.js';

/** The page itself: its HTML, script and style, read from web/ on each request (no build step, no cache). */

const asset = (name: string) => readFileSync(new URL(`./web/${name}`, import.meta.url));
const contentTypes: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};
const files: Record<string, string> = {
  '/': 'index.html',
  '/sim/app.js': 'app.js',
  '/sim/dom.js': 'dom.js',
  '/sim/style.css': 'style.css',
};

/** The page's files, to this machine only; the HTML with a policy that runs no script but the page's own. */
export function assetRoutes(): SimRoute[] {
  const routes: SimRoute[] = Object.entries(files).map(([path, file]) => ({
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
  return [...routes, { path: '/favicon.ico', method: 'GET', handler: (_req, res) => void res.writeHead(204).end() }];
}
