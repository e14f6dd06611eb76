import { randomUUID } from 'node:crypto';
import {
  InputError,
  NimApiError,
  NimAuthError,
  NimRateLimitedError,
  NimTransportError,
  NimWriteUnconfirmedError,
} from '../nim/errors.js';
import type { Refusal } from '../policy/types.js';
import type { AuditLog, AuditLogger } from './log.js';
import type { AuditOutbox } from './outbox.js';
import type { AuditAction, AuditTarget, FieldChange, IntentRecord, OutcomeRecord, SanctionDetails } from './records.js';

/** What the audit functions need; built once at start and shared. */
export type AuditTrail = {
  log: AuditLog;
  outbox: AuditOutbox;
  /** Epoch milliseconds. */
  now: () => number;
  /** Correlation ids. @default crypto.randomUUID */
  newId?: () => string;
  logger: AuditLogger;
};

export type UpdateIntent = {
  /** Correlation id; one is made when absent. */
  id?: string;
  /** Slack user id of the person. */
  actor: string;
  action: AuditAction;
  /** The command's name (`/im update`, `edit card modal`), not its argument text. */
  command: string;
  target: AuditTarget;
  /** Build with cardChanges() / serverMemberChanges(). */
  changes: Record<string, FieldChange>;
  /** Mutes, unmutes, blocks, unblocks: reason, scope, duration (recorded in the intent, before the call). */
  sanction?: SanctionDetails;
};

export type OutcomeDescription = Pick<OutcomeRecord, 'status' | 'nimCode' | 'errorCode' | 'detail'>;

/**
 * Runs one NetEase write inside the audit trail: the intent is appended and flushed first (if that fails, the
 * AuditWriteError is thrown and `operation` never runs), then the operation, then its outcome; the finished entry is
 * queued for the audit channel. Returns or rethrows the operation's own result.
 *
 * `operation` gets the correlation id (usable as NetEase's RequestId). On success the outcome is `applied`, or
 * `applied_confirmed_by_read_back` when the result is a WriteResult saying so; `describeOutcome` overrides that.
 */
export async function auditedWrite<T>(
  trail: AuditTrail,
  intent: UpdateIntent,
  operation: (context: { correlationId: string }) => Promise<T>,
  describeOutcome?: (result: T) => OutcomeDescription,
): Promise<T> {
  const record: IntentRecord = {
    kind: 'intent',
    id: intent.id ?? (trail.newId ?? randomUUID)(),
    at: isoNow(trail),
    actor: intent.actor,
    action: intent.action,
    command: truncate(intent.command, 200),
    target: intent.target,
    changes: intent.changes,
    ...(intent.sanction === undefined ? {} : { sanction: intent.sanction }),
  };
  await trail.log.append(record);

  let result: T;
  try {
    result = await operation({ correlationId: record.id });
  } catch (error) {
    await finish(trail, record, describeFailure(error));
    throw error;
  }
  await finish(trail, record, (describeOutcome ?? describeSuccess)(result));
  return result;
}

/** How an error thrown by a NetEase write is recorded. Exported for tests and for the wiring's own messages. */
export function describeFailure(error: unknown): OutcomeDescription {
  if (error instanceof NimWriteUnconfirmedError) {
    return {
      status: error.inPlace === false ? 'not_applied' : 'unknown',
      errorCode: error.code,
      detail: error.message,
    };
  }
  if (error instanceof NimApiError || error instanceof NimAuthError) {
    return { status: 'failed', nimCode: error.nimCode, errorCode: error.code, detail: error.desc || error.message };
  }
  // Nothing was sent: the client's own budget or the input checks stopped it.
  if (error instanceof NimRateLimitedError || error instanceof InputError) {
    return { status: 'not_applied', errorCode: error.code, detail: error.message };
  }
  // A transport failure on a write may have reached NetEase: do not claim it did not apply.
  if (error instanceof NimTransportError) return { status: 'unknown', errorCode: error.code, detail: error.message };
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  return { status: 'unknown', errorCode: 'unexpected_error', detail: truncate(`${name}: ${message}`) };
}

function describeSuccess(result: unknown): OutcomeDescription {
  const confirmed = (result as { confirmedByReadBack?: unknown } | null)?.confirmedByReadBack === true;
  return { status: confirmed ? 'applied_confirmed_by_read_back' : 'applied' };
}

async function finish(trail: AuditTrail, intent: IntentRecord, description: OutcomeDescription): Promise<void> {
  const outcome: OutcomeRecord = {
    kind: 'outcome',
    id: intent.id,
    at: isoNow(trail),
    status: description.status,
    ...(description.nimCode === undefined ? {} : { nimCode: description.nimCode }),
    ...(description.errorCode === undefined ? {} : { errorCode: description.errorCode }),
    ...(description.detail === undefined ? {} : { detail: truncate(description.detail) }),
  };
  try {
    await trail.log.append(outcome);
  } catch (error) {
    // The write happened (or was tried): report it, and post it anyway. The next start finds the intent without an
    // outcome, reads the card back and posts that too.
    trail.logger.error({ id: intent.id, err: error }, 'audit log: the outcome of an update could not be written');
  }
  trail.outbox.enqueue({ kind: 'update', intent, outcome });
}

export type RefusalInput = {
  id?: string;
  actor: string;
  action: AuditAction;
  command: string;
  target: AuditTarget;
  refusal: Refusal;
};

/**
 * Records that a person was refused an update, in the log and the audit channel. Never rejects: if the log cannot be
 * written, the error is logged and the refusal is still posted. Returns the correlation id.
 */
export async function auditRefusal(trail: AuditTrail, input: RefusalInput): Promise<string> {
  const id = input.id ?? (trail.newId ?? randomUUID)();
  const record = { kind: 'refusal' as const, ...input, id, at: isoNow(trail), command: truncate(input.command, 200) };
  try {
    await trail.log.append(record);
  } catch (error) {
    trail.logger.error({ id: record.id, err: error }, 'audit log: a refusal could not be written');
  }
  trail.outbox.enqueue({ kind: 'refusal', refusal: record });
  return record.id;
}

export type LookupInput = {
  /** The command's correlation id; one is made when absent. */
  id?: string;
  actor: string;
  command: string;
  accids: string[];
  serverId?: string;
};

/**
 * Records who looked at whom (log only, never posted). Rejects with AuditWriteError when the log cannot be written,
 * so the caller can refuse to show personal data it could not account for. Returns the correlation id.
 */
export async function recordLookup(trail: AuditTrail, input: LookupInput): Promise<string> {
  const { id: given, ...lookup } = input;
  const id = given ?? (trail.newId ?? randomUUID)();
  await trail.log.append({ kind: 'lookup', id, at: isoNow(trail), ...lookup, command: truncate(input.command, 200) });
  return id;
}

function isoNow(trail: AuditTrail): string {
  return new Date(trail.now()).toISOString();
}

function truncate(text: string, max = 1000): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

