import { loadConfig } from './config.js';

/**
 * `node dist/healthcheck.js`: exits 0 when this container's app answers GET /healthz on PORT, 1 otherwise. The
 * Dockerfile's HEALTHCHECK runs it, because the slim Node image has no curl or wget. Liveness only: readiness is
 * /readyz, for whoever routes traffic.
 */
const { port } = loadConfig(process.env);
try {
  const answer = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2500) });
  process.exitCode = answer.status === 200 ? 0 : 1;
} catch {
  process.exitCode = 1;
}
