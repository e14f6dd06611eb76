import { open } from 'node:fs/promises';
import { chainedText, chainHash, GENESIS_HASH } from '../../src/audit/store/chain.js';

/**
 * Writes a synthetic audit log for the benchmarks: mostly lookups (as a real log is), with an update (intent,
 * outcome, posted) every `updateEvery` lines, spread over accounts `user0…`, and `rare` updates of the account `rare`.
 * `chained` writes the v2 format (leases, `prev` chain); otherwise v1 (no chain, as written before the store).
 * The last update is left unposted, so that a start has something live to find.
 */
export async function generateLog(
  path: string,
  options: { records?: number; bytes?: number; chained: boolean; updateEvery?: number; rare?: number },
): Promise<{ records: number; bytes: number }> {
  const file = await open(path, 'w', 0o600);
  const updateEvery = options.updateEvery ?? 10;
  const rareEvery = options.rare ? Math.floor((options.records ?? options.bytes! / 220) / options.rare) : Number.POSITIVE_INFINITY;
  let prev = GENESIS_HASH;
  let records = 0;
  let bytes = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  const t0 = Date.UTC(2026, 0, 1);
  const push = (line: string) => {
    pending.push(line);
    pendingBytes += line.length + 1;
    records++;
  };
  const chained = (record: object) => {
    if (!options.chained) return push(JSON.stringify(record));
    const text = chainedText(record, prev);
    prev = chainHash(text);
    push(text);
  };
  const done = () => (options.records !== undefined ? records >= options.records : bytes + pendingBytes >= options.bytes!);
  for (let n = 0; !done(); n++) {
    const at = new Date(t0 + n * 1000).toISOString();
    const id = `c${n.toString(36).padStart(8, '0')}`;
    const accid = n % rareEvery === rareEvery - 1 ? 'rare' : `user${n % 50_000}`;
    if (n % updateEvery === 0 || accid === 'rare') {
      chained({
        kind: 'intent',
        id,
        at,
        actor: `U0ADMIN${n % 7}`,
        action: 'update_user_card',
        command: 'edit card modal',
        target: { accid },
        changes: { name: { before: `Name ${n}`, after: `Name ${n + 1}` }, sign: { after: 'hello there' } },
      });
      if (options.chained) push(JSON.stringify({ kind: 'lease', id, owner: 'bench:1:abcd', until: t0 + n * 1000 + 30_000 }));
      chained({ kind: 'outcome', id, at, status: 'applied' });
      push(JSON.stringify({ kind: 'posted', id, at, ...(options.chained ? { channel: 'C0AUDIT', ts: `${n}.000100` } : {}) }));
    } else {
      push(
        JSON.stringify({
          kind: 'lookup',
          id,
          at,
          actor: `U0READER${n % 13}`,
          command: '/im-user',
          accids: [accid, `user${(n * 7) % 50_000}`],
        }),
      );
    }
    if (pendingBytes >= 1 << 20) {
      await file.write(`${pending.join('\n')}\n`);
      bytes += pendingBytes;
      pending = [];
      pendingBytes = 0;
    }
  }
  // One update left unposted at the end: its posted marker is missing.
  const lastPosted = pending.findLastIndex((line) => line.startsWith('{"kind":"posted"'));
  if (lastPosted >= 0) pending.splice(lastPosted, 1);
  await file.write(`${pending.join('\n')}\n`);
  bytes += pendingBytes;
  await file.close();
  return { records, bytes };
}
