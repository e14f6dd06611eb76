import { z } from 'zod';
import { guardedActions } from '../policy/permissions.js';
import type { Refusal } from '../policy/types.js';

/**
 * The lines of the audit log (JSONL, one record per line). Records are written by this program, but the file is read
 * back after a crash, so every line is parsed again here: a torn or hand-edited line is skipped, never trusted.
 *
 * An update is two records sharing one correlation id: the `intent` (written and flushed before NetEase is called)
 * and its `outcome`. A `posted` marker with the same id, after the outcome, says the audit channel has it.
 */

const correlationId = z.string().min(1).max(128);
const isoTime = z.iso.datetime();
/** A Slack user id (U… or W…). Anything else is kept but never rendered as a mention. */
const actor = z.string().min(1).max(64);

export const auditActions = guardedActions;
export const auditActionSchema = z.enum(auditActions);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditTargetSchema = z.object({
  accid: z.string().min(1).max(128),
  /** QChat server id (decimal string) for qchat_update_member. */
  serverId: z.string().max(32).optional(),
});
export type AuditTarget = z.infer<typeof auditTargetSchema>;

/**
 * What an entry about a Slack person rather than an account names as its target: `<@U…>`, which no NetEase accid can
 * be (accids hold no `<`). The stores index it as an accid, and a person's history (`/im-audit @person`) reads those
 * entries beside what the person did.
 */
export function personTarget(userId: string): AuditTarget {
  return { accid: `<@${userId}>`.slice(0, 128) };
}

/** The Slack person an entry's target names, when it names one (personTarget). */
export function targetPerson(target: AuditTarget): string | undefined {
  return /^<@([UW][A-Z0-9]{2,60})>$/i.exec(target.accid)?.[1]?.toUpperCase();
}

/**
 * The actions an entry of the trail can name: every guarded action, and `rollback` — a request to roll a person's
 * changes back that ended without running (its undos, when it runs, are entries of their own actions).
 */
export const trailActions = [...auditActions, 'rollback'] as const;
export const trailActionSchema = z.enum(trailActions);
export type TrailAction = z.infer<typeof trailActionSchema>;

const fieldValue = z.union([z.string(), z.number()]);
/** One changed field. `before` is absent when the card was not read before the change (or the field was unset). */
export const fieldChangeSchema = z.object({ before: fieldValue.optional(), after: fieldValue });
export type FieldChange = z.infer<typeof fieldChangeSchema>;

const muteModuleSchema = z.enum(['muteP2P', 'muteTeam', 'muteRoom', 'muteQChat']);

/**
 * What a mute, unmute, block or unblock was about, beside its flag changes: why, where, for how long, and for a lift
 * made by the app itself, which sanction it lifts, on whose behalf, and how late.
 */
export const sanctionDetailsSchema = z.object({
  reason: z.string().max(1000).optional(),
  scope: z.union([z.literal('everywhere'), z.array(muteModuleSchema).max(4)]).optional(),
  /** A timed mute: how long, and when the app lifts it. Absent with `forever` for a mute without end. */
  durationMs: z.number().int().positive().optional(),
  liftAt: isoTime.optional(),
  forever: z.boolean().optional(),
  needkick: z.boolean().optional(),
  kickNotifyExt: z.string().max(256).optional(),
  /** A lift by the app: the id of the sanction's intent, the person who set it, and how late it ran (ms). */
  lifts: correlationId.optional(),
  onBehalfOf: actor.optional(),
  lateMs: z.number().int().nonnegative().optional(),
});
export type SanctionDetails = z.infer<typeof sanctionDetailsSchema>;

export const intentRecordSchema = z.object({
  kind: z.literal('intent'),
  id: correlationId,
  at: isoTime,
  actor,
  action: trailActionSchema,
  /**
   * How the person asked, e.g. `/im update` or `edit card modal`: the command's name, not its argument text (which may
   * hold personal data that belongs in `changes`, where the renderer masks it).
   */
  command: z.string().max(200),
  target: auditTargetSchema,
  /** Field name → before/after, unmasked: the log is the full record (keep the file private); renderers mask. */
  changes: z.record(z.string(), fieldChangeSchema),
  /** Mutes, unmutes, blocks and unblocks: reason, scope, duration. */
  sanction: sanctionDetailsSchema.optional(),
  /** A second read-back by the app (recheck.ts): the id of the entry whose outcome was unknown. */
  rechecks: correlationId.optional(),
  /** The batch (one action on many accounts) this account's change belongs to: its entry links to the batch. */
  batch: correlationId.optional(),
  /** An undo: the id of the change it reverses (itself perhaps an undo: then this one redoes). */
  undoes: correlationId.optional(),
  /** A change a second person approved (IM_APPROVAL_FOR): their Slack user id; `actor` is who asked for it. */
  approvedBy: actor.optional(),
  /**
   * A request for approval that ended without its change (nothing was sent): rejected (`by` who rejected it; the
   * requester withdrawing it is the requester) or expired. `actor` is who asked; the entry's id is the request's.
   */
  approvalEnded: z
    .object({
      status: z.enum(['rejected', 'expired']),
      by: actor.optional(),
      /** How many accounts the request named, when several (each has an entry of its own, `batch` the request's). */
      accounts: z.number().int().positive().optional(),
    })
    .optional(),
  /** A `rollback` entry: whose changes (also its target, personTarget), since when, how many changes over how many accounts. */
  rollback: z
    .object({
      of: actor,
      since: isoTime,
      changes: z.number().int().nonnegative(),
      accounts: z.number().int().nonnegative(),
    })
    .optional(),
});
export type IntentRecord = z.infer<typeof intentRecordSchema>;

export const outcomeStatuses = ['applied', 'applied_confirmed_by_read_back', 'failed', 'not_applied', 'unknown'] as const;
export type OutcomeStatus = (typeof outcomeStatuses)[number];

export const readBackVerdicts = ['in_place', 'not_in_place', 'unknown'] as const;
export type ReadBackVerdict = (typeof readBackVerdicts)[number];

export const outcomeRecordSchema = z.object({
  kind: z.literal('outcome'),
  id: correlationId,
  at: isoTime,
  status: z.enum(outcomeStatuses),
  /** NetEase's `code` when NetEase answered. */
  nimCode: z.number().int().optional(),
  /** The typed error's stable code (`nim_api_error`, `nim_transport_error`, …) when the operation threw. */
  errorCode: z.string().max(64).optional(),
  /** NetEase's `desc` or the error message, in plain words. Never secrets (the typed errors redact at build time). */
  detail: z.string().max(1000).optional(),
  /** Set when the process died mid-update and the card was read back at the next start. */
  recovered: z.boolean().optional(),
  /** What reading the card back showed (recovery), when it was read back. */
  readBack: z.enum(readBackVerdicts).optional(),
});
export type OutcomeRecord = z.infer<typeof outcomeRecordSchema>;

const roleSchema = z.enum(['member', 'admin', 'owner', 'primary_owner']);
export const refusalSchema = z.union([
  z.object({ reason: z.enum(['guest', 'single_channel_guest', 'bot', 'deactivated', 'other_team']) }),
  z.object({ reason: z.literal('unknown_person') }),
  z.object({ reason: z.literal('below_read_role'), required: roleSchema }),
  z.object({
    reason: z.literal('not_a_writer'),
    required: roleSchema,
    usergroups: z.array(z.string()).readonly(),
  }),
  z.object({
    reason: z.literal('not_a_moderator'),
    required: roleSchema,
    usergroups: z.array(z.string()).readonly(),
  }),
  z.object({ reason: z.literal('protected_account'), accids: z.array(z.string().max(128)).max(100).readonly() }),
  z.object({ reason: z.literal('tampered_submission') }),
]);
// Both directions, so the schema and src/policy/types.ts cannot drift apart silently.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const refusalSchemaMatchesPolicy: Same<z.infer<typeof refusalSchema>, Refusal> = true;
void refusalSchemaMatchesPolicy;

export const refusalRecordSchema = z.object({
  kind: z.literal('refusal'),
  id: correlationId,
  at: isoTime,
  actor,
  action: auditActionSchema,
  command: z.string().max(200),
  target: auditTargetSchema,
  /**
   * Every account a refused action on many accounts named, `target` being the first: the action's one message in the
   * audit channel, as the action itself would have been one.
   */
  accounts: z.array(z.string().min(1).max(128)).max(10_000).optional(),
  /**
   * Another account of that refused action: the id of the record that names them all. Its own record (the trail
   * indexes one account per record, so its /im-audit finds it), never posted on its own.
   */
  partOf: correlationId.optional(),
  refusal: refusalSchema,
});
export type RefusalRecord = z.infer<typeof refusalRecordSchema>;

/** Who looked at whom. Logged only, never posted. */
export const lookupRecordSchema = z.object({
  kind: z.literal('lookup'),
  id: correlationId,
  at: isoTime,
  actor,
  command: z.string().max(200),
  accids: z.array(z.string().max(128)),
  serverId: z.string().max(32).optional(),
});
export type LookupRecord = z.infer<typeof lookupRecordSchema>;

export const postedRecordSchema = z.object({
  kind: z.literal('posted'),
  id: correlationId,
  at: isoTime,
  /** Set when nothing was sent because no AUDIT_CHANNEL is configured: the entry counts as handled. */
  skipped: z.literal('no_audit_channel').optional(),
});
export type PostedRecord = z.infer<typeof postedRecordSchema>;

export const auditRecordSchema = z.discriminatedUnion('kind', [
  intentRecordSchema,
  outcomeRecordSchema,
  refusalRecordSchema,
  lookupRecordSchema,
  postedRecordSchema,
]);
export type AuditRecord = z.infer<typeof auditRecordSchema>;

/** What the audit channel shows: an update (intent and outcome as one message) or a refusal. */
export type AuditEntry = { kind: 'update'; intent: IntentRecord; outcome: OutcomeRecord } | { kind: 'refusal'; refusal: RefusalRecord };

export function entryId(entry: AuditEntry): string {
  return entry.kind === 'update' ? entry.intent.id : entry.refusal.id;
}
