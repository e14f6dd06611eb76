import type { ChainHead } from './contract.js';

/**
 * The highest head posted to the audit channel, one row outside the chain (audit_posted_head), the same SQL for
 * PostgreSQL ($n placeholders) and SQLite (?): raised by each post, lowered only when an operator accepts a shorter
 * trail (AUDIT_ACCEPT_HEAD).
 */
export const SELECT_POSTED_HEAD = 'SELECT count, hash FROM audit_posted_head';

/** Parameters, in order: singleton (true / 1), count, hash, at (epoch ms). */
export function upsertPostedHead(placeholder: (n: number) => string, reset: boolean): string {
  const [singleton, count, hash, at] = [1, 2, 3, 4].map(placeholder);
  return `INSERT INTO audit_posted_head (singleton, count, hash, at_ms) VALUES (${singleton}, ${count}, ${hash}, ${at})
    ON CONFLICT (singleton) DO UPDATE SET count = excluded.count, hash = excluded.hash, at_ms = excluded.at_ms
    ${reset ? '' : 'WHERE audit_posted_head.count < excluded.count'}`;
}

export function postedHeadOf(row: { count: string | number; hash: string } | undefined): ChainHead | undefined {
  return row ? { count: Number(row.count), hash: row.hash.trim() } : undefined;
}
