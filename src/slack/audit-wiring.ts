import type { webApi } from '@slack/bolt';
import {
  AuditLog,
  AuditOutbox,
  readBackVerifier,
  type AuditLogger,
  type AuditPost,
  type AuditRecovery,
  type AuditTrail,
  type CardReader,
} from '../audit/index.js';
import { renderAuditEntry } from './blocks/audit-entry.js';

/** Where the audit trail goes (config.ts: AUDIT_LOG, AUDIT_CHANNEL). */
export type AuditSettings = {
  /** The JSONL log (AUDIT_LOG). */
  logPath: string;
  /** The audit channel (AUDIT_CHANNEL); without one, entries are only logged. */
  channel?: string;
  /** Delay before the first retry of a failed post, in ms. @default 1000 */
  retryBaseDelayMs?: number;
  /** Longest delay between retries, in ms. @default 300000 */
  retryMaxDelayMs?: number;
};

export type AuditWiring = {
  trail: AuditTrail;
  /**
   * Call before taking requests: queues what was not posted before a restart, and posts "outcome unknown" (with a
   * read-back of the card) for every update the process died in the middle of.
   */
  start(): Promise<AuditRecovery>;
  /**
   * The drain's last try (src/lifecycle/drain.ts): posts what is not posted yet, a retry waiting out its delay
   * included, until everything is posted or `deadline` settles. Resolves with the entries still unposted.
   */
  lastTry(deadline: Promise<unknown>): Promise<number>;
  /** Stops posting (what is left is posted after the next start) and closes the log. */
  close(): Promise<void>;
};

/**
 * The audit trail of the Slack app: the log on disk, and the outbox that posts each finished entry to the audit
 * channel with chat.postMessage (renderAuditEntry) and, after a crash, reads cards back with NetEase.
 */
export function createAuditWiring(options: {
  settings: AuditSettings;
  client: webApi.WebClient;
  nim: CardReader;
  logger: AuditLogger;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
}): AuditWiring {
  const now = options.now ?? Date.now;
  const { settings, client } = options;
  const log = new AuditLog(settings.logPath, options.logger);
  const channel = settings.channel;
  const post: AuditPost | undefined = channel
    ? async (entry) => {
        await client.chat.postMessage({ channel, ...renderAuditEntry(entry), unfurl_links: false, unfurl_media: false });
      }
    : undefined;
  const outbox = new AuditOutbox({
    log,
    ...(post ? { post } : {}),
    verify: readBackVerifier(options.nim),
    now,
    logger: options.logger,
    ...(settings.retryBaseDelayMs === undefined ? {} : { retryBaseDelayMs: settings.retryBaseDelayMs }),
    ...(settings.retryMaxDelayMs === undefined ? {} : { retryMaxDelayMs: settings.retryMaxDelayMs }),
  });
  return {
    trail: { log, outbox, now, logger: options.logger },
    start: () => outbox.start(),
    async lastTry(deadline) {
      outbox.retryNow();
      await Promise.race([outbox.whenIdle(), deadline]);
      return outbox.pending();
    },
    async close() {
      await outbox.close();
      await log.close();
    },
  };
}
