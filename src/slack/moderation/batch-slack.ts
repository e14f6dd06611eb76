import type { webApi } from '@slack/bolt';
import type { BatchRecord } from '../../audit/batch-record.js';
import type { BatchChannel } from '../../moderation/batch/announce.js';
import type { BatchEvents } from '../../moderation/batch/batch-service.js';
import type { AppLogger } from '../../logger.js';
import { localeFromSlack, messages } from '../i18n/catalog.js';
import { oneAtATime } from '../interaction/one-at-a-time.js';
import { auditMetadata, type FindTagged } from '../interaction/tagged-messages.js';
import { closeOnlyView } from '../ui/modal.js';
import { tellPerson } from '../interaction/modal-reply.js';
import { batchAuditMessage, batchEndedMessage, batchInterruptedMessage, batchProgressBlocks, batchReplyMessage } from './batch-blocks.js';

/**
 * The Slack face of batches: the audit channel's one message and its thread replies (BatchChannel), the person's
 * modal kept up to date while it runs, the notice of a batch a process death interrupted, sent to the person who
 * started it with a Continue button, and the report of a run nobody waits for, when it ends (BatchEvents). Failures
 * are logged; the batch goes on (its records are stored).
 */

/**
 * Posts to AUDIT_CHANNEL; without one, nothing is posted (the records are still in the store). The message carries
 * the batch's id, so `find` (reading the channel's history) finds it after a process death.
 */
export function slackBatchChannel(client: webApi.WebClient, channel: string | undefined, log: AppLogger, find?: FindTagged): BatchChannel {
  // Kept with the batch, so that /im-audit links each account's entry to this message without asking Slack again.
  const withPermalink = async (batch: BatchRecord, where: { channel: string; ts: string }) => {
    const link = await client.chat.getPermalink({ channel: where.channel, message_ts: where.ts }).catch((error: unknown) => {
      log.warn({ batch: batch.id, err: error }, 'audit channel: no permalink for the batch message; /im-audit names its id');
      return undefined;
    });
    return link?.permalink ? { ...where, permalink: link.permalink } : where;
  };
  return {
    post: async (batch) => {
      if (!channel) return undefined;
      const message = batchAuditMessage(batch, 'en');
      const metadata = auditMetadata('im_admin_run', batch.id);
      const posted = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, metadata, unfurl_links: false });
      return posted.ts ? withPermalink(batch, { channel: posted.channel ?? channel, ts: posted.ts }) : undefined;
    },
    ...(find && {
      find: async (batch: BatchRecord, since: number) => {
        const found = (await find('im_admin_run', [batch.id], since)).get(batch.id);
        return found && withPermalink(batch, found);
      },
    }),
    update: async (batch, message) => {
      const rendered = batchAuditMessage(batch, 'en');
      await client.chat.update({ channel: message.channel, ts: message.ts, text: rendered.text, blocks: rendered.blocks });
    },
    reply: async (batch, message, slice) => {
      const rendered = batchReplyMessage(batch, slice, 'en');
      await client.chat.postMessage({ channel: message.channel, thread_ts: message.ts, text: rendered.text, blocks: rendered.blocks });
    },
  };
}

export function slackBatchEvents(input: {
  client: webApi.WebClient;
  channel: string | undefined;
  log: AppLogger;
  now: () => number;
}): BatchEvents {
  const { client, log } = input;
  const localeOf = (batch: BatchRecord) => localeFromSlack(batch.origin.locale);
  const inOrder = oneAtATime();
  return {
    progress: (batch) => {
      const viewId = batch.origin.viewId;
      if (!viewId) return;
      const locale = localeOf(batch);
      const m = messages(locale).moderation;
      const title = batch.state === 'running' ? m.workingTitle : m.doneTitle;
      const view = closeOnlyView(locale, title, batchProgressBlocks(batch, locale, input.now()));
      inOrder(viewId, () =>
        client.views
          .update({ view_id: viewId, view })
          .catch((error: unknown) => log.warn({ batch: batch.id, err: error }, 'batch: the progress could not be shown in the modal')),
      );
    },
    // Where the person started (ephemeral in that channel, else by DM), in their language: the modal may be closed.
    ended: (batch, how) => {
      const locale = localeOf(batch);
      const place = { userId: batch.origin.user, channelId: batch.origin.channel, locale };
      void tellPerson(client, place, () => batchEndedMessage(batch, how, locale), log);
    },
    interrupted: (batch) => {
      const message = batchInterruptedMessage(batch, localeOf(batch));
      const toAuditChannel = batchInterruptedMessage(batch, 'en');
      const sends = [client.chat.postMessage({ channel: batch.origin.user, text: message.text, blocks: message.blocks })];
      if (batch.posted) {
        sends.push(
          client.chat.postMessage({
            channel: batch.posted.channel,
            thread_ts: batch.posted.ts,
            reply_broadcast: true,
            text: toAuditChannel.text,
            blocks: toAuditChannel.blocks,
          }),
        );
      } else if (input.channel) {
        sends.push(client.chat.postMessage({ channel: input.channel, text: toAuditChannel.text, blocks: toAuditChannel.blocks }));
      }
      for (const send of sends)
        send.catch((error: unknown) => log.warn({ batch: batch.id, err: error }, 'batch: the interrupted notice could not be sent'));
    },
  };
}
