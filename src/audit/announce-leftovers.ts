import type { AuditLogger } from './audit-logger.js';
import { type AnnouncedRun, type RunAnnouncer, withAnnouncing } from './run-announcer.js';

/**
 * The audit channel's part of a long run that ended before Slack took all of it (its record marked `announcing`):
 * any process's sweep claims the run (its lease, so one process at a time), posts what is missing — the message, the
 * replies left, the last update — and clears the mark; when Slack fails again, the run's lease is set to the next try,
 * the wait doubling per try, and after `maxTries` the sweep gives up and says so in the log. A finished run's message
 * that the process never got to post is posted this way too, after a restart.
 */

type OwedRun = AnnouncedRun & { state: string; runs: number; leaseUntil: number; announcing?: { tries: number } };

export type LeftoverOptions<R extends OwedRun, S> = {
  claim: (options: { now: number; leaseMs: number; limit: number }) => Promise<R[]>;
  /** The run as stored now: a Continue meanwhile makes the sweep leave it to the new run. */
  read: (id: string) => Promise<R | undefined>;
  save: (run: R) => Promise<void>;
  /** A fresh announcer for one run. */
  announcer: () => RunAnnouncer<R, S>;
  now: () => number;
  logger: AuditLogger;
  noun: string;
  /** @default 10 */
  maxTries?: number;
  /** Wait after the first failed try, in ms; doubles per try. @default 10000 */
  retryBaseMs?: number;
  /** @default 600000 (10 minutes) */
  retryMaxMs?: number;
};

/** How long a claimed run is this process's while it tries Slack, in ms. */
const CLAIM_MS = 60_000;

/** One sweep; resolves with how many runs the channel now has all of. Never rejects. */
export async function announceLeftovers<R extends OwedRun, S>(options: LeftoverOptions<R, S>): Promise<number> {
  const { logger, noun } = options;
  let announced = 0;
  try {
    const owed = await options.claim({ now: options.now(), leaseMs: CLAIM_MS, limit: 10 });
    for (const run of owed) if (await announceOne(options, run)) announced += 1;
  } catch (error) {
    logger.warn({ err: error }, `audit channel: could not look for ${noun}s whose message is owed; will try again`);
  }
  return announced;
}

async function announceOne<R extends OwedRun, S>(options: LeftoverOptions<R, S>, run: R): Promise<boolean> {
  const { logger, noun } = options;
  const announcer = options.announcer();
  const sent = await announcer.progress(run, true);
  const complete = announcer.complete(sent);
  const tries = (run.announcing?.tries ?? 0) + 1;
  const maxTries = options.maxTries ?? 10;
  let next: R;
  if (complete) next = withAnnouncing(sent, true);
  else if (tries >= maxTries) {
    logger.error({ [noun]: run.id, tries }, `audit channel: gave up posting the ${noun}'s message; its record is in the store`);
    next = withAnnouncing(sent, true);
  } else {
    const waitMs = Math.min((options.retryBaseMs ?? 10_000) * 2 ** (tries - 1), options.retryMaxMs ?? 600_000);
    next = { ...sent, announcing: { tries }, leaseUntil: options.now() + waitMs };
  }
  const current = await options.read(run.id);
  // Continued meanwhile: the new run has the record (and posts what is missing itself); saving would undo its start.
  if (!current || current.state !== run.state || current.runs !== run.runs) return complete;
  await options.save(next);
  return complete;
}
