import type { ApprovalRequest, ApprovalState, ApprovalStore } from '../approvals.js';
import type { Db } from './db.js';

/**
 * Approval requests on PostgreSQL (table audit_approvals). Each move out of `pending` is one UPDATE … WHERE
 * status = 'pending', so of two replicas deciding at once exactly one changes the row and gets it back.
 */
export function postgresApprovals(db: () => Db): ApprovalStore {
  return {
    async putApproval(request) {
      await db().run(
        `INSERT INTO audit_approvals (id, requester, permission, action, payload, requested_at, expires_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')`,
        [
          request.id,
          request.requester,
          request.permission,
          request.action,
          JSON.stringify(request.payload ?? null),
          request.requestedAt,
          request.expiresAt,
        ],
      );
    },
    async approval(id) {
      const [row] = await db().query<Row>(`SELECT * FROM audit_approvals WHERE id = $1`, [id]);
      return row ? stateOf(row) : undefined;
    },
    async decideApproval(id, decision) {
      const [row] = await db().query<Row>(
        `UPDATE audit_approvals SET status = $2, decided_by = $3, decided_at = $4
         WHERE id = $1 AND status = 'pending' AND expires_at > $4 RETURNING *`,
        [id, decision.status, decision.by, decision.at],
      );
      return row ? stateOf(row) : undefined;
    },
    async expireApprovals({ now, limit }) {
      const rows = await db().query<Row>(
        `WITH due AS (
           SELECT id FROM audit_approvals WHERE status = 'pending' AND expires_at <= $1
           ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE audit_approvals a SET status = 'expired', decided_at = $1 FROM due WHERE a.id = due.id RETURNING a.*`,
        [now, limit],
      );
      return rows.map(stateOf).sort((a, b) => a.expiresAt - b.expiresAt);
    },
    async pendingApprovals({ now, limit }) {
      const rows = await db().query<Row>(
        `SELECT * FROM audit_approvals WHERE status = 'pending' AND expires_at > $1 ORDER BY expires_at, id LIMIT $2`,
        [now, limit],
      );
      return rows.map(stateOf);
    },
    async setApprovalMessage(id, message) {
      await db().run(`UPDATE audit_approvals SET message_channel = $2, message_ts = $3 WHERE id = $1`, [id, message.channel, message.ts]);
    },
  };
}

type Row = {
  id: string;
  requester: string;
  permission: string;
  action: string;
  payload: string;
  requested_at: string;
  expires_at: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  message_channel: string | null;
  message_ts: string | null;
};

function stateOf(row: Row): ApprovalState {
  const request: ApprovalRequest = {
    id: row.id,
    requester: row.requester,
    permission: row.permission as ApprovalRequest['permission'],
    action: row.action,
    payload: JSON.parse(row.payload) as unknown,
    requestedAt: Number(row.requested_at),
    expiresAt: Number(row.expires_at),
    ...(row.message_channel && row.message_ts ? { message: { channel: row.message_channel, ts: row.message_ts } } : {}),
  };
  return {
    ...request,
    status: row.status as ApprovalState['status'],
    ...(row.decided_by === null ? {} : { decidedBy: row.decided_by }),
    ...(row.decided_at === null ? {} : { decidedAt: Number(row.decided_at) }),
  };
}

/** The table, as a migration step. */
export const approvalsTableSql = `
  CREATE TABLE audit_approvals (
    id text PRIMARY KEY,
    requester text NOT NULL,
    permission text NOT NULL CHECK (permission IN ('write', 'moderate')),
    action text NOT NULL,
    payload text NOT NULL,
    requested_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
    decided_by text,
    decided_at bigint,
    message_channel text,
    message_ts text
  );
  CREATE INDEX audit_approvals_pending ON audit_approvals (expires_at) WHERE status = 'pending';
`;
