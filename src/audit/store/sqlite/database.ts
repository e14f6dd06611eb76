import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * Opens the database file (creating it and its directory, mode 0600/0700) with the settings every connection of the
 * store uses: WAL (readers, like `npm run audit -- backup`, never wait for the writer) and synchronous=FULL (a commit
 * is on disk when it returns: an intent is stored before NetEase is called). `busyTimeoutMs` bounds how long a write
 * waits for a lock somebody else holds (a `sqlite3` shell): the synchronous API blocks meanwhile, so it is short.
 */
export function openDatabase(path: string, options: { busyTimeoutMs: number; readonly?: boolean }): SqliteDatabase {
  if (!options.readonly) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = options.readonly
    ? new Database(path, { readonly: true, fileMustExist: true, timeout: options.busyTimeoutMs })
    : new Database(path, { timeout: options.busyTimeoutMs });
  try {
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = OFF');
    }
    // Reads of history touch a few pages each; a 16 MB page cache keeps the indexes' upper levels in memory.
    db.pragma('cache_size = -16000');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The statements on the request path, prepared once. */
export function prepareStatements(db: SqliteDatabase) {
  return {
    insertRecord: db.prepare<[number, string, string, number, string | null, string | null, string]>(
      'INSERT INTO audit_records (seq, id, kind, at_ms, accid, actor, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    moveHead: db.prepare<[number, string, string]>('UPDATE audit_chain_head SET count = ?, hash = ?, id = ?'),
    readHead: db.prepare<[], { count: number; hash: string; id: string | null }>('SELECT count, hash, id FROM audit_chain_head'),
    maxSeq: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM audit_records'),
    insertSettlement: db.prepare<[string, number, string, number]>(
      'INSERT INTO audit_settlement (id, seq, owner, lease_until) VALUES (?, ?, ?, ?)',
    ),
    openSettlement: db.prepare<[string], { seq: number; settled: number }>('SELECT seq, settled FROM audit_settlement WHERE id = ?'),
    intentBatch: db.prepare<[number], { batch: string | null }>(
      "SELECT json_extract(body, '$.batch') AS batch FROM audit_records WHERE seq = ?",
    ),
    settle: db.prepare<[string]>('UPDATE audit_settlement SET settled = 1 WHERE id = ?'),
    insertLift: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO audit_lifts (sanction_id, accid, lift_at) VALUES (?, ?, ?)'),
    queueDelivery: db.prepare<[string, number]>('INSERT OR IGNORE INTO audit_delivery (id, ready_seq) VALUES (?, ?)'),
    insertLookup: db.prepare<[string, number, string, string]>('INSERT INTO audit_lookups (id, at_ms, actor, body) VALUES (?, ?, ?, ?)'),
    insertOnce: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO audit_once (key, id, at_ms) VALUES (?, ?, ?)'),
    onceId: db.prepare<[string], { id: string }>('SELECT id FROM audit_once WHERE key = ?'),
    renewLease: db.prepare<[number, string, string]>(
      'UPDATE audit_settlement SET lease_until = max(lease_until, ?) WHERE owner = ? AND id = ? AND settled = 0',
    ),
    markPosted: db.prepare<[number, string | null, string | null, string]>(
      `UPDATE audit_delivery SET posted_at = ?, posted_channel = ?, posted_ts = ?, claimed_by = NULL, claimed_until = NULL
       WHERE id = ? AND posted_at IS NULL`,
    ),
    postFailed: db.prepare<[number, string, string]>(
      `UPDATE audit_delivery SET claimed_by = NULL, claimed_until = NULL, retry_at = ?, attempts = attempts + 1
       WHERE id = ? AND (claimed_by IS NULL OR claimed_by = ?) AND posted_at IS NULL`,
    ),
    unpostedCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_delivery WHERE posted_at IS NULL'),
    finishLift: db.prepare<[string, number, string | null, string | null, string | null, string]>(
      `UPDATE audit_lifts SET status = ?, ended_at = ?, lifted_by = ?, why = ?, ended_by = ?, claimed_by = NULL, claimed_until = NULL
       WHERE sanction_id = ? AND status = 'pending'`,
    ),
    pruneLookups: db.prepare<[number]>('DELETE FROM audit_lookups WHERE at_ms < ?'),
    pruneOnce: db.prepare<[number]>('DELETE FROM audit_once WHERE at_ms < ?'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
