import type { CustomRoute } from '@slack/bolt';
import type { Metrics } from './registry.js';

/** GET /metrics: the Prometheus exposition of the app's own registry (a Bolt custom route, beside /healthz). */
export function metricsRoute(metrics: Metrics): CustomRoute {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: (_req, res) => {
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
