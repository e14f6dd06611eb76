import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ChainHeadPublisher } from './chain-head.js';
import { checkPostedHead } from './head-check.js';
import { LookupRetention } from './lookup-retention.js';
import type { AppLogger } from '../logger.js';
import {
  AuditOutbox,
  readBackVerifier,
  type AuditLogger,
  type AuditPost,
  type AuditRecovery,
  type AuditStore,
  type AuditTrail,
  type CardReader,
  type FindPostedEntries,
} from './index.js';
import { createAuditStore, type AuditStoreSettings } from './store/create-store.js';
import type { ChainHead } from './store/contract.js';

/** Where the audit trail goes (config.ts: AUDIT_DATABASE_URL or AUDIT_LOG, AUDIT_CHANNEL). */
export type AuditSettings = AuditStoreSettings & {
  /** The audit channel (AUDIT_CHANNEL); without one, entries are only stored. */
  channel?: string;
  /** Delay before the first retry of a failed post, in ms. @default 1000 */
  retryBaseDelayMs?: number;
  /** Longest delay between retries, in ms. @default 300000 */
  retryMaxDelayMs?: number;
  /** How often the outbox looks for what other processes left, in ms. @default 5000 */
  pollMs?: number;
  /** An intent's lease (renewed while NetEase is in flight), in ms. @default 30000 */
  leaseMs?: number;
  /** A store built elsewhere (tests), instead of the one the settings name. */
  store?: AuditStore;
  /** AUDIT_ACCEPT_HEAD: a trail shorter than the head last posted is accepted when its head is this one. */
  acceptHead?: ChainHead;
  /** AUDIT_LOOKUP_RETENTION_DAYS: lookups older than this are pruned at start and daily. @default 90 */
  lookupRetentionDays?: number;
};

export type AuditWiring = {
  trail: AuditTrail;
  /**
   * Call before taking requests: opens the store (SQLite: takes the database for this process; either: its migrations), settles updates that
   * dead processes left in the middle (read back), posts what is unposted, and posts the chain head.
   */
  start(): Promise<AuditRecovery>;
  /**
   * The drain's last try (src/lifecycle/drain.ts): posts what is not posted yet, a retry waiting out its delay
   * included, until everything is posted or `deadline` settles. Resolves with the entries still unposted.
   */
  lastTry(deadline: Promise<unknown>): Promise<number>;
  /** Stops posting (what is left is posted by a later round of any process) and closes the store. */
  close(): Promise<void>;
  /** Set at start when the trail holds fewer records than the head last posted (head-check.ts); for /readyz. */
  headProblem(): string | undefined;
};

/**
 * The audit trail and its lifecycle: the store, the outbox that posts each finished entry (to the audit channel:
 * `post`, given by the Slack side) and settles abandoned intents by reading cards back with NetEase, the daily lookup
 * retention and the chain-head publisher. Slack-free: what to post where is the caller's.
 */
export function createAuditWiring(options: {
  settings: AuditSettings;
  nim: CardReader;
  logger: AuditLogger & Pick<AppLogger, 'warn' | 'info'>;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
  /** Posts a finished entry (the audit channel). Without it, entries are only stored. */
  post?: AuditPost;
  /** Finds entries a dead process may have posted, before they are posted again. */
  findPosted?: FindPostedEntries;
  /** Posts the chain head (at start, after entries, daily). */
  postHead?: (head: ChainHead) => Promise<void>;
  /** Posts a warning about the trail itself (records cut from its end) to the audit channel. */
  postAlert?: (text: string) => Promise<void>;
  /** Told after each update's outcome is stored (AuditTrail.onSettled). */
  onSettled?: AuditTrail['onSettled'];
}): AuditWiring {
  const now = options.now ?? Date.now;
  const { settings, logger } = options;
  const store = settings.store ?? createAuditStore(settings, logger);
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const { post, postHead } = options;
  const outbox = new AuditOutbox({
    store,
    owner,
    ...(post ? { post } : {}),
    ...(options.findPosted ? { findPosted: options.findPosted } : {}),
    // A dead poster's claims run out on the scale of its leases (AUDIT_LEASE_SECONDS): twice, for a round of 20 posts.
    ...(settings.leaseMs === undefined ? {} : { claimMs: 2 * settings.leaseMs }),
    verify: readBackVerifier(options.nim),
    now,
    logger,
    ...(settings.retryBaseDelayMs === undefined ? {} : { retryBaseDelayMs: settings.retryBaseDelayMs }),
    ...(settings.retryMaxDelayMs === undefined ? {} : { retryMaxDelayMs: settings.retryMaxDelayMs }),
    ...(settings.pollMs === undefined ? {} : { pollMs: settings.pollMs }),
    // The head follows the entries into the channel, so cutting the newest records shows (at most once a minute).
    onPosted: () => heads.afterPosting(),
  });
  const heads = new ChainHeadPublisher({
    store,
    logger,
    now,
    ...(postHead ? { post: postHead } : {}),
  });
  let headProblem: string | undefined;
  const retention = new LookupRetention({ store, days: settings.lookupRetentionDays ?? 90, now, logger });
  return {
    trail: {
      store,
      outbox,
      owner,
      now,
      logger,
      ...(settings.leaseMs === undefined ? {} : { leaseMs: settings.leaseMs }),
      ...(options.onSettled ? { onSettled: options.onSettled } : {}),
    },
    async start() {
      await store.open();
      headProblem = await checkPostedHead(store, settings.acceptHead);
      if (headProblem) {
        logger.error({ store: store.location }, headProblem);
        await options.postAlert?.(headProblem).catch((error: unknown) => {
          logger.warn({ err: error }, 'audit channel: the warning about the cut trail could not be posted');
        });
      }
      await retention.start();
      const recovery = await outbox.start();
      await heads.start();
      return recovery;
    },
    headProblem: () => headProblem,
    async lastTry(deadline) {
      await outbox.retryNow();
      await Promise.race([outbox.whenIdle(), deadline]);
      return outbox.pending();
    },
    async close() {
      heads.close();
      retention.close();
      await outbox.close();
      await store.close();
    },
  };
}
