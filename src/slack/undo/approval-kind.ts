import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import { trailActionSchema, type IntentRecord } from '../../audit/records.js';
import { prepareUndo } from '../../undo/prepare.js';
import { protectedUndoTarget } from '../../undo/protected.js';
import { recheckSealedUndo, sealedUndoSchema, type MovedValue, type SealedUndo } from '../../undo/sealed-undo.js';
import { messages, type Locale } from '../i18n/catalog.js';
import { defineApprovalKind, type ApprovalKind } from '../interaction/approval-kind.js';
import { tellPerson } from '../interaction/modal-reply.js';
import type { ApprovalDescription } from '../ui/approval-message.js';
import { isPersonalKey, keyLabel, sharedValueText } from '../ui/account-values.js';
import { actionLabel, auditTime } from '../ui/audit-labels.js';
import { actorMention, code, context, section } from '../ui/text.js';
import { carryOutUndo, type UndoDeps } from './carry-out.js';
import { preparationNotice } from './notices.js';

/** Each value the undo is about that moved: as it was at the request → as it is now. */
function movedText(locale: Locale, moved: readonly MovedValue[]): string {
  const m = messages(locale);
  const values = moved.map(
    (value) => `${keyLabel(m, value.key)}: ${sharedValueText(m, value.key, value.seen)} → ${sharedValueText(m, value.key, value.now)}`,
  );
  return m.undo.movedSince(values.join(', '));
}

/** How an approved undo is named in the audit trail (the intent's command). */
export const UNDO_APPROVAL_COMMAND = 'undo approval';

/**
 * An undo as a kind of approval request: the undo exactly as the requester confirmed it (what it sets, the account as
 * they saw it), which change it reverses, and where to tell them. At the approval the account is read again: if
 * anything the undo is about moved since the request, nothing is sent and both people are told.
 */
export const undoApprovalPayload = z.object({
  kind: z.literal('undo'),
  locale: z.enum(['en', 'zh-CN']),
  /** The channel the requester clicked Undo in (they are told there, ephemeral, else by DM). */
  channel: z.string().max(32).optional(),
  undo: sealedUndoSchema,
  /** The change undone, as the request shows it. */
  original: z.object({ action: trailActionSchema, actor: z.string().min(1).max(64), at: z.string().max(40) }),
});
export type UndoApprovalPayload = z.infer<typeof undoApprovalPayload>;

export function undoApprovalPayloadOf(input: {
  locale: Locale;
  channel?: string | undefined;
  undo: SealedUndo;
  original: IntentRecord;
}): UndoApprovalPayload {
  const { action, actor, at } = input.original;
  return {
    kind: 'undo',
    locale: input.locale,
    ...(input.channel ? { channel: input.channel } : {}),
    undo: input.undo,
    original: { action, actor, at },
  };
}

/** Which change, exactly what will be set (as the requester saw it → as it will be), and for a re-mute how long. */
export function describeUndo(payload: UndoApprovalPayload, locale: Locale): ApprovalDescription {
  const m = messages(locale);
  const u = m.undo;
  const { undo, original } = payload;
  const target = undo.target.serverId ? `${code(undo.target.accid, 64)} (${code(undo.target.serverId, 32)})` : code(undo.target.accid, 64);
  const line = u.intro(actionLabel(m, original.action), target, actorMention(original.actor), auditTime(original.at));
  const sets = Object.entries(undo.send).map(([key, value]) =>
    u.setLine(keyLabel(m, key), sharedValueText(m, key, undo.seen[key] ?? ''), sharedValueText(m, key, value)),
  );
  const blocks: KnownBlock[] = [section(line), section([u.willSet, ...sets].join('\n'))];
  if (undo.action === 'mute') {
    const minutes = undo.muteForMs ? Math.round(undo.muteForMs / 60_000) : undefined;
    blocks.push(context(minutes ? u.remuteFor(minutes) : u.remuteForever));
  }
  // The channel is seen by many: email, mobile and birthday masked, as in its audit entries.
  if (Object.keys(undo.send).some(isPersonalKey)) blocks.push(context(m.common.maskedNote));
  return { line, blocks };
}

/**
 * Approved: the "changed since" check runs again against the request (prepareUndo, then recheckSealedUndo); only if
 * the account is as the requester saw it is the sealed undo sent, once (the request's id is the undo's entry id),
 * recorded with both people, and the requester is told; otherwise nothing is sent and the approval feature tells both
 * people why (NotCarriedOut).
 */
export function undoApprovalKind(deps: UndoDeps): ApprovalKind {
  return defineApprovalKind({
    kind: 'undo',
    schema: undoApprovalPayload,
    describe: describeUndo,
    attempt: ({ undo }) => ({ action: undo.action, target: undo.target }),
    command: () => UNDO_APPROVAL_COMMAND,
    run: async (payload, { state, approvedBy, client, log }) => {
      const { locale } = payload;
      // IM_PROTECTED_ACCIDS may have grown since the request: a re-mute or re-block of one is never sent.
      const protectedAccid = protectedUndoTarget(payload.undo, deps.access.protectedAccids);
      if (protectedAccid !== undefined) {
        log.info({ approval: state.id }, 'undo approval: it would mute or block a protected account; nothing sent');
        return { notCarriedOut: (l: Locale) => messages(l).undo.protectedNow(code(protectedAccid, 64)) };
      }
      const prep = await prepareUndo(deps.trail.store, deps.nim, payload.undo.entryId, state.id);
      const check = recheckSealedUndo(payload.undo, prep);
      if (check.kind === 'moved') {
        log.info(
          { approval: state.id, moved: check.moved.map((value) => value.key) },
          'undo approval: changed since the request; nothing sent',
        );
        return { notCarriedOut: (l: Locale) => movedText(l, check.moved) };
      }
      if (check.kind === 'gone') {
        log.info({ approval: state.id, prep: check.prep.kind }, 'undo approval: no longer the same undo; nothing sent');
        const gone = check.prep;
        return {
          notCarriedOut: (l: Locale) => (gone.kind === 'checked' ? movedText(l, []) : preparationNotice(l, gone).text),
        };
      }
      const told = await carryOutUndo(deps, {
        ...check,
        actor: state.requester,
        approvedBy,
        command: UNDO_APPROVAL_COMMAND,
        id: state.id,
        locale,
        client,
        log,
      });
      await tellPerson(client, { userId: state.requester, channelId: payload.channel, locale }, () => told, log);
    },
  });
}
