import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import type { BatchRecord } from '../../audit/batch-record.js';
import type { EndedSubject } from '../../approval/index.js';
import { sanctionDetails } from '../../moderation/execute.js';
import { sanctionSchema, type Sanction } from '../../moderation/sanction.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { defineApprovalKind, type ApprovalKind } from '../interaction/approval-kind.js';
import type { WriteDeps } from '../interaction/deps.js';
import { tellPerson } from '../interaction/modal-reply.js';
import type { ApprovalDescription } from '../ui/approval-message.js';
import { actorMention, code, context, section } from '../ui/text.js';
import { confirmationText } from './report.js';

/** How many of a batch's accounts the request message lists (the rest are counted; the draft holds them all). */
const ACCOUNTS_SHOWN = 30;

/**
 * A batch (more accounts than one confirmation carries) as a kind of approval request: the stored draft is the
 * request — the payload names it, with what the message shows (the sanction, how many accounts, the first of them).
 * Approved, the draft starts once (BatchService.confirm, for its requester, with the approver on the record and on
 * every account's intent), in the background at the budget's pace, with its one audit channel message naming both.
 */
export const batchApprovalPayload = z.object({
  kind: z.literal('moderation_batch'),
  locale: z.enum(['en', 'zh-CN']),
  /** The draft batch's id. */
  batch: z.string().min(1).max(128),
  /** The sanction as confirmed, without its accounts (the draft keeps them). */
  sanction: sanctionSchema.omit({ accids: true }),
  accounts: z.number().int().positive().max(10_000),
  /** The first accounts, as the request message lists them. */
  first: z.array(z.string().min(1).max(32)).min(1).max(ACCOUNTS_SHOWN),
  channel: z.string().max(32).optional(),
  /** How the requester asked (`/im-mute`, the form): the entries a rejection or expiry leaves say it. */
  command: z.string().max(200),
});
export type BatchApprovalPayload = z.infer<typeof batchApprovalPayload>;

export function batchApprovalPayloadOf(draft: BatchRecord, sanction: Sanction, locale: Locale, channel?: string): BatchApprovalPayload {
  const { accids, ...rest } = sanction;
  return {
    kind: 'moderation_batch',
    locale,
    batch: draft.id,
    sanction: rest,
    accounts: accids.length,
    first: accids.slice(0, ACCOUNTS_SHOWN),
    command: draft.command,
    ...(channel ? { channel } : {}),
  };
}

/** The confirmation's own line (its count is the batch's), the first accounts and how many more. */
export function describeBatch(payload: BatchApprovalPayload, locale: Locale): ApprovalDescription {
  const m = messages(locale);
  // The draft's count, of which only the first accounts are listed.
  const line = confirmationText(payload.sanction, payload.accounts, locale, undefined);
  const more = payload.accounts - payload.first.length;
  const listed = payload.first.map((accid) => code(accid, 40)).join(' ') + (more > 0 ? ` ${m.common.andMore(more)}` : '');
  const blocks: KnownBlock[] = [section(line), section(m.moderation.accountList(listed))];
  if (payload.sanction.kind === 'block' && payload.sanction.kickNotifyExt)
    blocks.push(context(m.moderation.deviceMessage(code(payload.sanction.kickNotifyExt, 300))));
  return { line, blocks };
}

/**
 * What an ended request's entries say: the action with its reason and scope, each of the draft's accounts (so
 * /im-audit <accid> finds it; stored a chunk per durable write), and how many. A draft that can no longer be read (or
 * is not the one asked for) leaves the accounts the request listed, with the count it named.
 */
async function endedSubject(deps: WriteDeps, payload: BatchApprovalPayload): Promise<EndedSubject> {
  const draft = await deps.batches.stored(payload.batch).catch(() => undefined);
  const accids = draft?.action === payload.sanction.kind && draft.accids.length === payload.accounts ? draft.accids : payload.first;
  return {
    action: payload.sanction.kind,
    command: payload.command,
    target: { accid: payload.first[0]! },
    accounts: accids,
    counted: payload.accounts,
    batch: payload.batch,
    sanction: sanctionDetails({ ...payload.sanction, accids: [] }, undefined),
  };
}

export function batchApprovalKind(deps: WriteDeps): ApprovalKind {
  return defineApprovalKind({
    kind: 'moderation_batch',
    schema: batchApprovalPayload,
    describe: describeBatch,
    attempt: (payload) => ({ action: payload.sanction.kind, target: { accid: `batch ${payload.batch}`.slice(0, 128) } }),
    trail: (payload) => endedSubject(deps, payload),
    // The draft runs in the background: its own channel message says how it ends.
    startsRun: true,
    run: async (payload, { state, approvedBy, client, log }) => {
      const cannot = { notCarriedOut: (l: Locale) => messages(l).moderation.batch.cannotContinue };
      const draft = await deps.batches.stored(payload.batch);
      // Only the draft the request named, as it was asked: by its requester, this action, this many accounts.
      const same =
        draft?.state === 'draft' &&
        draft.actor === state.requester &&
        draft.action === payload.sanction.kind &&
        draft.accids.length === payload.accounts;
      if (!same) return cannot;
      const started = await deps.batches.confirm(payload.batch, state.requester, { approvedBy });
      if (!started) return cannot;
      log.info({ approval: state.id, batch: payload.batch, accounts: payload.accounts, approvedBy }, 'batch: approved and started');
      const text = messages(payload.locale).moderation.batch.approvedStarted(actorMention(approvedBy), payload.accounts);
      await tellPerson(
        client,
        { userId: state.requester, channelId: payload.channel, locale: payload.locale },
        () => ({
          text,
          blocks: [section(text)],
        }),
        log,
      );
      return undefined;
    },
  });
}
