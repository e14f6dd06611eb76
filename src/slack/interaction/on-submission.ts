import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction, webApi } from '@slack/bolt';
import type { z } from 'zod';
import type { AuditAction } from '../../audit/index.js';
import type { AppLogger } from '../../logger.js';
import { tracked } from '../../metrics/outcome.js';
import type { WriteDeps } from './deps.js';
import { receiveSubmission } from './receive-submission.js';
import { requestOf } from './request-context.js';
import type { ViewSubmission } from './submitted.js';

/** What a form's handler is given: the submission already read, its sealed metadata verified, the request's context. */
export type Submitted<M> = {
  /** Not called yet: the handler answers Slack (within 3 s) exactly once, with errors, an update, or nothing. */
  ack: (SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs)['ack'];
  submission: ViewSubmission;
  /** The modal's private_metadata, opened with the app's key and parsed by the form's schema. */
  meta: M;
  client: webApi.WebClient;
  correlationId: string;
  log: AppLogger;
};

export type SubmissionForm<S> = {
  /** The modal's callback_id: one listener per form. */
  callbackId: string;
  /** The schema the sealed private_metadata must parse with. */
  metadata: S;
  /** What a tampered submission is audited as refusing, when its sealed metadata does not name the action itself. */
  action: AuditAction;
  /** The command a tampered submission's refusal is audited under. */
  command: string;
};

/**
 * Registers a form's view_submission listener with the steps every form takes before its own logic:
 * - counted as `modal:<callbackId>` in im_admin_slack_commands_total, with the outcome the handler's steps note;
 * - given the request's correlation id and child logger (the request-context middleware's, never a new one);
 * - only with metadata that verifies: a submission that does not parse, whose seal fails, whose view id is not the
 *   one sealed, or that comes from someone other than who opened the modal, is acked, refused (audited) and told by
 *   DM here, and the handler never runs (receiveSubmission).
 * It does not claim the submission: a form that acts claims it at most once itself (firstTime with the view id and
 * hash), after its own checks, so that a form sent back with errors can be submitted again.
 */
export function onSubmission<S extends z.ZodType<{ viewId: string; user: string }>>(
  app: App,
  deps: WriteDeps,
  form: SubmissionForm<S>,
  handler: (submitted: Submitted<z.infer<S>>) => Promise<void>,
): void {
  app.view<ViewSubmitAction>(
    form.callbackId,
    tracked(deps.metrics, `modal:${form.callbackId}`, async ({ ack, body, client, context }) => {
      const { correlationId, log } = requestOf(context);
      const received = await receiveSubmission(deps, body, form.metadata, {
        ack: () => ack(),
        client,
        log,
        correlationId,
        action: form.action,
        command: form.command,
      });
      if (!received) return;
      await handler({ ack, submission: received.submission, meta: received.meta, client, correlationId, log });
    }),
  );
}
