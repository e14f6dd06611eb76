import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { PostedMessage } from '../../audit/store/contract.js';

/**
 * The app's messages in the audit channel carry Slack message metadata naming what they stand for: an audit entry
 * (`im_admin_audit_entry`) or a long run, a batch or a rollback (`im_admin_run`), by its id. A process that died
 * between its chat.postMessage and saving where the message is leaves that message behind; whoever takes the work
 * over reads the channel's recent history (conversations.history with `include_all_metadata`) for the id and adopts
 * the message instead of posting a second one. The channel is the only source of truth for "was it posted".
 */

export type TaggedKind = 'im_admin_audit_entry' | 'im_admin_run';

/** What chat.postMessage carries so that the message can be found again by id. */
export function auditMetadata(kind: TaggedKind, id: string): { event_type: TaggedKind; event_payload: { id: string } } {
  return { event_type: kind, event_payload: { id } };
}

/**
 * Looks for the messages of `ids` posted since `since` (epoch ms). Never throws: what cannot be read is not found,
 * so the caller posts again (at least once, never lost).
 */
export type FindTagged = (kind: TaggedKind, ids: readonly string[], since: number) => Promise<Map<string, PostedMessage>>;

export type TaggedFinderOptions = {
  /** Looked back before the attempt's time, for the clocks of this host and Slack's to differ, in ms. @default 120000 */
  marginMs?: number;
  /** Pages of history read at most per look (a busy channel's last minutes). @default 5 */
  pages?: number;
  /** Messages per page (Slack recommends at most 200). @default 200 */
  pageSize?: number;
};

const historyPage = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() }).optional(),
      }),
    )
    .default([]),
  has_more: z.boolean().optional(),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

export function taggedMessageFinder(
  client: webApi.WebClient,
  channel: string | undefined,
  log: { warn(details: Record<string, unknown>, message: string): void },
  options: TaggedFinderOptions = {},
): FindTagged {
  const { marginMs = 120_000, pages = 5, pageSize = 200 } = options;
  let warnedScope = false;
  return async (kind, ids, since) => {
    const wanted = new Set(ids);
    const found = new Map<string, PostedMessage>();
    if (!channel || wanted.size === 0) return found;
    const oldest = (Math.max(0, since - marginMs) / 1000).toFixed(6);
    let cursor: string | undefined;
    try {
      for (let page = 0; page < pages; page += 1) {
        const answer = historyPage.parse(
          await client.conversations.history({
            channel,
            oldest,
            limit: pageSize,
            include_all_metadata: true,
            ...(cursor ? { cursor } : {}),
          }),
        );
        for (const message of answer.messages) {
          const id = message.metadata?.event_type === kind ? message.metadata.event_payload?.id : undefined;
          if (typeof id === 'string' && wanted.has(id) && !found.has(id)) found.set(id, { channel, ts: message.ts });
        }
        cursor = answer.response_metadata?.next_cursor;
        if (found.size === wanted.size || !answer.has_more || !cursor) return found;
      }
      log.warn({ kind, pages, oldest }, 'audit channel: history not read to the end of the window; what was not found is posted again');
    } catch (error) {
      const data = (error as { data?: { error?: string; needed?: string } }).data;
      if (data?.error !== 'missing_scope') {
        log.warn({ kind, err: error }, 'audit channel: its history could not be read; what may have been posted is posted again');
      } else if (!warnedScope) {
        warnedScope = true;
        // Once per process: without the scope every takeover posts again, as before the look existed.
        log.warn(
          { kind, needed: data.needed ?? 'channels:history' },
          `audit channel: the app lacks the ${data.needed ?? 'channels:history'} scope (groups:history for a private channel), so a message a dead process posted cannot be found: it may be posted twice. Reinstall the app with the scope`,
        );
      }
    }
    return found;
  };
}
