import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { chainedText, chainHash, GENESIS_HASH } from '../../src/audit/store/chain.js';
import { migrate } from '../../src/audit/store/sqlite/migrations.js';

/** Accounts the synthetic history is spread over. */
export const ACCOUNTS = 50_000;
/** The accounts `mute<n>` that stand muted at the end (the /im-mute-status row asks for them). */
export const SANCTIONED = 50;

/**
 * Writes an audit database as the SQLite store would have after a long life, directly (one transaction, no journal,
 * no fsync: minutes of the app's writing in seconds): `chained` records (updates, and mutes with timed lifts, each an
 * intent and its outcome, settled and posted) over ACCOUNTS accounts, one lookup per two chained records, and at the
 * end SANCTIONED accounts `mute0…` muted early in the history (their history is the oldest, the costliest to find in
 * a log). Chained by the contract's rule, so `verify` walks it. Written to `<path>.tmp`, then renamed.
 */
export function generateSqliteStore(path: string, options: { chained: number }): { records: number; lookups: number } {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp`;
  rmSync(temporary, { force: true });
  const db = new Database(temporary);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  migrate(db);
  const record = db.prepare('INSERT INTO audit_records (seq, id, kind, at_ms, accid, actor, body) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const settlement = db.prepare('INSERT INTO audit_settlement (id, seq, owner, lease_until, settled) VALUES (?, ?, ?, ?, 1)');
  const delivery = db.prepare('INSERT INTO audit_delivery (id, ready_seq, posted_at, posted_channel, posted_ts) VALUES (?, ?, ?, ?, ?)');
  const lookup = db.prepare('INSERT INTO audit_lookups (id, at_ms, actor, body) VALUES (?, ?, ?, ?)');
  const lift = db.prepare(`INSERT INTO audit_lifts (sanction_id, accid, lift_at, status, ended_at, lifted_by) VALUES (?, ?, ?, ?, ?, ?)`);
  const updates = Math.floor(options.chained / 2);
  // One update a second, ending an hour ago: the lookups are within retention (90 days), as in a running app, so a
  // start does not begin by pruning all of them (fixtures.ts regenerates a fixture older than 30 days).
  const t0 = Date.now() - updates * 1000 - 3_600_000;
  let prev = GENESIS_HASH;
  let seq = 0;
  let lookups = 0;
  const chain = (value: { id: string; kind: string; at: string; actor?: string; target?: { accid: string } }, atMs: number) => {
    const text = chainedText(value, prev);
    prev = chainHash(text);
    seq++;
    record.run(seq, value.id, value.kind, atMs, value.target?.accid ?? null, value.actor ?? null, text);
    return seq;
  };
  const update = (n: number, accid: string, mute: boolean, pendingLift: boolean) => {
    const atMs = t0 + n * 1000;
    const at = new Date(atMs).toISOString();
    const id = `c${n.toString(36).padStart(8, '0')}`;
    const intent = mute
      ? {
          kind: 'intent',
          id,
          at,
          actor: `U0MOD${n % 7}`,
          action: 'mute',
          command: '/im-mute',
          target: { accid },
          changes: { mute: { before: 0, after: 1 } },
          sanction: { reason: 'spam wave', durationMs: 86_400_000, liftAt: new Date(atMs + 86_400_000).toISOString() },
        }
      : {
          kind: 'intent',
          id,
          at,
          actor: `U0ADMIN${n % 7}`,
          action: 'update_user_card',
          command: 'edit card modal',
          target: { accid },
          changes: { name: { before: `Name ${n}`, after: `Name ${n + 1}` }, sign: { after: 'hello there' } },
        };
    const intentSeq = chain(intent, atMs);
    settlement.run(id, intentSeq, 'bench:1:abcd', atMs + 30_000);
    chain({ kind: 'outcome', id, at, status: 'applied' } as { id: string; kind: string; at: string }, atMs);
    delivery.run(id, intentSeq, atMs + 500, 'C0AUDIT', `${n}.000100`);
    if (mute)
      lift.run(
        id,
        accid,
        atMs + 86_400_000,
        pendingLift ? 'pending' : 'lifted',
        pendingLift ? null : atMs + 86_400_000,
        pendingLift ? null : `lift-${id}`,
      );
    lookups++;
    const body = JSON.stringify({
      kind: 'lookup',
      id: `l${id}`,
      at,
      actor: `U0READER${n % 13}`,
      command: '/im-user',
      accids: [accid, `user${(n * 7) % ACCOUNTS}`],
    });
    lookup.run(`l${id}`, atMs, `U0READER${n % 13}`, body);
  };
  db.transaction(() => {
    for (let n = 0; n < updates; n++) {
      // The sanctioned accounts are muted in the first updates; every fifth update is a mute of some account.
      if (n < SANCTIONED) update(n, `mute${n}`, true, true);
      else update(n, `user${n % ACCOUNTS}`, n % 5 === 0, false);
    }
    db.prepare('UPDATE audit_chain_head SET count = ?, hash = ?, id = ?').run(seq, prev, null);
  })();
  db.pragma('journal_mode = WAL');
  db.close();
  renameSync(temporary, path);
  return { records: seq, lookups };
}
