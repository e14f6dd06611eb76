import type { webApi } from '@slack/bolt';
import type { RollbackRecord } from '../../audit/rollback-record.js';
import type { AppLogger } from '../../logger.js';
import type { RollbackChannel } from '../../undo/rollback-progress.js';
import type { RollbackEvents } from '../../undo/rollback-service.js';
import { localeFromSlack } from '../i18n/catalog.js';
import { auditMetadata, type FindTagged } from '../interaction/tagged-messages.js';
import { rollbackAuditMessage, rollbackInterruptedMessage, rollbackReplyMessage } from './channel-blocks.js';

/**
 * The Slack face of durable rollbacks: the audit channel's one message and its thread replies (RollbackChannel), and
 * the notice of a rollback a process death interrupted, to the person who ran it and in the audit channel (a reply
 * broadcast under its message, or a message of its own when none was posted), with Continue. Failures are logged.
 */

/** Posts to AUDIT_CHANNEL; without one, nothing is posted (the records are still in the store). */
export function slackRollbackChannel(client: webApi.WebClient, channel: string | undefined, find?: FindTagged): RollbackChannel {
  return {
    post: async (run) => {
      if (!channel) return undefined;
      const message = rollbackAuditMessage(run);
      const metadata = auditMetadata('im_admin_run', run.id);
      const posted = await client.chat.postMessage({ channel, ...message, metadata, unfurl_links: false, unfurl_media: false });
      return posted.ts ? { channel: posted.channel ?? channel, ts: posted.ts } : undefined;
    },
    // The message carries the rollback's id: after a process death it is found in the channel's history.
    ...(find && { find: async (run: RollbackRecord, since: number) => (await find('im_admin_run', [run.id], since)).get(run.id) }),
    update: async (run, message) => {
      await client.chat.update({ channel: message.channel, ts: message.ts, ...rollbackAuditMessage(run) });
    },
    reply: async (run, message, slice) => {
      await client.chat.postMessage({ channel: message.channel, thread_ts: message.ts, ...rollbackReplyMessage(run, slice) });
    },
  };
}

export function slackRollbackEvents(input: { client: webApi.WebClient; channel: string | undefined; log: AppLogger }): RollbackEvents {
  const { client, log } = input;
  return {
    interrupted: (run) => {
      const toPerson = rollbackInterruptedMessage(run, localeFromSlack(run.origin.locale));
      const toChannel = rollbackInterruptedMessage(run, 'en');
      const sends: Promise<unknown>[] = [client.chat.postMessage({ channel: run.origin.user, ...toPerson })];
      if (run.posted) {
        const { channel, ts } = run.posted;
        sends.push(client.chat.update({ channel, ts, ...rollbackAuditMessage(run) }));
        sends.push(client.chat.postMessage({ channel, thread_ts: ts, reply_broadcast: true, ...toChannel }));
      } else if (input.channel) {
        sends.push(client.chat.postMessage({ channel: input.channel, ...toChannel }));
      }
      for (const send of sends)
        send.catch((error: unknown) => log.warn({ rollback: run.id, err: error }, 'rollback: the interrupted notice could not be sent'));
    },
  };
}
