import type { webApi } from '@slack/bolt';
import type { AuditPost, FindPostedEntries } from '../../audit/index.js';
import type { AuditStore, ChainHead } from '../../audit/store/contract.js';
import { auditMetadata, type FindTagged } from '../interaction/tagged-messages.js';
import type { UsergroupHandles } from '../ui/usergroups.js';
import { escapeMrkdwn } from '../ui/mrkdwn.js';
import { renderChainHead } from './chain-head.js';
import { renderAuditEntry } from './entry.js';

/**
 * The audit trail's Slack face: each finished entry (renderAuditEntry, in English: the channel is shared) and the
 * chain head, posted to the audit channel with chat.postMessage. Without a channel there is nothing to post. Each
 * entry's message carries its id (message metadata), so an entry a dead process posted is found (`findPosted`).
 */
export function auditChannelPosts(
  client: webApi.WebClient,
  channel: string | undefined,
  /** Names the user groups a refusal mentions (`@im-writers`). @default named by id */
  usergroupHandles?: (ids: readonly string[]) => Promise<UsergroupHandles>,
  /** Reads the channel's history for tagged messages (taggedMessageFinder). */
  find?: FindTagged,
): {
  post?: AuditPost;
  findPosted?: FindPostedEntries;
  postHead?: (head: ChainHead) => Promise<void>;
  postAlert?: (text: string) => Promise<void>;
} {
  if (!channel) return {};
  return {
    ...(find ? { findPosted: (ids: readonly string[], since: number) => find('im_admin_audit_entry', ids, since) } : {}),
    post: async (entry, repeat) => {
      const groups = entry.kind === 'refusal' && 'usergroups' in entry.refusal.refusal ? entry.refusal.refusal.usergroups : [];
      const handles = groups.length > 0 && usergroupHandles ? await usergroupHandles(groups) : undefined;
      if (repeat) {
        // An identical refusal within a minute: the first one's message says how many it now stands for.
        const folded = renderAuditEntry(entry, 'en', handles, undefined, repeat.count);
        await client.chat.update({ channel: repeat.of.channel, ts: repeat.of.ts, ...folded });
        return repeat.of;
      }
      const message = renderAuditEntry(entry, 'en', handles);
      const metadata = auditMetadata('im_admin_audit_entry', entry.kind === 'refusal' ? entry.refusal.id : entry.intent.id);
      const sent = await client.chat.postMessage({ channel, ...message, metadata, unfurl_links: false, unfurl_media: false });
      return sent.ts ? { channel: sent.channel ?? channel, ts: sent.ts } : undefined;
    },
    postHead: async (head) => void (await client.chat.postMessage({ channel, ...renderChainHead(head) })),
    // The app's own words about the trail (counts, hashes, the store's location), escaped all the same.
    postAlert: async (text) => void (await client.chat.postMessage({ channel, text: `:warning: ${escapeMrkdwn(text)}` })),
  };
}

/**
 * Marks an entry's audit channel message "undone by" once its undo is in place: the message is rendered again from the
 * store with the undo's note in place of the Undo button. An entry never posted (no channel, or not yet) is left.
 */
export function markUndoneInChannel(store: Pick<AuditStore, 'entry'>) {
  return async (client: webApi.WebClient, originalId: string, undoId: string): Promise<void> => {
    const [original, undo] = await Promise.all([store.entry(originalId), store.entry(undoId)]);
    if (original?.kind !== 'update' || !original.outcome || !original.posted || undo?.kind !== 'update') return;
    const message = renderAuditEntry({ kind: 'update', intent: original.intent, outcome: original.outcome }, 'en', undefined, undo.intent);
    await client.chat.update({ channel: original.posted.channel, ts: original.posted.ts, ...message });
  };
}
