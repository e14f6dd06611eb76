import { accidKey } from '../../nim/accid.js';
import type { BatchStatus } from './progress.js';

/** Statuses that end an account's part in a batch: continuing never touches it again. */
const FINISHED: ReadonlySet<BatchStatus> = new Set(['done', 'already', 'not_found']);

/**
 * What a Continue acts on after a stop or a process death: every account of the batch that has not finished, in the
 * batch's order. An account whose call may have gone out (unknown, or an intent the dead process never settled) is
 * included: the run reads it fresh first, and one already in place is reported as already so, not sent again.
 */
export function remainingAccounts(accids: readonly string[], settled: ReadonlyMap<string, BatchStatus>): string[] {
  return accids.filter((accid) => {
    const status = settled.get(accidKey(accid));
    return status === undefined || !FINISHED.has(status);
  });
}
