import { HTTPReceiver, type App } from '@slack/bolt';
import type { AppLogger } from '../../logger.js';
import { ackUnhandled } from './ack-unhandled.js';
import type { DrainGate } from './drain-gate.js';
import { inOrder, type EventLayer, type RequestLayer } from './layer.js';
import { verifyRequests, type VerifyRequestOptions } from './verify-request.js';

/**
 * The receiver's layers, in the order a request meets them, in one place: the only code that reassigns a Bolt method
 * (`requestListener`, `processEvent`). Each layer wraps the next; a list below reads first-run first.
 *
 * HTTP, before Bolt reads the body: the drain gate (503 while starting or draining, before a byte of the body is
 * read), then the request check (size, timestamps, signature: verify-request.ts). Events, around Bolt's listeners:
 * the gate counts the run (a drain waits for it), then unhandled events are acked as soon as the listeners are done.
 */

/** Puts the layers in front of the app's events and, over HTTP, of the receiver's requests. */
export function installLayers(
  app: App,
  receiver: unknown,
  parts: { gate: DrainGate; endpoint: string; verify: Omit<VerifyRequestOptions, 'endpoint' | 'logger'>; logger: AppLogger },
): void {
  const eventLayers: EventLayer[] = [parts.gate.track, ackUnhandled(parts.logger)];
  app.processEvent = inOrder(eventLayers, app.processEvent.bind(app));
  if (receiver instanceof HTTPReceiver) {
    const requestLayers: RequestLayer[] = [
      parts.gate.refuseWhileClosed(parts.endpoint, parts.logger),
      verifyRequests({ ...parts.verify, endpoint: parts.endpoint, logger: parts.logger }),
    ];
    receiver.requestListener = inOrder(requestLayers, receiver.requestListener);
  }
}
