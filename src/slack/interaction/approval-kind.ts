import type { webApi } from '@slack/bolt';
import type { z } from 'zod';
import type { ApprovalState, EndedSubject } from '../../approval/index.js';
import type { AppLogger } from '../../logger.js';
import type { Locale } from '../i18n/catalog.js';
import type { ApprovalDescription } from '../ui/approval-message.js';
import type { Attempt } from './admit.js';

/**
 * How a feature hands a change over to the approval feature: a kind of request. The feature that asks seals a
 * payload (its own zod schema, stored in the audit store with the request); the approval feature, which knows no
 * feature, finds the kind by the payload's `kind` and asks it what the request says, whom to check the approver
 * for, and what to run once approved. The kinds are listed once, in the table of features (listeners.ts).
 */

/** What every payload carries: its kind, and the requester's language (they are told each outcome in it). */
export type ApprovalPayloadBase = { kind: string; locale: Locale };

/** The approved request, handed to its kind once: the store moved it out of pending for this click only. */
export type ApprovedRun = {
  state: ApprovalState;
  /** The approver's Slack user id (recorded on every intent beside the requester). */
  approvedBy: string;
  client: webApi.WebClient;
  log: AppLogger;
};

/**
 * An approved request that its kind found it must not carry out after all (e.g. the card changed since the request):
 * nothing was sent; `why` is said to the requester, the approver and on the request's message. `failed`: the run
 * threw instead (the approval feature's own verdict), so what it did before, if anything, is left to the audit trail.
 */
export type NotCarriedOut = { notCarriedOut: (locale: Locale) => string; failed?: true };

/** A stored payload read by its kind's schema: what it says, and what it does. */
export type OpenedApproval = {
  locale: Locale;
  describe(locale: Locale): ApprovalDescription;
  /**
   * What the approver is admitted for at the click (a refusal is audited as this attempt), and what the requester must
   * still be allowed at the approval: the one source of what a request needs (its action names the permission).
   */
  attempt: Pick<Attempt, 'action' | 'target' | 'accounts'>;
  /** More both people must also be allowed, each in turn (a rollback undoes card edits and sanctions alike). */
  alsoAdmitFor?: readonly OpenedApproval['attempt'][];
  /**
   * What the audit trail's entries say when the request ends without running (rejected, expired, not carried out): the
   * action, its target or accounts, how the requester asked, and what the kind has of a sanction's reason and scope or
   * a rollback's subject, so the entry says truthfully what was asked. Rejects when it cannot be read (the store).
   */
  trail(): Promise<EndedSubject>;
  /** Its run only starts a long run in the background (a rollback, a batch), whose own report says how it ends. */
  startsRun?: boolean;
  /**
   * Carries it out, once, and tells the requester its report (the approval feature updates the request's message).
   * Resolves NotCarriedOut when it sent nothing on purpose; the approval feature then tells both people.
   */
  run(approved: ApprovedRun): Promise<NotCarriedOut | void>;
};

export type ApprovalKind = {
  kind: string;
  /** Reads a stored payload; the issues when it is not this kind's shape (then nothing runs). */
  open(payload: unknown): { opened: OpenedApproval } | { issues: z.ZodError['issues'] };
};

/** A kind from its schema and what to do with a parsed payload. */
export function defineApprovalKind<P extends ApprovalPayloadBase>(definition: {
  kind: P['kind'];
  schema: z.ZodType<P>;
  describe(payload: P, locale: Locale): ApprovalDescription;
  attempt(payload: P): OpenedApproval['attempt'];
  alsoAdmitFor?(payload: P): readonly OpenedApproval['attempt'][];
  /** How the requester asked, when the trail's subject is the attempt's (no `trail`). @default 'approval request' */
  command?(payload: P): string;
  /** What the ended request's entries say; the attempt, under `command`, when absent. */
  trail?(payload: P): EndedSubject | Promise<EndedSubject>;
  /** Its run starts a long run in the background: the request's message says "started", not "carried out". */
  startsRun?: true;
  run(payload: P, approved: ApprovedRun): Promise<NotCarriedOut | void>;
}): ApprovalKind {
  return {
    kind: definition.kind,
    open(payload) {
      const parsed = definition.schema.safeParse(payload);
      if (!parsed.success) return { issues: parsed.error.issues };
      const data = parsed.data;
      const attempt = definition.attempt(data);
      const subject = (): EndedSubject | Promise<EndedSubject> =>
        definition.trail?.(data) ?? { ...attempt, command: definition.command?.(data) ?? 'approval request' };
      return {
        opened: {
          locale: data.locale,
          describe: (locale) => definition.describe(data, locale),
          attempt,
          trail: async () => subject(),
          ...(definition.alsoAdmitFor ? { alsoAdmitFor: definition.alsoAdmitFor(data) } : {}),
          ...(definition.startsRun ? { startsRun: true } : {}),
          run: (approved) => definition.run(data, approved),
        },
      };
    },
  };
}
