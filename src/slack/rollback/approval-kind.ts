import type { webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import { needsApproval } from '../../approval/index.js';
import { personTarget } from '../../audit/records.js';
import type { AppLogger } from '../../logger.js';
import type { RollbackPlan } from '../../undo/rollback-plan.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { defineApprovalKind, type ApprovalKind } from '../interaction/approval-kind.js';
import type { WriteDeps } from '../interaction/deps.js';
import { tellPerson } from '../interaction/modal-reply.js';
import { slackUserId } from '../interaction/payloads.js';
import type { ApprovalDescription } from '../ui/approval-message.js';
import { auditTime } from '../ui/audit-labels.js';
import { actorMention, section } from '../ui/text.js';
import { ROLLBACK_COMMAND } from './admit-rollback.js';
import type { RollbackDeps } from './deps.js';
import { previewItemBlocks } from './preview-blocks.js';
import { previewItemsSchema } from './preview-items.js';
import { runRollbackInSlack, type RollbackScreen } from './run.js';

/**
 * A rollback as a kind of approval request: whose changes, since when, and exactly the previewed changes (only
 * those are undone, each by the same rules as when it runs directly). Approved, it runs once in the background; its
 * progress and report go to the requester by DM, the approver is told at once.
 */
export const rollbackApprovalPayload = z.object({
  kind: z.literal('rollback'),
  locale: z.enum(['en', 'zh-CN']),
  /** Whose changes. */
  actor: slackUserId,
  since: z.number().int().nonnegative(),
  until: z.number().int().nonnegative(),
  accounts: z.number().int().nonnegative(),
  items: previewItemsSchema,
});
export type RollbackApprovalPayload = z.infer<typeof rollbackApprovalPayload>;

/** Whether IM_APPROVAL_FOR asks a second person for this rollback: `rollback`, or what any of its undos performs. */
export function rollbackNeedsApproval(deps: Pick<WriteDeps, 'approvals'>, plan: RollbackPlan): boolean {
  if (!deps.approvals) return false;
  const undoes = plan.steps.flatMap((step) => (step.inverse ? [step.inverse.action] : []));
  return needsApproval(deps.approvals.policy, { kind: 'rollback', undoes });
}

/** A request message takes 50 blocks: its heading, until when, the buttons and the outcome keep room for theirs. */
const DESCRIPTION_BLOCKS = 40;

export function describeRollback(payload: RollbackApprovalPayload, locale: Locale): ApprovalDescription {
  const r = messages(locale).rollback;
  const since = auditTime(new Date(payload.since).toISOString());
  const line = r.requestLine(payload.items.length, payload.accounts, actorMention(payload.actor), since);
  const blocks: KnownBlock[] = previewItemBlocks({ ...payload, locale, maxBlocks: DESCRIPTION_BLOCKS, shared: true });
  return { line, blocks };
}

/** The requester's DM, posted once and then updated in place: the progress, then the report. */
function dmScreen(client: webApi.WebClient, user: string, head: string, log: AppLogger): RollbackScreen {
  let where: { channel: string; ts: string } | undefined;
  const show = async (title: string, blocks: KnownBlock[]) => {
    const message = { text: `${head} ${title}`, blocks: [section(head), section(`*${title}*`), ...blocks].slice(0, 50) };
    try {
      if (where) await client.chat.update({ ...where, ...message });
      else {
        const posted = await client.chat.postMessage({ channel: user, ...message });
        if (posted.ts && posted.channel) where = { channel: posted.channel, ts: posted.ts };
      }
    } catch (error) {
      log.warn({ err: error }, 'rollback: the requester could not be shown its progress');
    }
  };
  return { progress: show, report: show, failed: (message) => show(message.text, message.blocks) };
}

export function rollbackApprovalKind(deps: RollbackDeps): ApprovalKind {
  return defineApprovalKind({
    kind: 'rollback',
    schema: rollbackApprovalPayload,
    describe: describeRollback,
    // A rollback undoes card edits and sanctions alike: the approver needs to both write and moderate.
    // A refusal of the approver names the person whose changes were to be rolled back, as the ended entry does.
    attempt: ({ actor }) => ({ action: 'update_user_card', target: personTarget(actor) }),
    alsoAdmitFor: ({ actor }) => [{ action: 'mute', target: personTarget(actor) }],
    // Its own action in the trail: a rollback of that person's changes, found by /im-audit @person.
    trail: ({ actor, since, items, accounts }) => ({
      action: 'rollback',
      command: ROLLBACK_COMMAND,
      target: personTarget(actor),
      rollback: { of: actor, since: new Date(since).toISOString(), changes: items.length, accounts },
    }),
    // It runs in the background and may still fail: the request says it started, the DM's report how it ended.
    startsRun: true,
    run: async (payload, { state, approvedBy, client, log }) => {
      const { locale } = payload;
      const r = messages(locale).rollback;
      await tellPerson(client, { userId: approvedBy, locale }, () => noteOf(r.approvedRuns(actorMention(state.requester))), log);
      const screen = dmScreen(client, state.requester, r.approvedHead(actorMention(approvedBy)), log);
      const run = {
        lead: state.requester,
        approvedBy,
        actor: payload.actor,
        since: payload.since,
        until: payload.until,
        only: new Set(payload.items.map((item) => item.id)),
        locale,
        rollbackId: state.id,
      };
      // In the background: the request's message shows it approved now; the DM follows the run.
      void runRollbackInSlack(deps, { run, screen, log });
    },
  });
}

function noteOf(text: string) {
  return { text, blocks: [section(text)] };
}
