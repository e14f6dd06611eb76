import type { webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import { needsApproval } from '../../approval/index.js';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import {
  userCardChangeFields,
  userCardChangesSchema,
  userCardSchema,
  type UserCard,
  type UserCardChangeField,
  type UserCardChanges,
} from '../../nim/types.js';
import { cardChangeProblems } from '../../nim/validate.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { defineApprovalKind, type ApprovalKind } from '../interaction/approval-kind.js';
import { postApprovalRequest } from '../interaction/ask-approval.js';
import type { Approvals, WriteDeps } from '../interaction/deps.js';
import { logFailure } from '../interaction/failure-log.js';
import { tellPerson } from '../interaction/modal-reply.js';
import { withApprovedBy, type ApprovalDescription } from '../ui/approval-message.js';
import { renderError } from '../ui/errors.js';
import type { SlackMessage } from '../ui/message.js';
import { code, context, section } from '../ui/text.js';
import { formValue } from './conflicts.js';
import { cardChangeLine, isPersonal } from './update-result.js';
import { EDIT_CARD_COMMAND, writeCard } from './write-card.js';

/**
 * A card edit as a kind of approval request: exactly the fields that will be sent, and those fields as the card had
 * them when the requester asked. At the approval the card is read again; a field someone changed since (to anything
 * else than what the request sets) stops it: nothing is sent, both people are told. An approval never overwrites a
 * change it did not show, and keep-or-overwrite is the requester's choice to make in a new request, over the new values.
 */
const cardChangesSchema = userCardChangesSchema.refine(
  (changes) => Object.keys(changes).length > 0 && cardChangeProblems(changes).length === 0,
  'a valid change of one field or more',
);

export const cardEditApprovalPayload = z.object({
  kind: z.literal('card_edit'),
  accid: z.string().min(1).max(128),
  changes: cardChangesSchema,
  /** The card when the request was made (only the fields that change). */
  before: userCardSchema,
  locale: z.enum(['en', 'zh-CN']),
  channel: z.string().max(32).optional(),
});
type CardEditPayload = z.infer<typeof cardEditApprovalPayload>;

export function cardEditNeedsApproval(deps: Pick<WriteDeps, 'approvals'>): boolean {
  return deps.approvals !== undefined && needsApproval(deps.approvals.policy, { kind: 'change', action: 'update_user_card', accounts: 1 });
}

const changedFieldsOf = (changes: UserCardChanges) => userCardChangeFields.filter((field) => changes[field] !== undefined);

function describe(payload: CardEditPayload, locale: Locale): ApprovalDescription {
  const m = messages(locale);
  const fields = changedFieldsOf(payload.changes);
  const line = m.approval.cardEditLine(code(payload.accid, 64), fields.map((field) => m.fields[field]).join(', '));
  // The channel is seen by many: email, mobile and birthday masked, as in its audit entries.
  const input = { before: payload.before, changes: payload.changes, reveal: false };
  const blocks: KnownBlock[] = [section(line), ...fields.map((field) => section(cardChangeLine(m, field, input)))];
  if (fields.some(isPersonal)) blocks.push(context(m.common.maskedNote));
  return { line, blocks };
}

/** The fields someone changed since the request: now neither as the request saw them nor what it sets. */
function changedSince(payload: CardEditPayload, now: UserCard): UserCardChangeField[] {
  return changedFieldsOf(payload.changes).filter((field) => {
    const current = formValue(now, field);
    return current !== formValue(payload.before, field) && current !== String(payload.changes[field]);
  });
}

export function cardEditApprovalKind(deps: WriteDeps): ApprovalKind {
  return defineApprovalKind({
    kind: 'card_edit',
    schema: cardEditApprovalPayload,
    describe,
    attempt: ({ accid }) => ({ action: 'update_user_card', target: { accid } }),
    command: () => EDIT_CARD_COMMAND,
    run: async (payload, { state, approvedBy, client, log }) => {
      const { accid, locale } = payload;
      let now: UserCard | undefined;
      try {
        now = (await deps.nim.getUinfos([accid], { correlationId: state.id })).found[0];
      } catch (error) {
        noteFailure(error);
        logFailure(log, error, { approval: state.id, accid }, 'approvals: reading the card at the approval failed; nothing sent');
        return { notCarriedOut: (l) => messages(l).approval.readFailedSince };
      }
      if (!now) return { notCarriedOut: (l) => messages(l).approval.goneSince(code(accid, 64)) };
      const moved = changedSince(payload, now);
      if (moved.length > 0) {
        log.info({ approval: state.id, accid, fields: moved }, 'approvals: the card changed since the request; nothing sent');
        return { notCarriedOut: (l) => messages(l).approval.changedSince(moved.map((field) => messages(l).fields[field]).join(', ')) };
      }
      const told = await writeCard(deps, {
        id: state.id,
        accid,
        before: now,
        changes: payload.changes,
        actor: state.requester,
        approvedBy,
        locale,
        log,
      });
      const place = { userId: state.requester, channelId: payload.channel, locale };
      await tellPerson(client, place, () => withApprovedBy(told, approvedBy, locale), log);
    },
  });
}

/** The requester's save needs a second person: the request is stored and posted; returns what to tell them. */
export async function askCardEditApproval(
  deps: WriteDeps,
  approvals: Approvals,
  input: {
    id: string;
    requester: string;
    accid: string;
    before: UserCard;
    changes: UserCardChanges;
    locale: Locale;
    channel?: string;
    client: webApi.WebClient;
    log: AppLogger;
  },
): Promise<SlackMessage> {
  const fields = changedFieldsOf(input.changes);
  const before = { accid: input.before.accid, ...Object.fromEntries(fields.map((field) => [field, input.before[field]])) };
  const payload: CardEditPayload = {
    kind: 'card_edit',
    accid: input.accid,
    changes: input.changes,
    before,
    locale: input.locale,
    ...(input.channel ? { channel: input.channel } : {}),
  };
  const request = { id: input.id, requester: input.requester, action: 'update_user_card', payload } as const;
  try {
    return await postApprovalRequest(approvals, cardEditApprovalKind(deps), {
      ...request,
      now: (deps.now ?? Date.now)(),
      client: input.client,
      log: input.log,
    });
  } catch (error) {
    noteFailure(error);
    input.log.error({ err: error }, 'approvals: the request could not be stored; nothing posted, nothing sent');
    return renderError(error, { locale: input.locale, correlationId: input.id });
  }
}
