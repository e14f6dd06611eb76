import type { AuditTrail } from '../../audit/index.js';
import type { AuditStore } from '../../audit/store/contract.js';
import type { ModerationNim } from '../execute.js';
import type { Sanction } from '../sanction.js';
import type { BatchOutcome, BatchProgress } from './progress.js';

/** What a batch run is asked to do, what it is given to do it with, and what it reports (runBatch). */

export type BatchWork = {
  /** The batch's id: every account's intent names it, and its entry id is `<id>.<position>` unless `entryId` says. */
  id: string;
  /** What to do; `accids` are the accounts of this run (all of them, or what was left when continuing). */
  sanction: Sanction;
  actor: string;
  /** Who approved it (IM_APPROVAL_FOR), recorded on every account's intent beside `actor`. */
  approvedBy?: string;
  /** How the person asked, for the audit trail. */
  command: string;
  /** The audit entry id of the account at `index` in `sanction.accids`. @default `<id>.<index + 1>` */
  entryId?: (index: number) => string;
};

export type BatchDeps = {
  trail: AuditTrail;
  nim: ModerationNim;
  now: () => number;
  /** The lift schedule (timed mutes); as in carryOut. */
  schedule?: Pick<AuditStore, 'pendingLifts' | 'finishLift'>;
  /** Stop: nothing more is sent once it aborts. */
  signal?: AbortSignal;
  /** At most one progress report per this many ms. @default 2000 */
  progressEveryMs?: number;
  onProgress?: (progress: BatchProgress) => void;
  onOutcome?: (outcome: BatchOutcome) => void;
  /** Calls in flight at once; the client's budget paces them whatever this is. @default 16 */
  concurrency?: number;
  /** Intents (and then outcomes) stored per durable write. @default 50 */
  chunkSize?: number;
};

/**
 * How a run ended: each account's outcome in the run's order, when a timed mute lifts, and the first error of a
 * group of accounts that could not be read (nothing was sent for that group; its accounts are failed).
 */
export type BatchReport = { outcomes: BatchOutcome[]; progress: BatchProgress; stopped: boolean; liftAt?: number; readError?: Error };
