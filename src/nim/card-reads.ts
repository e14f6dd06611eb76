import { accidKey } from './accid.js';
import type { UserCard } from './types.js';

/** Where the card of one account in a lookup came from, for metrics. */
export type CardSource = 'cache' | 'shared' | 'netease';

export type CardReadsOptions = {
  /** How long a card read from NetEase may answer repeats, in ms; 0 keeps no cards (lookups in flight are still shared). */
  ttlMs: number;
  /** Milliseconds, monotonic enough for ages. @default Date.now */
  now?: () => number;
  /** Cards kept at most; the oldest go first. @default 20000 */
  maxEntries?: number;
  /** Called once per lookup with how many of its accounts came from where. */
  onRead?: (counts: Readonly<Record<CardSource, number>>) => void;
};

/** A fetch of some accounts from NetEase: the cards it returned (absent ones were not found). */
export type FetchCards = (accids: string[]) => Promise<readonly UserCard[]>;

type Answer = { card: UserCard | undefined };
type Cached = Answer & { at: number };
type InFlight = { generation: number; answer: Promise<Map<string, UserCard>> };

/**
 * Reads that are not paid for twice: a lookup of an account whose card another lookup is already fetching waits for
 * that fetch, and a card fetched less than `ttlMs` ago answers again. The app's own writes end both at once: a write
 * to an account drops its card when it starts and again when it ends, and bumps the account's generation so that a
 * fetch that began before the write can neither be joined nor fill the cache afterwards. Another replica's writes are
 * not seen here; `ttlMs` bounds how stale that can be.
 *
 * Only lookups people asked for use this; conflict checks, the reads before and after a moderation, and read-backs
 * go to NetEase every time (the caller decides, `allowCached`).
 */
export class CardReads {
  private readonly cards = new Map<string, Cached>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly generations = new Map<string, number>();
  private readonly writing = new Map<string, number>();
  /** The variants seen (`muteStatus` or not): a write drops the account's card in each. */
  private readonly variants = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: CardReadsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The cards of `accids` (validated, de-duplicated), from the cache, a fetch in flight, or one new fetch of the rest. */
  async read(accids: readonly string[], variant: string, fetch: FetchCards): Promise<UserCard[]> {
    this.variants.add(variant);
    const counts: Record<CardSource, number> = { cache: 0, shared: 0, netease: 0 };
    const answers = new Map<string, Answer>();
    const joined: Promise<Map<string, UserCard>>[] = [];
    const missing: string[] = [];
    const now = this.now();
    for (const accid of accids) {
      const key = keyOf(variant, accid);
      const cached = this.cards.get(key);
      if (cached && now - cached.at < this.options.ttlMs) {
        answers.set(key, cached);
        counts.cache += 1;
        continue;
      }
      const flight = this.inFlight.get(key);
      if (flight && flight.generation === this.generation(accid)) {
        joined.push(flight.answer);
        counts.shared += 1;
        continue;
      }
      missing.push(accid);
    }
    counts.netease = missing.length;
    this.options.onRead?.(counts);
    const own = missing.length > 0 ? [this.fetch(missing, variant, fetch)] : [];
    const found = await Promise.all([...joined, ...own]);
    const cards: UserCard[] = [];
    for (const accid of accids) {
      const key = keyOf(variant, accid);
      const card = answers.has(key) ? answers.get(key)!.card : found.find((byKey) => byKey.has(accidKey(accid)))?.get(accidKey(accid));
      if (card) cards.push(card);
    }
    return cards;
  }

  /** The app is about to change `accid` at NetEase: its cards stop answering until the returned `end` is called, and after. */
  beginWrite(accid: string): () => void {
    const id = accidKey(accid);
    this.writing.set(id, (this.writing.get(id) ?? 0) + 1);
    this.forget(id);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.writing.get(id) ?? 1) - 1;
      if (left > 0) this.writing.set(id, left);
      else this.writing.delete(id);
      this.forget(id);
      // Only a fetch in flight compares generations: without one, the account's can start again from 0.
      if (left <= 0 && ![...this.variants].some((variant) => this.inFlight.has(keyOf(variant, id)))) this.generations.delete(id);
    };
  }

  private async fetch(accids: string[], variant: string, fetch: FetchCards): Promise<Map<string, UserCard>> {
    const started = new Map(accids.map((accid) => [accidKey(accid), this.generation(accid)]));
    const answer = fetch(accids).then((cards) => new Map(cards.map((card) => [accidKey(card.accid), card])));
    for (const accid of accids) this.inFlight.set(keyOf(variant, accid), { generation: started.get(accidKey(accid))!, answer });
    try {
      const byKey = await answer;
      const at = this.now();
      for (const [id, generation] of started) {
        // A write began (or ended) meanwhile: what this fetch saw may already be old.
        if (this.options.ttlMs > 0 && generation === this.generation(id) && !this.writing.has(id)) {
          this.remember(keyOf(variant, id), { card: byKey.get(id), at });
        }
      }
      return byKey;
    } finally {
      for (const accid of accids) {
        const key = keyOf(variant, accid);
        if (this.inFlight.get(key)?.answer === answer) this.inFlight.delete(key);
      }
    }
  }

  private generation(accid: string): number {
    return this.generations.get(accidKey(accid)) ?? 0;
  }

  private forget(id: string): void {
    this.generations.set(id, this.generation(id) + 1);
    for (const variant of this.variants) this.cards.delete(keyOf(variant, id));
  }

  /** Cards kept right now. */
  get size(): number {
    return this.cards.size;
  }

  /**
   * Keeps a card, and lets go of every card too old to answer: the map is in the order cards were kept, so they are
   * the oldest ones. Without this, cards past `ttlMs` stayed until `maxEntries` pushed them out (a 10,000-account
   * lookup kept 10,000 of them), held in the heap for nothing.
   */
  private remember(key: string, cached: Cached): void {
    this.cards.delete(key);
    this.cards.set(key, cached);
    const max = this.options.maxEntries ?? 20_000;
    for (const [oldest, card] of this.cards) {
      if (this.cards.size <= max && cached.at - card.at < this.options.ttlMs) break;
      this.cards.delete(oldest);
    }
  }
}

function keyOf(variant: string, accid: string): string {
  return `${variant}:${accidKey(accid)}`;
}
