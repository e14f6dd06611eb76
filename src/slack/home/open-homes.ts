/**
 * Who has the Home tab open, and republishing it for them when a sanction changes, at most once every
 * `minIntervalMs` per person: a burst of changes (a 50-account mute) gives each person one publish now and one
 * trailing publish, whatever the burst's size, which keeps views.publish well within Slack's rate limits. Slack says
 * when a Home is opened (app_home_opened) but never when it is closed, so "open" means opened within `openForMs`.
 * Per process: a replica republishes for the people whose app_home_opened it received.
 */

export type Schedule = (run: () => void, ms: number) => () => void;

export type OpenHomesOptions = {
  /** Publishes the person's Home at their page. Must not throw (log inside). */
  publish: (userId: string, page: number) => Promise<void>;
  /** Epoch ms. */
  now: () => number;
  /** A person's Home is republished at most this often, in ms. @default 5000 */
  minIntervalMs?: number;
  /** How long after it was opened a Home counts as open, in ms. @default 1800000 (30 minutes) */
  openForMs?: number;
  /** At most this many people are kept current (the most recent openers). @default 500 */
  maxPeople?: number;
  /** Runs `run` after `ms`; returns the cancel. @default an unref'd setTimeout */
  schedule?: Schedule;
};

type Viewer = { openedAt: number; page: number; publishedAt: number; pending?: () => void };

export class OpenHomes {
  private readonly viewers = new Map<string, Viewer>();

  constructor(private readonly options: OpenHomesOptions) {}

  /** The person opened the Home (or turned a page) and it was just published for them. */
  opened(userId: string, page = 0): void {
    const now = this.options.now();
    const viewer = this.viewers.get(userId);
    viewer?.pending?.();
    this.viewers.delete(userId);
    this.viewers.set(userId, { openedAt: now, page, publishedAt: now });
    const max = this.options.maxPeople ?? 500;
    for (const [id, old] of this.viewers) {
      if (this.viewers.size <= max) break;
      old.pending?.();
      this.viewers.delete(id);
    }
  }

  /** The page the person last saw (0 when unknown). */
  pageOf(userId: string): number {
    return this.viewers.get(userId)?.page ?? 0;
  }

  /** A sanction made here changed: republish for everyone who has the Home open, paced per person. */
  changed(): void {
    const now = this.options.now();
    const openFor = this.options.openForMs ?? 30 * 60_000;
    const interval = this.options.minIntervalMs ?? 5000;
    for (const [userId, viewer] of this.viewers) {
      if (now - viewer.openedAt > openFor) {
        viewer.pending?.();
        this.viewers.delete(userId);
        continue;
      }
      if (viewer.pending) continue;
      const wait = viewer.publishedAt + interval - now;
      if (wait <= 0) this.publish(userId, viewer);
      else viewer.pending = this.schedule(() => this.publish(userId, viewer), wait);
    }
  }

  /** Cancels pending republishes (at shutdown). */
  close(): void {
    for (const viewer of this.viewers.values()) viewer.pending?.();
    this.viewers.clear();
  }

  private publish(userId: string, viewer: Viewer): void {
    delete viewer.pending;
    viewer.publishedAt = this.options.now();
    void this.options.publish(userId, viewer.page);
  }

  private schedule(run: () => void, ms: number): () => void {
    if (this.options.schedule) return this.options.schedule(run, ms);
    const timer = setTimeout(run, ms).unref();
    return () => clearTimeout(timer);
  }
}
