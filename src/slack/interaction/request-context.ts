import type { App, Context } from '@slack/bolt';
import type { AppLogger } from '../../logger.js';
import type { DrainGate } from '../receiver/drain-gate.js';

/**
 * The per-request context, made once for every command, click and submission by one Bolt middleware (`app.use`), as
 * octokit installs a layer once with `hook.wrap`: a correlation id (quoted in messages, in log lines, in NetEase
 * calls and as the audit entry's id) and a child logger bound to it and to what the request is. Listeners read it
 * with `requestOf(context)`; none makes its own.
 */
export type RequestContext = {
  /** A short id to quote in a message and find in the log. */
  correlationId: string;
  /** Bound to the correlation id, the command, action or view, and who asked. */
  log: AppLogger;
  /**
   * Goes on with `work` once the listener has acked and returned, outside Bolt's listener run. A command waiting its
   * turn at NetEase then holds only what `work` uses, not the HTTP request and response, the body and every Bolt
   * middleware frame above it: about 24 instead of 50 kB of heap per waiting lookup, which is what the resident set
   * after a backlog of ~900 lookups is made of (bench/operability.ts). A drain still waits for it (the gate counts
   * it); a failure is logged as Bolt's error handler logs a listener's.
   */
  afterAck: (work: () => Promise<void>) => void;
};

/** Installs the middleware: call once, before any listener is registered. */
export function installRequestContext(
  app: App,
  options: { newCorrelationId: () => string; logger: AppLogger; gate: Pick<DrainGate, 'hold'> },
): void {
  app.use(async ({ body, context, next }) => {
    const correlationId = options.newCorrelationId();
    const log = options.logger.child({ correlationId, ...bindingsOf(body) });
    const afterAck = (work: () => Promise<void>) => {
      // A macrotask later: the acks of a burst go out first, and the listener's run (and Bolt's, with the request) has ended.
      const detached = new Promise<void>((resolve) => setImmediate(resolve)).then(work);
      void options.gate.hold(detached).catch((error: unknown) => log.error({ err: error }, 'unhandled error in a Slack listener'));
    };
    const request: RequestContext = { correlationId, log, afterAck };
    context[REQUEST] = request;
    await next();
  });
}

/** The request context the middleware made for this request. */
export function requestOf(context: Context): RequestContext {
  const request = context[REQUEST] as RequestContext | undefined;
  if (!request) throw new Error('the request-context middleware is not installed (installRequestContext)');
  return request;
}

const REQUEST = 'imAdminRequest';

/** What the request is, as the log lines name it: `command`, `action` or `view`, and `userId`. Clipped: it comes from the client. */
function bindingsOf(raw: unknown): Record<string, unknown> {
  const body = (raw ?? {}) as { command?: unknown; user_id?: unknown; type?: unknown; actions?: unknown; view?: unknown; user?: unknown };
  const clip = (value: unknown) => (typeof value === 'string' ? value.slice(0, 64) : undefined);
  const userId = clip(body.user_id) ?? clip((body.user as { id?: unknown } | undefined)?.id);
  if (typeof body.command === 'string') return { command: clip(body.command), userId };
  if (body.type === 'block_actions') {
    const first = Array.isArray(body.actions) ? (body.actions[0] as { action_id?: unknown } | undefined) : undefined;
    return { action: clip(first?.action_id), userId };
  }
  if (body.type === 'view_submission' || body.type === 'view_closed') {
    return { view: clip((body.view as { callback_id?: unknown } | undefined)?.callback_id), userId };
  }
  return { type: clip(body.type), userId };
}
