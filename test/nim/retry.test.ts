import { describe, expect, it } from 'vitest';
import { backoffDelayMs, defaultRetryPolicy, rapidRetryPolicy } from '../../src/nim/retry.js';

describe('full-jitter backoff', () => {
  it('draws from zero up to a cap that doubles per retry', () => {
    expect(backoffDelayMs(defaultRetryPolicy, 1, () => 0)).toBe(0);
    expect(backoffDelayMs(defaultRetryPolicy, 1, () => 0.999)).toBe(249);
    expect(backoffDelayMs(defaultRetryPolicy, 2, () => 0.999)).toBe(499);
    expect(backoffDelayMs(defaultRetryPolicy, 3, () => 0.5)).toBe(500);
  });

  it('never exceeds the policy maximum', () => {
    expect(backoffDelayMs(defaultRetryPolicy, 20, () => 0.999)).toBeLessThan(defaultRetryPolicy.maxDelayMs);
    expect(backoffDelayMs(rapidRetryPolicy, 5, () => 0.999)).toBeLessThan(5);
  });

  it('allows at most 3 attempts by default', () => {
    expect(defaultRetryPolicy.maxAttempts).toBe(3);
  });
});
