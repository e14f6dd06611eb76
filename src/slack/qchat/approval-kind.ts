import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { needsApproval } from '../../approval/index.js';
import type { AppLogger } from '../../logger.js';
import { noteFailure } from '../../metrics/outcome.js';
import type { ServerMember, ServerMemberUpdate } from '../../nim/types.js';
import { serverMemberProblems } from '../../nim/validate.js';
import { messages, type Locale, type Messages } from '../i18n/catalog.js';
import { defineApprovalKind, type ApprovalKind } from '../interaction/approval-kind.js';
import { postApprovalRequest } from '../interaction/ask-approval.js';
import type { Approvals, WriteDeps } from '../interaction/deps.js';
import { logFailure } from '../interaction/failure-log.js';
import { tellPerson } from '../interaction/modal-reply.js';
import { withApprovedBy, type ApprovalDescription } from '../ui/approval-message.js';
import { renderError } from '../ui/errors.js';
import type { SlackMessage } from '../ui/message.js';
import { code, section } from '../ui/text.js';
import { memberChangeSection } from './server-member.js';
import { writeMember } from './write-member.js';

/**
 * A QChat member card update as a kind of approval request: exactly what will be set, and those fields as the member
 * had them when the requester asked. At the approval the member is read again; a field someone changed since (to
 * anything else than what the request sets) stops it: nothing is sent, both people are told.
 */
const FIELDS = ['nick', 'avatar', 'custom'] as const;
const text = z.string().max(5000).optional();

export const memberEditApprovalPayload = z.object({
  kind: z.literal('qchat_member'),
  update: z
    .object({ serverId: z.string().min(1).max(32), accid: z.string().min(1).max(128), nick: text, avatar: text, custom: text })
    .strict()
    .refine((update) => serverMemberProblems(update).length === 0 && FIELDS.some((field) => update[field] !== undefined), 'a valid update'),
  /** The member when the request was made (the fields that change); absent when it could not be read then. */
  before: z.object({ nick: text, avatar: text, custom: text }).optional(),
  command: z.string().max(200),
  locale: z.enum(['en', 'zh-CN']),
  channel: z.string().max(32).optional(),
});
type MemberEditPayload = z.infer<typeof memberEditApprovalPayload>;

export function memberEditNeedsApproval(deps: Pick<WriteDeps, 'approvals'>): boolean {
  return (
    deps.approvals !== undefined && needsApproval(deps.approvals.policy, { kind: 'change', action: 'qchat_update_member', accounts: 1 })
  );
}

const setFields = (update: ServerMemberUpdate) => FIELDS.filter((field) => update[field] !== undefined);
const label = (m: Messages, field: (typeof FIELDS)[number]) => m.fields[field];

function describe(payload: MemberEditPayload, locale: Locale): ApprovalDescription {
  const m = messages(locale);
  const { update } = payload;
  const fields = setFields(update)
    .map((field) => label(m, field))
    .join(', ');
  const line = m.approval.qchatLine(code(update.accid, 64), code(update.serverId, 40), fields);
  const before = payload.before ? ({ serverId: update.serverId, accid: update.accid, ...payload.before } as ServerMember) : undefined;
  const set = Object.fromEntries(setFields(update).map((field) => [field, update[field]]));
  return { line, blocks: [section(line), memberChangeSection(m, { before, set })] };
}

/** The fields someone changed since the request: now neither as the request saw them nor what it sets. */
function changedSince(payload: MemberEditPayload, now: ServerMember) {
  const seen = payload.before;
  if (!seen) return [];
  return setFields(payload.update).filter((field) => (now[field] ?? '') !== (seen[field] ?? '') && now[field] !== payload.update[field]);
}

export function memberEditApprovalKind(deps: WriteDeps): ApprovalKind {
  return defineApprovalKind({
    kind: 'qchat_member',
    schema: memberEditApprovalPayload,
    describe,
    attempt: ({ update }) => ({ action: 'qchat_update_member', target: { accid: update.accid, serverId: update.serverId } }),
    command: (payload) => payload.command,
    run: async (payload, { state, approvedBy, client, log }) => {
      const { update, locale } = payload;
      let read;
      try {
        read = await deps.nim.getServerMember({ serverId: update.serverId, accid: update.accid }, { correlationId: state.id });
      } catch (error) {
        noteFailure(error);
        logFailure(log, error, { approval: state.id, accid: update.accid }, 'approvals: reading the member at the approval failed');
        return { notCarriedOut: (l) => messages(l).approval.readFailedSince };
      }
      if (read.kind === 'not_member') return { notCarriedOut: (l) => messages(l).approval.goneSince(code(update.accid, 64)) };
      const now = read.kind === 'member' ? read.member : undefined;
      const moved = now ? changedSince(payload, now) : [];
      if (moved.length > 0) {
        log.info(
          { approval: state.id, accid: update.accid, fields: moved },
          'approvals: the member changed since the request; nothing sent',
        );
        return { notCarriedOut: (l) => messages(l).approval.changedSince(moved.map((field) => label(messages(l), field)).join(', ')) };
      }
      const write = { id: state.id, update, before: now, actor: state.requester, approvedBy, command: payload.command, locale, log };
      const render = await writeMember(deps, write);
      const place = { userId: state.requester, channelId: payload.channel, locale };
      await tellPerson(client, place, (withImages) => withApprovedBy(render(withImages), approvedBy, locale), log);
    },
  });
}

/** The requester's update needs a second person: the request is stored and posted; returns what to tell them. */
export async function askMemberEditApproval(
  deps: WriteDeps,
  approvals: Approvals,
  input: {
    id: string;
    requester: string;
    update: ServerMemberUpdate;
    before: ServerMember | undefined;
    command: string;
    locale: Locale;
    channel?: string;
    client: webApi.WebClient;
    log: AppLogger;
  },
): Promise<SlackMessage> {
  const { update, before } = input;
  const payload: MemberEditPayload = {
    kind: 'qchat_member',
    update: { ...update },
    ...(before ? { before: Object.fromEntries(setFields(update).map((field) => [field, before[field]])) } : {}),
    command: input.command,
    locale: input.locale,
    ...(input.channel ? { channel: input.channel } : {}),
  };
  const request = { id: input.id, requester: input.requester, action: 'qchat_update_member', payload } as const;
  try {
    const now = (deps.now ?? Date.now)();
    return await postApprovalRequest(approvals, memberEditApprovalKind(deps), { ...request, now, client: input.client, log: input.log });
  } catch (error) {
    noteFailure(error);
    input.log.error({ err: error }, 'approvals: the request could not be stored; nothing posted, nothing sent');
    return renderError(error, { locale: input.locale, correlationId: input.id });
  }
}
