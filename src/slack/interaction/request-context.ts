import type { App, Context } from '@slack/bolt';
import type { AppLogger } from '../../logger.js';

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
};

/** Installs the middleware: call once, before any listener is registered. */
export function installRequestContext(app: App, options: { newCorrelationId: () => string; logger: AppLogger }): void {
  app.use(async ({ body, context, next }) => {
    const correlationId = options.newCorrelationId();
    const request: RequestContext = { correlationId, log: options.logger.child({ correlationId, ...bindingsOf(body) }) };
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
