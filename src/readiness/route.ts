import type { CustomRoute } from '@slack/bolt';
import type { Readiness } from './readiness.js';

/**
 * `GET /readyz`: 200 `{"ready":true,…}` or 503 with every probe's answer, e.g.
 * `{"ready":false,"probes":{"startup":{"ready":false,"reason":"Slack: …"},"draining":{"ready":true}}}`.
 * Reasons name settings and URLs, never secrets.
 */
export function readyzRoute(readiness: Readiness): CustomRoute {
  return {
    path: '/readyz',
    method: ['GET'],
    handler: (_req, res) => {
      void readiness.check().then((report) => {
        res.writeHead(report.ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(report));
      });
    },
  };
}
