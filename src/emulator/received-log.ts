import type { ReceivedRequest } from './types.js';

/** What arrived, in order, bounded so that a long benchmark cannot exhaust memory. */
export class ReceivedLog {
  readonly entries: ReceivedRequest[] = [];

  constructor(readonly capacity = 100_000) {}

  add(entry: ReceivedRequest): void {
    this.entries.push(entry);
    // V8 trims the front of an array in place, so shifting one entry per request stays cheap.
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  count(filter: { endpoint?: string; code?: number } = {}): number {
    let total = 0;
    for (const entry of this.entries) {
      if (filter.endpoint !== undefined && entry.endpoint !== filter.endpoint) continue;
      if (filter.code !== undefined && entry.answeredCode !== filter.code) continue;
      total += 1;
    }
    return total;
  }

  reset(): void {
    this.entries.length = 0;
  }
}
