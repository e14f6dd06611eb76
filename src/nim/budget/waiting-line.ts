import { NimRateLimitedError } from '../errors.js';

/**
 * The FIFO of callers waiting for a release, as both budgets (in-process and Redis) keep it: who may join, who gives
 * up when the budget learns the wait is longer than a caller's deadline, and what a closed budget answers. The
 * budgets differ only in when they release the head and what they hand it (`T`).
 */

export type Waiter<T> = {
  endpoint: string;
  enqueuedAt: number;
  deadline: number;
  /** True for acquireSlot(): the call counts as "may be arriving now" until its done() is called. */
  tracked: boolean;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
};

/** When the caller at `position` in the line would be released, seen at `now` (ms). */
export type ProjectSendAt = (position: number, now: number) => number;

export function budgetClosedError(): Error {
  return new Error('the NetEase rate budget is closed');
}

/**
 * Queues a caller, or refuses it at once (NimRateLimitedError) when its projected release lies more than
 * `maxWaitMs` away. `onQueued` runs right after the caller joins, to start the budget's release loop.
 */
export function joinLine<T>(
  queue: Waiter<T>[],
  caller: { endpoint: string; tracked: boolean; now: number; maxWaitMs: number },
  projectedSendAt: ProjectSendAt,
  onQueued: () => void,
): Promise<T> {
  const { endpoint, tracked, now, maxWaitMs } = caller;
  const sendAt = projectedSendAt(queue.length, now);
  if (sendAt - now > maxWaitMs) return Promise.reject(new NimRateLimitedError(endpoint, sendAt - now));
  return new Promise<T>((resolve, reject) => {
    queue.push({ endpoint, enqueuedAt: now, deadline: now + maxWaitMs, tracked, resolve, reject });
    onQueued();
  });
}

/** Rejects (NimRateLimitedError) every waiter now projected past its deadline; the rest keep their order. */
export function rejectWaitersPastDeadline<T>(queue: Waiter<T>[], now: number, projectedSendAt: ProjectSendAt): void {
  let position = 0;
  for (const waiter of [...queue]) {
    const sendAt = projectedSendAt(position, now);
    if (sendAt > waiter.deadline) {
      queue.splice(queue.indexOf(waiter), 1);
      waiter.reject(new NimRateLimitedError(waiter.endpoint, sendAt - now));
    } else {
      position += 1;
    }
  }
}
