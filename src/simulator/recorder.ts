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

/** Waiting for one response_url's post is the common case (every command in a load test): found by its id. */
function responseKey(item: Received): string | undefined {
  return item.kind === 'response' ? item.id : undefined;
}

export class Recorder {
  readonly #items: Received[] = [];
  readonly #responsesById = new Map<string, ResponsePost[]>();
  readonly #waiters = new Set<Waiter>();
  readonly #responseWaiters = new Map<string, Set<Waiter>>();
  readonly #listeners = new Set<(item: Received) => void>();

  get items(): readonly Received[] {
    return this.#items;
  }

  add(item: Received): void {
    this.#items.push(item);
    const key = responseKey(item);
    if (key !== undefined) {
      const posts = this.#responsesById.get(key);
      if (posts) posts.push(item as ResponsePost);
      else this.#responsesById.set(key, [item as ResponsePost]);
    }
    const keyed = key === undefined ? undefined : this.#responseWaiters.get(key);
    for (const waiters of keyed ? [this.#waiters, keyed] : [this.#waiters]) {
      for (const waiter of [...waiters]) {
        if (waiter.match(item)) {
          waiters.delete(waiter);
          waiter.resolve(item);
        }
      }
    }
    if (keyed?.size === 0) this.#responseWaiters.delete(key!);
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
    return this.#waitIn(this.#items, this.#waiters, match, timeoutMs, what);
  }

  /** The first post to response_url `id` matching `match`: like waitFor(), without scanning everything received. */
  waitForResponse(
    id: string,
    match: (post: ResponsePost) => boolean,
    timeoutMs = 5000,
    what = `post to response_url ${id}`,
  ): Promise<ResponsePost> {
    let waiters = this.#responseWaiters.get(id);
    if (!waiters) this.#responseWaiters.set(id, (waiters = new Set()));
    const matchPost = (item: Received) => item.kind === 'response' && item.id === id && match(item);
    return this.#waitIn(this.#responsesById.get(id) ?? [], waiters, matchPost, timeoutMs, what) as Promise<ResponsePost>;
  }

  #waitIn(
    received: readonly Received[],
    waiters: Set<Waiter>,
    match: (item: Received) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<Received> {
    const already = received.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`The local Slack received no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      waiters.add(waiter);
    });
  }

  clear(): void {
    this.#items.length = 0;
    this.#responsesById.clear();
  }
}
