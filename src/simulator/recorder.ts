/**
 * Everything the local Slack received, in arrival order, with a way to await a matching arrival without sleeping.
 */

/** A Web API call (`/api/<method>`) as it arrived; JSON-valued form fields (blocks, view…) are decoded. */
export type ApiCall = {
  kind: 'api';
  method: string;
  args: Record<string, unknown>;
  /** The bearer token (or `token` field) the call carried. */
  token: string | undefined;
  receivedAt: number;
  /** What the local Slack answered (e.g. the view id `views.open` handed out), for the browser simulator. */
  answer?: { ok: boolean; [key: string]: unknown };
};

/** A post to a `response_url` (what Bolt's `respond()` sends). */
export type ResponsePost = {
  kind: 'response';
  /** The id in `/response/:id`. */
  id: string;
  body: {
    text?: string;
    blocks?: unknown[];
    response_type?: 'ephemeral' | 'in_channel';
    replace_original?: boolean;
    delete_original?: boolean;
    [key: string]: unknown;
  };
  receivedAt: number;
};

export type Received = ApiCall | ResponsePost;

type Waiter = { match: (item: Received) => boolean; resolve: (item: Received) => void };

export class Recorder {
  readonly #items: Received[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #listeners = new Set<(item: Received) => void>();

  get items(): readonly Received[] {
    return this.#items;
  }

  add(item: Received): void {
    this.#items.push(item);
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(item)) {
        this.#waiters.delete(waiter);
        waiter.resolve(item);
      }
    }
    for (const listener of this.#listeners) listener(item);
  }

  /** Calls `listener` on every later arrival (the browser simulator streams them). Returns the unsubscribe. */
  subscribe(listener: (item: Received) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The first arrival matching `match`: one already received, or the next one to arrive.
   * Rejects after `timeoutMs` (@default 5000) naming what it waited for.
   */
  waitFor<T extends Received>(match: (item: Received) => item is T, timeoutMs?: number, what?: string): Promise<T>;
  waitFor(match: (item: Received) => boolean, timeoutMs?: number, what?: string): Promise<Received>;
  waitFor(match: (item: Received) => boolean, timeoutMs = 5000, what = 'a matching request'): Promise<Received> {
    const already = this.#items.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`The local Slack received no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  clear(): void {
    this.#items.length = 0;
  }
}
