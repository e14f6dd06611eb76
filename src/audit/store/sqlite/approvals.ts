import type { ApprovalRequest, ApprovalState, ApprovalStore } from '../approvals.js';
import type { SqliteDatabase } from './database.js';

type Row = {
  id: string;
  requester: string;
  permission: string;
  action: string;
  payload: string;
  requested_at: number;
  expires_at: number;
  status: string;
  decided_by: string | null;
  decided_at: number | null;
  message_channel: string | null;
  message_ts: string | null;
};

/**
 * Approval requests on SQLite (table audit_approvals, migration 3), the PostgreSQL store's rules: each move out of
 * `pending` is one UPDATE … WHERE status = 'pending' (one process holds the database, and a statement is atomic), so a
 * double click or a second approver finds it decided. `db` throws AuditStoreError when the store is not open; `guard`
 * turns a failed statement into one.
 */
export function sqliteApprovals(db: () => SqliteDatabase, guard: <T>(work: () => T) => T): ApprovalStore {
  const call = <T>(work: (database: SqliteDatabase) => T): Promise<T> => {
    try {
      return Promise.resolve(guard(() => work(db())));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  return {
    putApproval: (request) =>
      call((database) => {
        database
          .prepare(
            `INSERT INTO audit_approvals (id, requester, permission, action, payload, requested_at, expires_at, status)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`,
          )
          .run(
            request.id,
            request.requester,
            request.permission,
            request.action,
            JSON.stringify(request.payload ?? null),
            request.requestedAt,
            request.expiresAt,
          );
      }),
    approval: (id) =>
      call((database) => {
        const row = database.prepare<[string], Row>('SELECT * FROM audit_approvals WHERE id = ?').get(id);
        return row ? stateOf(row) : undefined;
      }),
    decideApproval: (id, decision) =>
      call((database) => {
        const row = database
          .prepare<[string, string, number, string, number], Row>(
            `UPDATE audit_approvals SET status = ?, decided_by = ?, decided_at = ?
             WHERE id = ? AND status = 'pending' AND expires_at > ? RETURNING *`,
          )
          .get(decision.status, decision.by, decision.at, id, decision.at);
        return row ? stateOf(row) : undefined;
      }),
    expireApprovals: ({ now, limit }) =>
      call((database) =>
        database
          .prepare<[number, number, number], Row>(
            `UPDATE audit_approvals SET status = 'expired', decided_at = ?
             WHERE id IN (SELECT id FROM audit_approvals WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?)
             RETURNING *`,
          )
          .all(now, now, limit)
          .map(stateOf)
          .sort((a, b) => a.expiresAt - b.expiresAt),
      ),
    pendingApprovals: ({ now, limit }) =>
      call((database) =>
        database
          .prepare<[number, number], Row>(
            `SELECT * FROM audit_approvals WHERE status = 'pending' AND expires_at > ? ORDER BY expires_at, id LIMIT ?`,
          )
          .all(now, limit)
          .map(stateOf),
      ),
    setApprovalMessage: (id, message) =>
      call((database) => {
        database
          .prepare('UPDATE audit_approvals SET message_channel = ?, message_ts = ? WHERE id = ?')
          .run(message.channel, message.ts, id);
      }),
  };
}

function stateOf(row: Row): ApprovalState {
  const request: ApprovalRequest = {
    id: row.id,
    requester: row.requester,
    permission: row.permission as ApprovalRequest['permission'],
    action: row.action,
    payload: JSON.parse(row.payload) as unknown,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
    ...(row.message_channel && row.message_ts ? { message: { channel: row.message_channel, ts: row.message_ts } } : {}),
  };
  return {
    ...request,
    status: row.status as ApprovalState['status'],
    ...(row.decided_by === null ? {} : { decidedBy: row.decided_by }),
    ...(row.decided_at === null ? {} : { decidedAt: row.decided_at }),
  };
}
