import type { App, BlockButtonAction, webApi } from '@slack/bolt';
import { decideApproval, type ApprovalState, type MayAct } from '../../approval/index.js';
import type { AppLogger } from '../../logger.js';
import { noteFailure, noteOutcome, tracked } from '../../metrics/outcome.js';
import { messages } from '../i18n/catalog.js';
import { approvalActionIds } from '../ids.js';
import { admit, localeOf, type Attempt } from '../interaction/admit.js';
import type { Approvals, WriteDeps } from '../interaction/deps.js';
import { tellPerson } from '../interaction/modal-reply.js';
import { accidButtonPayload } from '../interaction/payloads.js';
import { answer } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';
import { renderRefusal } from '../ui/refusal.js';
import { section } from '../ui/text.js';
import { approvalEndedMessage, approvalOutcomeMessage } from './approval-blocks.js';
import { CHANNEL_LOCALE, moderationApprovalPayload, type ModerationApprovalPayload } from './approval-request.js';
import { targetOf } from './open.js';
import { runConfirmed } from './run-confirmed.js';

/**
 * Approve and Reject on a request's message. The clicking person is checked (their Slack user id, never the
 * message's or the request's): the requester cannot approve their own, anyone else needs the moderate permission,
 * asked of Slack now (a refusal is audited). The store moves the request out of pending once, so only the click that
 * decided it runs the sanction — through the same path as a direct confirmation, with both people on every intent.
 */
export function registerApprovalButtons(app: App, deps: WriteDeps & { approvals: Approvals }): void {
  for (const [decision, actionId] of [
    ['approve', approvalActionIds.approve],
    ['reject', approvalActionIds.reject],
  ] as const) {
    app.action<BlockButtonAction>(
      actionId,
      tracked(deps.metrics, `button:${actionId}`, async ({ ack, body, respond, client, context }) => {
        await ack();
        const { correlationId, log } = requestOf(context);
        const parsed = accidButtonPayload.safeParse(body);
        const id = parsed.success ? (parsed.data.actions[0]?.value ?? '') : '';
        if (!parsed.success || !/^[\w.:-]{1,128}$/.test(id)) {
          log.warn({ issues: parsed.success ? [] : parsed.error.issues }, 'unreadable approval button payload');
          noteOutcome('input_error');
          return;
        }
        const clicker = parsed.data.user.id;
        const now = deps.now ?? Date.now;
        const tell = async (text: string) => void (await answer(respond, { text, blocks: [section(text)] }, log));
        const mayAct: MayAct = async (userId) => {
          const attempt: Attempt = {
            action: 'block',
            command: `${decision} button`,
            target: { accid: `approval ${id}` },
            id: correlationId,
          };
          const stored = await deps.approvals.store.approval(id);
          const admission = await admit(deps, userId, { ...attempt, ...actionOf(stored) }, log);
          if ('refusal' in admission) {
            await answer(respond, renderRefusal(admission.refusal, admission.locale, admission.handles), log);
            return { allowed: false, refusal: admission.refusal };
          }
          return { allowed: true };
        };
        const result = await decideApproval(deps.approvals.store, { id, clicker, decision, now: now(), mayAct });
        const m = messages(await localeOf(deps, clicker)).approval;
        switch (result.kind) {
          case 'unknown':
            return tell(m.unknown);
          case 'already':
          case 'expired':
            return tell(m.already);
          case 'own_request':
            log.info({ approval: id }, 'approvals: the requester clicked Approve on their own request; refused');
            return tell(m.ownRequest);
          case 'refused':
            return;
          case 'decided':
            return decided(deps, { state: result.state, client, log, correlationId });
        }
      }),
    );
  }
}

/** The sanction's action, so the clicker is checked (and a refusal audited) for what would run. */
function actionOf(state: ApprovalState | undefined): Partial<Attempt> {
  const payload = moderationApprovalPayload.safeParse(state?.payload);
  if (!payload.success) return {};
  return { action: payload.data.sanction.kind, target: targetOf(payload.data.sanction.accids), accounts: payload.data.sanction.accids };
}

/** This click decided it: run it (approved) or not (rejected), update the request's message, tell the requester. */
async function decided(
  deps: WriteDeps & { approvals: Approvals },
  input: { state: ApprovalState; client: webApi.WebClient; log: AppLogger; correlationId: string },
): Promise<void> {
  const { state, client, log } = input;
  const parsed = moderationApprovalPayload.safeParse(state.payload);
  if (!parsed.success) {
    log.error({ approval: state.id, issues: parsed.error.issues }, 'approvals: a stored request is unreadable; nothing sent');
    return;
  }
  const payload = parsed.data;
  log.info({ approval: state.id, status: state.status, requester: state.requester, by: state.decidedBy }, 'approvals: decided');
  if (state.status === 'approved') {
    try {
      await runConfirmed(deps, {
        sanction: payload.sanction,
        actor: state.requester,
        ...(state.decidedBy ? { approvedBy: state.decidedBy } : {}),
        command: payload.command,
        // The request's id: its accounts' entries are `<id>.<n>`, one run per request whatever the clicks.
        correlationId: state.id,
        client,
        log,
        locale: payload.locale,
        channel: payload.channel,
      });
    } catch (error) {
      noteFailure(error);
      log.error({ err: error, approval: state.id }, 'approvals: carrying out an approved request failed');
    }
  } else {
    await tellPerson(
      client,
      { userId: state.requester, locale: payload.locale },
      () => approvalEndedMessage(state, payload.sanction, payload.locale),
      log,
    );
  }
  await showOutcome(client, state, payload, log);
}

/** Replaces the request's buttons with its outcome (approved, rejected or expired). */
export async function showOutcome(client: webApi.WebClient, state: ApprovalState, payload: ModerationApprovalPayload, log: AppLogger) {
  if (!state.message) return;
  try {
    await client.chat.update({
      channel: state.message.channel,
      ts: state.message.ts,
      ...approvalOutcomeMessage(state, payload.sanction, CHANNEL_LOCALE),
    });
  } catch (error) {
    log.warn({ err: error, approval: state.id }, 'approvals: could not update the request message');
  }
}

/** The expiry sweep's telling: the message says it expired, the requester is told; nothing is sent to NetEase. */
export function onApprovalExpired(client: webApi.WebClient, log: AppLogger) {
  return async (state: ApprovalState): Promise<void> => {
    const parsed = moderationApprovalPayload.safeParse(state.payload);
    if (!parsed.success) return;
    log.info({ approval: state.id, requester: state.requester }, 'approvals: expired; nothing sent');
    await tellPerson(
      client,
      { userId: state.requester, locale: parsed.data.locale },
      () => approvalEndedMessage(state, parsed.data.sanction, parsed.data.locale),
      log,
    );
    await showOutcome(client, state, parsed.data, log);
  };
}
