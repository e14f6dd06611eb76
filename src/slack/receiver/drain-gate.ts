import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, type ReceiverEvent } from '@slack/bolt';
import type { AppLogger } from '../../logger.js';
import type { EventLayer, RequestLayer } from './layer.js';

/**
 * Whether the app takes Slack requests, and the listener work it has in flight. Closed until start-up has reached
 * Slack and NetEase and the audit trail has recovered (a request handled before recovery could be taken for one a
 * dead process left); closed again when a drain begins. A closed gate answers /slack/events 503 at once, so Slack
 * shows the person an error instead of a request being half handled; /healthz, /readyz and /metrics still answer.
 * In Socket Mode nothing arrives until the socket connects, and the drain disconnects it.
 */
export class DrainGate {
  private accepting = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  get isOpen(): boolean {
    return this.accepting;
  }

  /** Listener runs (commands, clicks, submissions) started and not yet finished: the ack and everything after it. */
  get busy(): number {
    return this.inFlight;
  }

  open(): void {
    this.accepting = true;
  }

  close(): void {
    this.accepting = false;
  }

  /** Resolves when no listener work is in flight, or when `deadline` settles first: with the count still running. */
  async whenIdle(deadline: Promise<unknown>): Promise<number> {
    if (this.inFlight > 0) {
      await Promise.race([new Promise<void>((resolve) => this.idleWaiters.push(resolve)), deadline]);
    }
    return this.inFlight;
  }

  /** Counts listener runs from the moment Bolt hands the app an event until its listeners are done (an event layer). */
  readonly track: EventLayer = (processEvent) => (event: ReceiverEvent) => this.hold(processEvent(event));

  /** Counts `work` as in flight until it settles (what a listener goes on with after Bolt's run: request-context.ts). */
  hold<T>(work: Promise<T>): Promise<T> {
    this.inFlight++;
    return work.finally(() => {
      this.inFlight--;
      if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    });
  }

  /** A layer that answers POSTs to `endpoint` with 503 while the gate is closed, before Bolt reads them. */
  refuseWhileClosed(endpoint: string, logger: AppLogger): RequestLayer {
    return (listener) => (req: IncomingMessage, res: ServerResponse) => {
      if (this.accepting || req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== endpoint) {
        listener(req, res);
        return;
      }
      logger.warn({}, 'Slack request refused: not taking requests (starting or draining; see /readyz)');
      req.resume();
      res.setHeader('connection', 'close');
      HTTPModuleFunctions.buildNoBodyResponse(res, 503);
    };
  }
}
