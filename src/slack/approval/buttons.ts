import type { App, BlockButtonAction } from '@slack/bolt';
import { decideApproval, type MayAct } from '../../approval/index.js';
import { noteOutcome, tracked } from '../../metrics/outcome.js';
import { messages } from '../i18n/catalog.js';
import { approvalActionIds } from '../ids.js';
import { admit, authorizeAttempt, localeOf } from '../interaction/admit.js';
import { accidButtonPayload } from '../interaction/payloads.js';
import { answer } from '../interaction/reply.js';
import { requestOf } from '../interaction/request-context.js';
import { renderRefusal } from '../ui/refusal.js';
import { section } from '../ui/text.js';
import { openStored } from './kinds.js';
import { settleDecided } from './outcome.js';
import type { ApprovalDeps } from './deps.js';

/**
 * Approve and Reject on a request's message, whatever its kind. The clicking person is checked (their Slack user id,
 * never the message's or the request's): the requester cannot approve their own; anyone else must be allowed each
 * attempt its kind says would run, asked of Slack now (a refusal is audited as that attempt). The store moves the
 * request out of pending once, so only the click that decided it runs it, and only if the requester, as whom it runs,
 * is still allowed those attempts too.
 */
export function registerApprovalButtons(app: App, deps: ApprovalDeps): void {
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
        const clickerLocale = await localeOf(deps, clicker);
        const m = messages(clickerLocale).approval;
        const tell = async (text: string) => void (await answer(respond, { text, blocks: [section(text)] }, log));
        // Read by its kind before anything is decided: a request this app cannot carry out is left as it is.
        const opened = openStored(deps.kinds, await deps.approvals.store.approval(id), log);
        if (!opened) return tell(m.unknown);
        // What the request needs is its kind's to say: each attempt, asked of Slack now, for whoever acts on it.
        const attempts = [opened.attempt, ...(opened.alsoAdmitFor ?? [])];
        const mayAct: MayAct = async (userId) => {
          for (const each of attempts) {
            const attempt = { command: `${decision} button`, id: correlationId, ...each };
            const admission = await admit(deps, userId, attempt, log);
            if ('refusal' in admission) {
              await answer(respond, renderRefusal(admission.refusal, admission.locale, admission.handles), log);
              return { allowed: false, refusal: admission.refusal };
            }
          }
          return { allowed: true };
        };
        // The approved request runs as its requester: their role may have been taken away since they asked.
        const requesterMay = async (requester: string) => {
          for (const each of attempts) {
            const { decision: allowed, person } = await authorizeAttempt(deps, requester, each);
            if (!allowed.allowed || !person) {
              deps.metrics?.refused(each.action, allowed.allowed ? 'unknown_person' : allowed.refusal.reason);
              return false;
            }
          }
          return true;
        };
        const now = deps.now ?? Date.now;
        const result = await decideApproval(deps.approvals.store, { id, clicker, decision, now: now(), mayAct });
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
            return settleDecided(opened, {
              trail: deps.trail,
              state: result.state,
              client,
              log,
              tellApprover: async (render) => void (await answer(respond, render(clickerLocale), log)),
              requesterMay: () => requesterMay(result.state.requester),
            });
        }
      }),
    );
  }
}
