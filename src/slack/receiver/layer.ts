import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReceiverEvent } from '@slack/bolt';

/** A layer wraps the next one: a request listener, or Bolt's processEvent (install.ts puts them in order). */

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
export type RequestLayer = (next: RequestListener) => RequestListener;
export type EventLayer = (next: (event: ReceiverEvent) => Promise<void>) => (event: ReceiverEvent) => Promise<void>;

/** `layers[0]` runs first and hands on to `layers[1]`, …, the last to `inner`. */
export function inOrder<F>(layers: readonly ((next: F) => F)[], inner: F): F {
  return layers.reduceRight((next, layer) => layer(next), inner);
}
