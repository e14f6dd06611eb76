import type { App, webApi } from '@slack/bolt';
import type { AppLogger } from '../../logger.js';
import { noteFailure, noteOutcome } from '../../metrics/outcome.js';
import { accountList } from '../../moderation/batch/account-list.js';
import { InputError } from '../../errors.js';
import { DEFAULT_BULK_MAX, MAX_ACCOUNTS, sanctionProblems, type Sanction } from '../../moderation/sanction.js';
import { batchConfirmationView } from './batch-open.js';
import { renderError } from '../ui/errors.js';
import { renderRefusal } from '../ui/refusal.js';
import { section } from '../ui/text.js';
import { messages } from '../i18n/catalog.js';
import { askApproval } from '../interaction/ask-approval.js';
import { moderationApprovalKind, type ModerationApprovalPayload } from './approval-kind.js';
import { sanctionNeedsApproval } from './needs-approval.js';
import { runConfirmed } from './run-confirmed.js';
import { admit, type Attempt } from '../interaction/admit.js';
import { moderationProblemText } from './problems.js';
import { onSubmission } from '../interaction/on-submission.js';
import { firstTime } from '../interaction/once.js';
import { noticeView } from '../ui/modal.js';
import { moderationConfirmMetadata, moderationFormMetadata, type ModerationConfirmMetadata } from '../interaction/modal-metadata.js';
import { callbackIds, moderationBlocks } from '../ids.js';
import { type WriteDeps } from '../interaction/deps.js';
import { updateModal } from '../interaction/modal-reply.js';
import { confirmationView, refusedAsProtected, targetOf } from './open.js';
import { readModerationForm, type AttachedList } from './read-form.js';
import { readAttachedList } from './attached-list.js';
import { moderationProgressView, moderationReportView } from './views.js';

/**
 * The moderation form submitted: problems go back under their fields; a protected account is refused (audited) in
 * place; otherwise the modal turns into the one confirmation. Nothing is sent to NetEase here.
 */
export function registerModerationForm(app: App, deps: WriteDeps): void {
  onSubmission(
    app,
    deps,
    { callbackId: callbackIds.moderationForm, metadata: moderationFormMetadata, action: 'mute', command: 'moderation form' },
    async ({ ack, submission, meta, correlationId, log }) => {
      const m = messages(meta.locale);
      // The form takes up to IM_BULK_MAX accounts; more than one confirmation carries are confirmed as a stored draft.
      const bulkMax = deps.bulkMax ?? DEFAULT_BULK_MAX;
      const values = submission.view.state.values;
      let attached: AttachedList | undefined;
      let problems: InputError[] = [];
      try {
        attached = await readAttachedList(deps, values);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        log.info({ err: error }, 'moderation form: the attached list was not read');
        problems = [error];
      }
      const read = readModerationForm(meta.action, values, bulkMax, attached);
      const { sanction, setAside } = read;
      if (problems.length === 0) problems = read.problems;
      if (problems.length > 0) {
        noteOutcome('input_error');
        const errors: Record<string, string> = {};
        for (const problem of problems) {
          const block = (moderationBlocks as readonly string[]).includes(problem.field) ? problem.field : 'accids';
          errors[block] ??= moderationProblemText(m, problem);
        }
        await ack({ response_action: 'errors', errors });
        return;
      }
      const userId = submission.user.id;
      const attempt: Attempt = {
        action: sanction.kind,
        command: meta.command,
        target: targetOf(sanction.accids),
        accounts: sanction.accids,
        id: correlationId,
      };
      const { viewId, user, locale, command } = meta;
      const confirmMeta: ModerationConfirmMetadata = {
        kind: 'moderation_confirm',
        viewId,
        user,
        locale,
        command,
        sanction,
        ...(meta.channel ? { channel: meta.channel } : {}),
      };
      if (deps.access.protectedAccids.length > 0 && sanction.kind !== 'unmute' && sanction.kind !== 'unblock') {
        // Decide before acking (pure), audit after: the ack must leave within 3 s.
        const hits = sanction.accids.filter((accid) => deps.access.protectedAccids.includes(accid.toLowerCase()));
        if (hits.length > 0) {
          await ack({
            response_action: 'update',
            view: noticeView(locale, 'refused', renderRefusal({ reason: 'protected_account', accids: hits }, locale)),
          });
          await refusedAsProtected(deps, { userId, attempt, sanction, locale, log });
          return;
        }
      }
      if (sanction.accids.length > MAX_ACCOUNTS) {
        const list = {
          ...accountList(sanction.accids),
          ...(setAside ? { invalid: setAside.invalid, invalidCount: setAside.invalidCount } : {}),
        };
        const base = { viewId, user, locale, command, ...(meta.channel ? { channel: meta.channel } : {}) };
        const view = await batchConfirmationView(deps, { batches: deps.batches, sanction, list, userId, command, base, correlationId });
        await ack({ response_action: 'update', view });
        return;
      }
      await ack({ response_action: 'update', view: confirmationView(deps, sanction, confirmMeta) });
    },
  );
}

/**
 * The confirmation submitted: the moderate permission is checked again (and protected accounts), then each account
 * is worked on with the modal showing progress, and the report is shown in the modal and posted where the person
 * started (ephemeral) or by DM.
 */
export function registerModerationConfirm(app: App, deps: WriteDeps): void {
  onSubmission(
    app,
    deps,
    { callbackId: callbackIds.moderationConfirm, metadata: moderationConfirmMetadata, action: 'mute', command: 'moderation confirmation' },
    async ({ ack, submission, meta, client, correlationId, log }) => {
      const sanction = meta.sanction;
      const now = deps.now ?? Date.now;
      if (sanctionProblems(sanction).length > 0) {
        // Sealed by this app, so only a change of the rules between open and confirm gets here.
        const text = messages(meta.locale).moderation.tooManyToConfirm;
        await ack({ response_action: 'update', view: noticeView(meta.locale, 'error', { text, blocks: [section(text)] }) });
        return;
      }
      await ack({ response_action: 'update', view: moderationProgressView(sanction, meta.locale, 0, now()) });
      await confirmed(deps, {
        userId: submission.user.id,
        viewId: submission.view.id,
        viewHash: submission.view.hash,
        meta,
        sanction,
        client,
        correlationId,
        log,
      });
    },
  );
}

type Confirmed = {
  userId: string;
  viewId: string;
  /** With the view id, the submission's at-most-once key: a replayed confirmation acts on nothing. */
  viewHash: string | undefined;
  meta: ModerationConfirmMetadata;
  sanction: Sanction;
  client: webApi.WebClient;
  correlationId: string;
  log: AppLogger;
};

async function confirmed(deps: WriteDeps, input: Confirmed): Promise<void> {
  const { userId, viewId, meta, sanction, client, correlationId, log } = input;
  const attempt: Attempt = {
    action: sanction.kind,
    command: meta.command,
    target: targetOf(sanction.accids),
    accounts: sanction.accids,
    id: correlationId,
  };
  const show = (view: Parameters<typeof updateModal>[2]) => updateModal(client, viewId, view, log);
  const admission = await admit(deps, userId, attempt, log);
  if ('refusal' in admission) {
    await show(noticeView(admission.locale, 'refused', renderRefusal(admission.refusal, admission.locale)));
    return;
  }
  const { locale } = admission.admitted;
  if (await refusedAsProtected(deps, { userId, attempt, sanction, locale, log })) {
    const hits = sanction.accids.filter((accid) => deps.access.protectedAccids.includes(accid.toLowerCase()));
    await show(noticeView(locale, 'refused', renderRefusal({ reason: 'protected_account', accids: hits }, locale)));
    return;
  }
  const once = { kind: 'submission' as const, viewId, hash: input.viewHash };
  const deliver = (message: Parameters<typeof moderationReportView>[0]) => show(moderationReportView(message, locale));
  if (!(await firstTime(deps.trail, once, correlationId, { locale, log, deliver }))) return;
  const now = deps.now ?? Date.now;
  if (deps.approvals && sanctionNeedsApproval(deps, sanction)) {
    const payload: ModerationApprovalPayload = {
      kind: 'moderation',
      sanction,
      command: meta.command,
      locale,
      ...(meta.channel ? { channel: meta.channel } : {}),
    };
    const request = { id: correlationId, requester: userId, action: sanction.kind, payload } as const;
    try {
      await show(await askApproval(deps.approvals, moderationApprovalKind(deps), { ...request, now: now(), client, log }));
    } catch (error) {
      noteFailure(error);
      log.error({ err: error }, 'approvals: the request could not be stored; nothing posted, nothing sent');
      await show(noticeView(locale, 'error', renderError(error, { locale, correlationId })));
    }
    return;
  }
  await runConfirmed(deps, {
    sanction,
    actor: userId,
    command: meta.command,
    correlationId,
    client,
    log,
    locale,
    show,
    channel: meta.channel,
  });
}
