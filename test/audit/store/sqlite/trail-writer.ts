import { writeFile } from 'node:fs/promises';
import { chainedText, chainHash, GENESIS_HASH } from '../../../../src/audit/store/chain.js';

/**
 * Writes a JSON Lines trail as the file store wrote it (the store itself is gone): chained records with `prev`
 * (or v1 records without), and its bookkeeping lines (lease, lift, lift_end, posted, once) and lookups as they were.
 */
export class TrailWriter {
  readonly lines: string[] = [];
  private prev = GENESIS_HASH;

  /** A chained record as v2 stored it; `withoutPrev` writes it as v1 did, before the chain. */
  chained(record: { id: string; kind: string }, withoutPrev = false): this {
    const text = withoutPrev ? JSON.stringify(record) : chainedText(record, this.prev);
    this.prev = chainHash(text);
    this.lines.push(text);
    return this;
  }

  line(value: Record<string, unknown>): this {
    this.lines.push(JSON.stringify(value));
    return this;
  }

  get head(): string {
    return this.prev;
  }

  /** Writes the lines to `path`, or split into rotated segments (`<path>.000001`…) at the given line counts. */
  async write(path: string, options: { segmentsAt?: number[]; tail?: string } = {}): Promise<void> {
    const cuts = [0, ...(options.segmentsAt ?? []), this.lines.length];
    for (let n = 0; n < cuts.length - 1; n++) {
      const file = n === cuts.length - 2 ? path : `${path}.${String(n + 1).padStart(6, '0')}`;
      const text = this.lines
        .slice(cuts[n], cuts[n + 1])
        .map((line) => `${line}\n`)
        .join('');
      await writeFile(file, n === cuts.length - 2 ? text + (options.tail ?? '') : text);
    }
  }
}
