import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import { sanctionDetails } from '../../moderation/execute.js';
import { sanctionSchema, type Sanction } from '../../moderation/sanction.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { defineApprovalKind, type ApprovalKind } from '../interaction/approval-kind.js';
import type { WriteDeps } from '../interaction/deps.js';
import type { ApprovalDescription } from '../ui/approval-message.js';
import { code, context, section } from '../ui/text.js';
import { targetOf } from './open.js';
import { confirmationText } from './report.js';
import { runConfirmed } from './run-confirmed.js';

/**
 * Moderation as a kind of approval request: the sanction exactly as the requester confirmed it, how they asked, and
 * where to tell them. Sealed into the store at the request and parsed again when it runs.
 */
export const moderationApprovalPayload = z.object({
  kind: z.literal('moderation'),
  sanction: sanctionSchema,
  command: z.string().max(200),
  locale: z.enum(['en', 'zh-CN']),
  channel: z.string().max(32).optional(),
});
export type ModerationApprovalPayload = z.infer<typeof moderationApprovalPayload>;

/** The confirmation's own line (action, scope, duration, reason, escaped) and every account. */
export function describeSanction(sanction: Sanction, locale: Locale): ApprovalDescription {
  const m = messages(locale);
  const line = confirmationText(sanction, sanction.accids.length, locale, undefined, 'approval');
  const blocks: KnownBlock[] = [
    section(line),
    section(m.moderation.accountList(sanction.accids.map((accid) => code(accid, 40)).join(' '))),
  ];
  if (sanction.kind === 'block' && sanction.kickNotifyExt)
    blocks.push(context(m.moderation.deviceMessage(code(sanction.kickNotifyExt, 300))));
  return { line, blocks };
}

/**
 * Approved: the sanction runs through the path a direct confirmation takes, with both people on every intent; the
 * request's id is the correlation id, so its accounts' entries are `<id>.<n>`, one run per request whatever the clicks.
 */
export function moderationApprovalKind(deps: WriteDeps): ApprovalKind {
  return defineApprovalKind({
    kind: 'moderation',
    schema: moderationApprovalPayload,
    describe: (payload, locale) => describeSanction(payload.sanction, locale),
    attempt: ({ sanction }) => ({ action: sanction.kind, target: targetOf(sanction.accids), accounts: sanction.accids }),
    // As the run would record it, less the lift's time (a timed mute counts from its approval, which never came).
    trail: ({ sanction, command }) => ({
      action: sanction.kind,
      command,
      target: targetOf(sanction.accids),
      accounts: sanction.accids,
      sanction: sanctionDetails(sanction, undefined),
    }),
    run: async (payload, { state, approvedBy, client, log }) => {
      await runConfirmed(deps, {
        sanction: payload.sanction,
        actor: state.requester,
        approvedBy,
        command: payload.command,
        correlationId: state.id,
        client,
        log,
        locale: payload.locale,
        channel: payload.channel,
      });
    },
  });
}
