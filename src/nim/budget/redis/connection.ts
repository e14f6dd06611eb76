import type { Redis } from 'ioredis';
import type { Scheduler } from '../local.js';

/** Redis did not answer (refused, timed out, dropped): nothing was granted. The fail-over budget catches this. */
export class RedisBudgetUnavailableError extends Error {
  constructor(options: ErrorOptions) {
    super('the shared NetEase rate budget in Redis is unreachable', options);
    this.name = 'RedisBudgetUnavailableError';
  }
}

/**
 * With the offline queue off, a command sent before the first connection is up fails at once. Wait for that first
 * connection, at most `timeoutMs`; once connected, a lost connection fails fast instead, which is what fail-over
 * needs (so a client that is reconnecting is not waited for).
 */
export async function whenConnected(redis: Redis, timeoutMs: number, schedule: Scheduler): Promise<void> {
  const status = redis.status;
  if (status === 'ready') return;
  if (status === 'wait') void redis.connect().catch(() => undefined);
  if (status !== 'wait' && status !== 'connecting' && status !== 'connect') return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      cancel();
      redis.off('ready', onReady);
      redis.off('end', onEnd);
      redis.off('close', onEnd);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => done();
    const onEnd = () => done(new Error('Redis connection closed before it was ready'));
    const cancel = schedule(() => done(new Error('Redis did not connect in time')), timeoutMs);
    redis.once('ready', onReady);
    redis.once('end', onEnd);
    redis.once('close', onEnd);
  });
}
