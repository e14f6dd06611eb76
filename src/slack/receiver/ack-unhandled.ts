import type { ReceiverEvent } from '@slack/bolt';
import type { AppLogger } from '../../logger.js';
import type { EventLayer } from './layer.js';

/**
 * A gap in Bolt 5's handling of requests, closed because a stale request must get a prompt answer
 * (test/hostile/injection-corpus.test.ts): a request no listener acks (an action_id or callback_id the app does not
 * know, e.g. from an old message, an unknown payload type, a forged view) was held for 3 s and then answered 404,
 * which Slack shows the person as an error. `ackUnhandled` acks it as soon as the listeners are done, and logs it.
 * (The body-level gaps — null payloads, unbounded and unsigned bodies, future timestamps — are closed before Bolt,
 * in verify-request.ts.)
 */

/** Acks every event that no listener acked, once the listeners are done. */
export function ackUnhandled(logger: AppLogger): EventLayer {
  return (processEvent) => async (event: ReceiverEvent) => {
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
