import { createHash } from 'node:crypto';
import type { ChainHead, ChainVerification } from './contract.js';

/** The `prev` of the first chained record. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 (lower-case hex) of a chained record's stored text (one line, no trailing newline). */
export function chainHash(storedText: string | Buffer): string {
  return createHash('sha256').update(storedText).digest('hex');
}

/** The stored text of a chained record: its JSON with `prev` last. Both stores write exactly this. */
export function chainedText(record: object, prev: string): string {
  return JSON.stringify({ ...record, prev });
}

/**
 * Walks a chain record by record, in chain order, under the rule of contract.ts: each record's `prev` is the hash of
 * the one before (64 zeros for the first); a v1 record (no `prev`) may only come before the first record that has one.
 * Both stores and `npm run audit -- verify` use this one walker, so they agree on what "valid" means.
 *
 * A record whose successor's `prev` does not match its hash is the one named: it was altered (or records after it
 * were removed or inserted); the chain cannot tell which, the message says both.
 */
export class ChainWalk {
  private count = 0;
  private legacy = 0;
  private hash = GENESIS_HASH;
  private lastId: string | undefined;
  private lastWhere = '';
  private seenPrev = false;
  private bad: Extract<ChainVerification, { ok: false }>['firstBad'] | undefined;

  /** `where` says where the record is stored (a file and line, a table row) for people. */
  push(storedText: string, where: string): void {
    if (this.bad) return;
    const position = this.count + 1;
    const parsed = parseRecord(storedText);
    if (!parsed) {
      this.bad = { position, where, reason: 'the record does not parse as JSON with an id' };
      return;
    }
    if (parsed.prev === undefined) {
      if (this.seenPrev) {
        this.bad = { position, id: parsed.id, where, reason: 'a record without `prev` after the chain began' };
        return;
      }
      this.legacy++;
    } else {
      this.seenPrev = true;
      if (parsed.prev !== this.hash) {
        this.bad =
          this.count === 0
            ? {
                position,
                id: parsed.id,
                where,
                reason: 'the first record of the chain does not start from 64 zeros: records before it were removed',
              }
            : {
                position: this.count,
                ...(this.lastId === undefined ? {} : { id: this.lastId }),
                where: this.lastWhere,
                reason: `its SHA-256 does not match the \`prev\` of the next record (${parsed.id}, ${where}): it was altered, or records after it were removed or inserted`,
              };
        return;
      }
    }
    this.count = position;
    this.hash = chainHash(storedText);
    this.lastId = parsed.id;
    this.lastWhere = where;
  }

  /** Whether a record with `prev` was seen: from then on every record must have one. */
  get started(): boolean {
    return this.seenPrev;
  }

  head(): ChainHead {
    return { count: this.count, hash: this.hash, ...(this.lastId === undefined ? {} : { id: this.lastId }) };
  }

  result(): ChainVerification {
    if (this.bad) return { ok: false, head: this.head(), firstBad: this.bad };
    return { ok: true, head: this.head(), legacy: this.legacy };
  }
}

function parseRecord(text: string): { id: string; prev?: string } | undefined {
  try {
    const value = JSON.parse(text) as { id?: unknown; prev?: unknown } | null;
    if (typeof value !== 'object' || value === null || typeof value.id !== 'string') return undefined;
    return { id: value.id, ...(typeof value.prev === 'string' ? { prev: value.prev } : {}) };
  } catch {
    return undefined;
  }
}
