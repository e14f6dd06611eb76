import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { type App, HTTPModuleFunctions, type HTTPReceiver, type ReceiverEvent } from '@slack/bolt';
import type { AppLogger } from '../logger.js';

/**
 * Two gaps in Bolt 5's handling of requests, closed because a hostile or stale request must get a prompt answer and
 * never take the process down (test/hostile/injection-corpus.test.ts):
 *
 * - A request no listener acks (an action_id or callback_id the app does not know, e.g. from an old message, an
 *   unknown payload type, a forged view) was held for 3 s and then answered 404, which Slack shows the person as an
 *   error. `ackUnhandled` acks it as soon as the listeners are done, and logs it.
 * - A signed body whose payload is JSON `null` made Bolt's HTTP receiver read a property of null outside any catch:
 *   the request was never answered and the rejection was unhandled (which ends a Node process). `refuseNullPayload`
 *   answers it 400 before Bolt parses it.
 */

/** Acks every event that no listener acked, once the listeners are done. */
export function ackUnhandled(app: App, logger: AppLogger): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    let acked = false;
    const ack: ReceiverEvent['ack'] = (response) => {
      acked = true;
      return event.ack(response);
    };
    await processEvent({ ...event, ack });
    if (acked) return;
    const body = event.body as Record<string, unknown> | null | undefined;
    logger.warn({ type: body?.type, command: body?.command, ids: idsOf(body) }, 'request no listener handled; acked');
    await event.ack();
  };
}

function idsOf(body: Record<string, unknown> | null | undefined): unknown {
  const actions = Array.isArray(body?.actions) ? (body.actions as { action_id?: unknown }[]) : [];
  const view = body?.view as { callback_id?: unknown } | undefined;
  return {
    actionIds: actions.slice(0, 5).map((action) => String(action?.action_id).slice(0, 64)),
    callbackId: typeof view?.callback_id === 'string' ? view.callback_id.slice(0, 64) : undefined,
  };
}

/** Answers 400 to a body on `endpoint` whose payload is JSON null, before Bolt's receiver sees it. */
export function refuseNullPayload(receiver: HTTPReceiver, endpoint: string, logger: AppLogger): void {
  const listener = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== endpoint) {
      listener(req, res);
      return;
    }
    HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit).then(
      (buffered) => {
        if (isNullPayload(buffered.rawBody.toString(), req.headers['content-type'])) {
          logger.warn({}, 'request with a null payload refused');
          HTTPModuleFunctions.buildNoBodyResponse(res, 400);
          return;
        }
        listener(buffered, res);
      },
      (error: unknown) => {
        const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && (error as { statusCode?: number }).statusCode === 413;
        logger.warn({ err: error }, 'could not read a request body');
        HTTPModuleFunctions.buildNoBodyResponse(res, tooLarge ? 413 : 400);
      },
    );
  };
}

function isNullPayload(text: string, contentType: string | undefined): boolean {
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const { payload } = parseQuery(text);
      return typeof payload === 'string' && JSON.parse(payload) === null;
    }
    return JSON.parse(text) === null;
  } catch {
    return false;
  }
}
