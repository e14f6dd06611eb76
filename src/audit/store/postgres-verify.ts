import { genesisHash, sha256Hex } from './chain.js';
import type { ChainHead, ChainVerification } from './contract.js';
import type { Db } from './postgres-db.js';

const batchSize = 2000;

type Row = { seq: string; id: string; body: string; hash: string };

/**
 * Walks the chain in order, a batch at a time (memory stays flat however long it is), and names the first record
 * that does not hold: a missing position, a text that no longer hashes to what was stored, a `prev` that is not the
 * previous record's hash, or a head that does not end where the records end (records removed from the end).
 */
export async function verifyChain(db: Db, location: string): Promise<ChainVerification> {
  const head = await readHead(db);
  let position = 0;
  let prev = genesisHash;
  let lastId: string | undefined;
  for (;;) {
    const rows = await db.query<Row>(
      'SELECT seq, id, body, hash FROM audit_records WHERE seq > $1 ORDER BY seq LIMIT $2',
      [position, batchSize],
    );
    for (const row of rows) {
      position += 1;
      const bad = (reason: string): ChainVerification => ({
        ok: false,
        head,
        firstBad: { position, id: row.id, where: `${location} audit_records seq ${row.seq}`, reason },
      });
      if (Number(row.seq) !== position) return bad(`record ${position} is missing (the next one is ${row.seq})`);
      const stated = prevOf(row.body);
      if (stated === undefined) return bad('its text is not a chained record (no readable prev)');
      if (stated !== prev) return bad(`its prev ${stated} is not the hash of the record before it (${prev})`);
      const hash = sha256Hex(row.body);
      if (hash !== row.hash) return bad('its text was changed after it was written (hash differs)');
      prev = hash;
      lastId = row.id;
    }
    if (rows.length < batchSize) break;
  }
  if (head.count !== position || head.hash !== prev) {
    return {
      ok: false,
      head,
      firstBad: {
        position: position + 1,
        ...(head.id ? { id: head.id } : {}),
        where: `${location} audit_chain_head`,
        reason: `the head says ${head.count} records ending in ${head.hash}, the records end at ${position} (${prev})`,
      },
    };
  }
  return { ok: true, head: { count: position, hash: prev, ...(lastId ? { id: lastId } : {}) }, legacy: 0 };
}

export async function readHead(db: Db): Promise<ChainHead> {
  const [row] = await db.query<{ count: string; hash: string; id: string | null }>(
    'SELECT count, hash, id FROM audit_chain_head',
  );
  if (!row) return { count: 0, hash: genesisHash };
  return { count: Number(row.count), hash: row.hash, ...(row.id ? { id: row.id } : {}) };
}

function prevOf(body: string): string | undefined {
  try {
    const value: unknown = JSON.parse(body);
    const prev = typeof value === 'object' && value !== null ? (value as { prev?: unknown }).prev : undefined;
    return typeof prev === 'string' ? prev : undefined;
  } catch {
    return undefined;
  }
}
