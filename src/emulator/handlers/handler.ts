import type { Reply } from '../http-io.js';
import type { EmulatorStore } from '../store.js';

export type HandlerContext = {
  /** The decoded form, exactly as it arrived. */
  form: Record<string, string>;
  store: EmulatorStore;
  /** Milliseconds since the epoch, from the injected clock. */
  now: () => number;
};

/** One endpoint: validates the form, applies the change, returns the answer; throws NimFailure for NetEase errors. */
export type Handler = (context: HandlerContext) => Reply;
