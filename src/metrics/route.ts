import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Metrics } from './registry.js';

/**
 * GET /metrics: the Prometheus exposition of the app's own registry (a Bolt custom route, beside /healthz). With a
 * `token` (METRICS_TOKEN) a scrape must send `Authorization: Bearer <token>`; anything else gets 401 and no metrics.
 */
export function metricsRoute(metrics: Metrics, options: { token?: string } = {}): CustomRoute {
  const { token } = options;
  return {
    path: '/metrics',
    method: ['GET'],
    handler: (req, res) => {
      if (token !== undefined && !bearerMatches(req, token)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8' });
        res.end('a bearer token is needed for /metrics\n');
        return;
      }
      metrics.render().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(`metrics could not be collected: ${error instanceof Error ? error.message : String(error)}\n`);
        },
      );
    },
  };
}

/** Compares digests, so neither the token's length nor its content leaks through timing. */
function bearerMatches(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
