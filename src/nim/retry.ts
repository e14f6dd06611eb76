/**
 * Named retry policies for reads (writes are never repeated: see call.ts). Full-jitter exponential backoff, as in
 * the AWS architecture blog's "Exponential Backoff and Jitter" and @slack/web-api's retry policies.
 */
export type RetryPolicy = {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff cap before jitter for the first retry, in ms; doubles each retry. */
  baseDelayMs: number;
  /** The largest backoff, in ms. */
  maxDelayMs: number;
};

/** Production: 3 attempts, waits drawn from 0–250 ms then 0–500 ms. */
export const defaultRetryPolicy: RetryPolicy = Object.freeze({ maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 4000 });

/** For tests: 3 attempts with waits under 5 ms. */
export const rapidRetryPolicy: RetryPolicy = Object.freeze({ maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 5 });

/** No retries at all. */
export const noRetryPolicy: RetryPolicy = Object.freeze({ maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 });

/**
 * Full jitter: a uniform draw from [0, min(maxDelayMs, baseDelayMs × 2^(retry − 1))], where `retry` is 1 for the
 * wait before the second attempt.
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * cap);
}
