import type { ModalView } from '@slack/types';
import type { ServerMemberUpdate } from '../../nim/types.js';
import { authorizeAttempt } from '../interaction/admit.js';
import { PRE_ACK_MS, within } from '../interaction/within.js';
import { sealMetadata, valueDigest, type MetadataKey } from '../interaction/sealed-metadata.js';
import { qchatNickMetadata, type QchatNickMetadata } from '../interaction/modal-metadata.js';
import { memberEditNeedsApproval } from './approval-kind.js';
import { qchatNickView } from './qchat-nick-view.js';
import type { WriteDeps } from '../interaction/deps.js';

/**
 * No lost updates for `/qchat-nick`, as for the edit card form (conflicts.ts): the form carries (sealed) a digest of the
 * member's nick as it was when the form opened; a nick someone else changed meanwhile to something else than what this
 * person typed is a conflict, and nothing is sent until they choose.
 */

type Opened = NonNullable<QchatNickMetadata['opened']>;

/** The sealed "as opened" state when it is for the member this submission updates; undefined otherwise. */
export function openedFor(meta: QchatNickMetadata, update: ServerMemberUpdate): Opened | undefined {
  const opened = meta.opened;
  return opened && opened.serverId === update.serverId && opened.accid === update.accid ? opened : undefined;
}

/** Whether the nick now (`theirs`) was changed by someone else since the form opened, to something else than `yours`. */
export function nickConflicts(key: MetadataKey, opened: Opened, yours: string, theirs: string): boolean {
  return valueDigest(key, theirs) !== opened.nick && theirs !== yours;
}

/**
 * Reads the member and, if the person may update it, compares its nick with the form as opened (before the ack, for
 * up to PRE_ACK_MS). Returns the form to show again on a conflict; undefined when there is none or the answer came too
 * late, was refused or failed (the update that follows reads again and says what happened).
 */
export async function nickConflictView(
  deps: WriteDeps,
  input: { meta: QchatNickMetadata; opened: Opened; userId: string; update: ServerMemberUpdate & { nick: string }; correlationId: string },
): Promise<ModalView | undefined> {
  const { meta, opened, update } = input;
  const read = deps.nim.getServerMember({ serverId: update.serverId, accid: update.accid }, { correlationId: input.correlationId });
  // Too late or refused: nobody awaits this read any more, so its failure must not go unhandled.
  read.catch(() => undefined);
  const auth = authorizeAttempt(deps, input.userId, { action: 'qchat_update_member' });
  const early = await within(Promise.all([auth, read]), PRE_ACK_MS).catch(() => undefined);
  if (!early || !early[0].decision.allowed || early[1].kind !== 'member') return undefined;
  const theirs = early[1].member.nick ?? '';
  if (!nickConflicts(deps.metadataKey, opened, update.nick, theirs)) return undefined;
  // Sealed as the member is now: keeping theirs sends nothing, overwriting sends yours.
  const resealed: QchatNickMetadata = { ...meta, opened: { ...opened, nick: valueDigest(deps.metadataKey, theirs) }, conflict: true };
  const privateMetadata = sealMetadata(deps.metadataKey, qchatNickMetadata.parse(resealed));
  const { serverId, accid, nick, avatar, custom } = update;
  return qchatNickView({
    prefill: { serverId, accid, nick, avatar, custom },
    locale: meta.locale,
    privateMetadata,
    conflict: { theirs, yours: nick },
    needsApproval: memberEditNeedsApproval(deps),
  });
}
