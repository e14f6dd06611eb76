import type { webApi } from '@slack/bolt';
import type { z } from 'zod';
import type { AuditAction } from '../../audit/index.js';
import { guardedActions } from '../../policy/permissions.js';
import { renderRefusal } from '../ui/refusal.js';
import type { AppLogger } from '../../logger.js';
import { openMetadata } from './sealed-metadata.js';
import { viewSubmission, type ViewSubmission } from './submitted.js';
import { localeOf, refuse } from './admit.js';
import { type WriteDeps } from './deps.js';
import { tellPerson } from './modal-reply.js';

/** Stands in for the accid in the audit trail when a tampered form does not say which account it was about. */
export const UNKNOWN_TARGET = '(unknown)';

export type Received<M> = { submission: ViewSubmission; meta: M };

/**
 * Reads a modal submission and its sealed private_metadata. A submission whose seal does not verify, whose view id is
 * not the one the seal was made for, or that comes from someone other than who opened the modal, is refused: the
 * modal is closed, the refusal audited, and the person told by DM (the channel in the metadata cannot be trusted).
 * Returns undefined then, after acking; otherwise the caller still has to ack.
 */
export async function receiveSubmission<S extends z.ZodType<{ viewId: string; user: string }>>(
  deps: WriteDeps,
  body: unknown,
  schema: S,
  context: {
    ack: () => Promise<void>;
    client: webApi.WebClient;
    log: AppLogger;
    action: AuditAction;
    command: string;
    /** The submission's correlation id: the refusal's audit id. */
    correlationId?: string;
  },
): Promise<Received<z.infer<S>> | undefined> {
  const parsed = viewSubmission.safeParse(body);
  if (!parsed.success) {
    await context.ack();
    context.log.warn({ issues: parsed.error.issues }, 'unreadable view submission');
    return undefined;
  }
  const submission = parsed.data;
  const meta = openMetadata(deps.metadataKey, submission.view.private_metadata, schema);
  if (meta && meta.user === submission.user.id && meta.viewId === submission.view.id) return { submission, meta };

  await context.ack();
  const userId = submission.user.id;
  const accid = (meta as { accid?: unknown } | undefined)?.accid;
  const target = { accid: typeof accid === 'string' ? accid : UNKNOWN_TARGET };
  // A moderation form sealed by this app but submitted by someone else says which action it was for.
  const sealedAction = meta as { action?: unknown; sanction?: { kind?: unknown } } | undefined;
  const action =
    [sealedAction?.action, sealedAction?.sanction?.kind].find((value): value is AuditAction =>
      (guardedActions as readonly unknown[]).includes(value),
    ) ?? context.action;
  const locale = await localeOf(deps, userId);
  context.log.warn({ sealed: meta !== undefined, opener: meta?.user, viewId: submission.view.id }, 'tampered view submission');
  const refused = await refuse(
    deps,
    userId,
    { action, command: context.command, target, ...(context.correlationId ? { id: context.correlationId } : {}) },
    { reason: 'tampered_submission' },
    locale,
    context.log,
  );
  await tellPerson(context.client, { userId, locale }, () => renderRefusal(refused.refusal, locale), context.log);
  return undefined;
}
