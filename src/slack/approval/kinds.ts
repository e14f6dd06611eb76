import type { ApprovalState } from '../../approval/index.js';
import type { AppLogger } from '../../logger.js';
import type { ApprovalKind, OpenedApproval } from '../interaction/approval-kind.js';

/** The kinds of request this app can carry out, by name: listed once in the table of features. */
export type ApprovalKinds = ReadonlyMap<string, ApprovalKind>;

export function approvalKinds(kinds: readonly ApprovalKind[]): ApprovalKinds {
  const byName = new Map<string, ApprovalKind>();
  for (const kind of kinds) {
    if (byName.has(kind.kind)) throw new Error(`approvals: two kinds are called ${kind.kind}`);
    byName.set(kind.kind, kind);
  }
  return byName;
}

/**
 * A stored request read by its kind. Undefined (logged) when no kind of this app reads it: a request stored by a newer
 * version, or damaged; nothing of it runs.
 */
export function openStored(kinds: ApprovalKinds, state: ApprovalState | undefined, log: AppLogger): OpenedApproval | undefined {
  if (!state) return undefined;
  const name = typeof state.payload === 'object' && state.payload !== null ? (state.payload as { kind?: unknown }).kind : undefined;
  const kind = typeof name === 'string' ? kinds.get(name) : undefined;
  if (!kind) {
    log.error({ approval: state.id, kind: name }, 'approvals: no kind of this app reads the stored request; nothing runs');
    return undefined;
  }
  const read = kind.open(state.payload);
  if ('opened' in read) return read.opened;
  log.error({ approval: state.id, kind: name, issues: read.issues }, 'approvals: a stored request is unreadable; nothing runs');
  return undefined;
}
