import { randomUUID } from 'node:crypto';
import { InputError } from '../errors.js';
import { NimApiError, NimAuthError, NimRateLimitedError, NimTransportError, NimWriteUnconfirmedError } from '../nim/errors.js';
import type { Refusal } from '../policy/types.js';
import type { AuditLogger } from './audit-logger.js';
import { RECHECK_AFTER_MS, scheduleRecheck } from './recheck.js';
import type { AuditOutbox } from './outbox.js';
import type { AuditAction, AuditTarget, FieldChange, IntentRecord, OutcomeRecord, SanctionDetails, TrailAction } from './records.js';
import type { LiftPlan } from './store/contract.js';
import type { AuditStore } from './store/contract.js';

/** What the audit functions need; built once at start and shared. */
export type AuditTrail = {
  /** Where the records live (the file, or PostgreSQL shared by every replica). */
  store: AuditStore;
  outbox: AuditOutbox;
  /** This process in leases and claims: hostname, pid and a random part. */
  owner: string;
  /** Epoch milliseconds. */
  now: () => number;
  /** Correlation ids. @default crypto.randomUUID */
  newId?: () => string;
  logger: AuditLogger;
  /**
   * How long an intent stays this process's to settle without renewal, in ms; renewed every third of it while
   * NetEase is in flight. Past it, another process settles it (read back, "outcome unknown"). @default 30000
   */
  leaseMs?: number;
  /**
   * Told after an update's outcome is stored, in this process (the App Home republishes when a sanction changes).
   * Called synchronously; what it throws is logged, never the writer's problem.
   */
  onSettled?: (intent: IntentRecord, outcome: OutcomeRecord) => void;
};

const DEFAULT_LEASE_MS = 30_000;

export type UpdateIntent = {
  /** Correlation id; one is made when absent. */
  id?: string;
  /** Slack user id of the person. */
  actor: string;
  action: TrailAction;
  /** The command's name (`/im update`, `edit card modal`), not its argument text. */
  command: string;
  target: AuditTarget;
  /** Build with cardChanges() / serverMemberChanges(). */
  changes: Record<string, FieldChange>;
  /** Mutes, unmutes, blocks, unblocks: reason, scope, duration (recorded in the intent, before the call). */
  sanction?: SanctionDetails;
  /** A timed mute's lift, scheduled in the same durable write as the intent (AuditStore.appendIntent). */
  lift?: LiftPlan;
  /** An undo: the id of the change it reverses. */
  undoes?: string;
  /**
   * The one action on many accounts this change belongs to (a bulk batch, a rollback): its entry is not posted to the
   * audit channel on its own, the action's one message stands for it.
   */
  batch?: string;
  /** Who approved it, when a second person had to (`actor` asked for it). */
  approvedBy?: string;
  /** A request for approval that ended without its change: rejected or expired (nothing is sent). */
  approvalEnded?: IntentRecord['approvalEnded'];
  /** A `rollback` entry: whose changes, since when, how many. */
  rollback?: IntentRecord['rollback'];
};

export type OutcomeDescription = Pick<OutcomeRecord, 'status' | 'nimCode' | 'errorCode' | 'detail' | 'readBack'>;

/**
 * Runs one NetEase write inside the audit trail: the intent is stored durably first (if that fails, the
 * AuditStoreError is thrown and `operation` never runs), then the operation, with the intent's lease renewed while it
 * runs so that no other process settles it, then its outcome; the outbox is told to post the finished entry.
 * Returns or rethrows the operation's own result.
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
  const startedAt = trail.now();
  const record = intentRecordOf(trail, intent, startedAt);
  const leaseMs = trail.leaseMs ?? DEFAULT_LEASE_MS;
  await trail.store.appendIntent(record, {
    owner: trail.owner,
    leaseUntil: startedAt + leaseMs,
    ...(intent.lift ? { lift: intent.lift } : {}),
  });

  const renewal = setInterval(() => {
    trail.store.renewLeases(trail.owner, [record.id], trail.now() + leaseMs).catch((error: unknown) => {
      trail.logger.warn({ id: record.id, err: error }, 'audit store: could not renew the lease of an update in flight');
    });
  }, leaseMs / 3);
  renewal.unref();
  let result: T;
  try {
    result = await operation({ correlationId: record.id });
  } catch (error) {
    clearInterval(renewal);
    await finish(trail, record, describeFailure(error, record.action));
    throw error;
  }
  clearInterval(renewal);
  await finish(trail, record, (describeOutcome ?? describeSuccess)(result));
  return result;
}

/** The intent record as stored, made at `at` (epoch ms); exported for writes that store intents a chunk at a time. */
export function intentRecordOf(trail: AuditTrail, intent: UpdateIntent, at: number): IntentRecord {
  return {
    kind: 'intent',
    id: intent.id ?? (trail.newId ?? randomUUID)(),
    at: new Date(at).toISOString(),
    actor: intent.actor,
    action: intent.action,
    command: truncate(intent.command, 200),
    target: intent.target,
    changes: intent.changes,
    ...(intent.sanction === undefined ? {} : { sanction: intent.sanction }),
    ...(intent.batch === undefined ? {} : { batch: intent.batch }),
    ...(intent.undoes === undefined ? {} : { undoes: intent.undoes }),
    ...(intent.approvedBy === undefined ? {} : { approvedBy: intent.approvedBy }),
    ...(intent.approvalEnded === undefined ? {} : { approvalEnded: intent.approvalEnded }),
    ...(intent.rollback === undefined ? {} : { rollback: intent.rollback }),
  };
}

/**
 * How an error thrown by a NetEase write is recorded. Exported for tests and for the wiring's own messages.
 *
 * A write whose answer was lost and whose one read-back did not find it is `unknown` for a sanction (`action`): NetEase
 * may apply it late, so a timed mute keeps its lift and the card is read again later (recheck.ts). Card and member
 * edits still record `not_applied` there, as the person is told (their message is the Slack side's to change).
 */
export function describeFailure(error: unknown, action?: TrailAction): OutcomeDescription {
  if (error instanceof NimWriteUnconfirmedError) {
    const notYet = error.inPlace === false && action !== undefined && SANCTIONS.has(action);
    if (error.inPlace === false && !notYet) return { status: 'not_applied', errorCode: error.code, detail: error.message };
    return {
      status: 'unknown',
      errorCode: error.code,
      detail: `${error.message}; the card is read back again in ${RECHECK_AFTER_MS / 1000} s`,
      ...(notYet ? { readBack: 'not_in_place' as const } : {}),
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

export function describeSuccess(result: unknown): OutcomeDescription {
  const confirmed = (result as { confirmedByReadBack?: unknown } | null)?.confirmedByReadBack === true;
  return { status: confirmed ? 'applied_confirmed_by_read_back' : 'applied' };
}

/** Stores the outcome settling `intent` (or, if the store cannot take it, posts it straight away) and kicks the outbox. */
export function finish(trail: AuditTrail, intent: IntentRecord, description: OutcomeDescription): Promise<void> {
  return finishAll(trail, [{ intent, description }]);
}

/** An intent and how its call ended, to be stored as its outcome. */
export type Finished = { intent: IntentRecord; description: OutcomeDescription };

/**
 * Stores the outcomes settling several intents (a batch's chunk) in one durable write; then kicks the outbox once. If
 * the store cannot take it, an update of its own is posted straight away, but not an account of a batch: the batch's
 * one message reports it (its run counts each call as it answered), and fifty posts at Slack's pace while the store is
 * down would hold up the run and flood the channel. Either way the intent is durable and stays unsettled: once its
 * lease runs out, the outbox's settlement round (this process's, or the next start's) reads it back and stores that.
 * An intent stays unsettled until this resolves, so its lease must be held until then.
 */
export async function finishAll(trail: AuditTrail, finished: readonly Finished[]): Promise<void> {
  if (finished.length === 0) return;
  const outcomes = finished.map(({ intent, description }) => outcomeRecordOf(trail, intent, description));
  for (const { intent, description } of finished)
    if (description.errorCode === 'nim_write_unconfirmed' && description.status === 'unknown') await scheduleRecheck(trail, intent);
  let stored: boolean[];
  try {
    stored = await trail.store.appendOutcomes(outcomes);
  } catch (error) {
    // The writes happened (or were tried): report them, and post an update of its own now. Once the leases expire, a
    // round of the outbox finds the intents unsettled, reads the cards back and stores (and posts) that too.
    const ids = finished.map(({ intent }) => intent.id);
    trail.logger.error({ id: ids[0], count: ids.length, err: error }, 'audit store: the outcome of an update could not be stored');
    for (const [n, { intent }] of finished.entries())
      if (intent.batch === undefined) await trail.outbox.postUnstored({ kind: 'update', intent, outcome: outcomes[n]! });
    return;
  }
  for (const [n, { intent }] of finished.entries())
    if (!stored[n]) trail.logger.error({ id: intent.id }, 'audit store: another process settled this update while it was in flight');
  trail.outbox.kick();
  for (const [n, { intent }] of finished.entries()) {
    try {
      trail.onSettled?.(intent, outcomes[n]!);
    } catch (error) {
      trail.logger.warn({ id: intent.id, err: error }, 'a listener of settled updates failed');
    }
  }
}

function outcomeRecordOf(trail: AuditTrail, intent: IntentRecord, description: OutcomeDescription): OutcomeRecord {
  return {
    kind: 'outcome',
    id: intent.id,
    at: isoNow(trail),
    status: description.status,
    ...(description.nimCode === undefined ? {} : { nimCode: description.nimCode }),
    ...(description.errorCode === undefined ? {} : { errorCode: description.errorCode }),
    ...(description.detail === undefined ? {} : { detail: truncate(description.detail) }),
    ...(description.readBack === undefined ? {} : { readBack: description.readBack }),
  };
}

export type RefusalInput = {
  id?: string;
  actor: string;
  action: AuditAction;
  command: string;
  target: AuditTarget;
  /** Every account a refused bulk action named, `target` the first (RefusalRecord.accounts). */
  accounts?: string[];
  /** Another account of a refused bulk action: the refusal naming them all, which alone is posted. */
  partOf?: string;
  refusal: Refusal;
};

/**
 * Records that a person was refused an update, in the store and the audit channel. Never rejects: if the store cannot
 * take it, the error is logged and the refusal is still posted. Returns the correlation id.
 */
export async function auditRefusal(trail: AuditTrail, input: RefusalInput): Promise<string> {
  const id = input.id ?? (trail.newId ?? randomUUID)();
  const record = { kind: 'refusal' as const, ...input, id, at: isoNow(trail), command: truncate(input.command, 200) };
  try {
    await trail.store.appendRefusal(record);
  } catch (error) {
    trail.logger.error({ id: record.id, err: error }, 'audit store: a refusal could not be stored');
    if (record.partOf === undefined) await trail.outbox.postUnstored({ kind: 'refusal', refusal: record });
    return record.id;
  }
  trail.outbox.kick();
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
 * Records who looked at whom (stored, never posted). Rejects with AuditStoreError when the store cannot take it, so
 * the caller refuses to show personal data it could not account for. Returns the correlation id.
 */
export async function recordLookup(trail: AuditTrail, input: LookupInput): Promise<string> {
  const { id: given, ...lookup } = input;
  const id = given ?? (trail.newId ?? randomUUID)();
  await trail.store.appendLookup({ kind: 'lookup', id, at: isoNow(trail), ...lookup, command: truncate(input.command, 200) });
  return id;
}

const SANCTIONS: ReadonlySet<TrailAction> = new Set(['mute', 'unmute', 'block', 'unblock']);

function isoNow(trail: AuditTrail): string {
  return new Date(trail.now()).toISOString();
}

function truncate(text: string, max = 1000): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
