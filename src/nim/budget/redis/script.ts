import type { Redis } from 'ioredis';

/**
 * The server-side half of the shared budget: Lua scripts run atomically by Redis (EVALSHA through ioredis's
 * defineCommand, which falls back to EVAL after a NOSCRIPT). Time is Redis's own clock (`TIME`), so replicas on
 * hosts whose clocks disagree still share one rolling window.
 *
 * Keys, one set per NetEase app (the `{appKey}` hash tag keeps them in one cluster slot):
 * - `…:calls`    sorted set, one member per call of the last window: score = until when it may still be arriving at
 *                NetEase (its release; or, for a call in flight, a lease until its answer is in, then that moment);
 * - `…:next`     the earliest time the next call may go out, for even spacing;
 * - `…:cooldown` present while a 416 cool-down runs (PX = its length).
 */

/**
 * KEYS: calls, next, cooldown.
 * ARGV: rate, windowMs, intervalMs, member, waitedMs, catchUpMs, leaseMs (0: counts from its release only), ttlMs.
 * Returns {1} when granted, {0, waitMs} when not yet, {2, waitMs} during a cool-down.
 *
 * A rolling-window log: a call is granted only while fewer than `rate` calls may lie in the last windowMs. NetEase
 * counts on arrival, which lies between release and answer, so a call in flight counts until windowMs after its
 * answer: whatever the event loops or the network do to arrival times, NetEase sees at most `rate` in any window.
 *
 * Even spacing: grants go out on a grid intervalMs apart. A caller who finds a free slot (it started waiting, by its
 * own `waitedMs`, a duration and so free of host clock skew, after the slot came due) starts the grid afresh: idle
 * time is never saved up into a burst. Callers already waiting that got there late (slow timer, busy event loop, the
 * round trip) catch up on the slots missed in the last catchUpMs only: a bounded burst.
 */
const ACQUIRE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local coolDown = redis.call('PTTL', KEYS[3])
if coolDown > 0 then return {2, coolDown} end
local rate = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local count = redis.call('ZCARD', KEYS[1])
if count >= rate then
  local leaving = redis.call('ZRANGE', KEYS[1], count - rate, count - rate, 'WITHSCORES')
  local exitAt = tonumber(leaving[2])
  local wait = exitAt + windowMs - now
  -- Still in flight: its answer will end its lease early, so ask again soon rather than at the lease's end.
  if exitAt > now then wait = math.min(wait, math.max(interval, 10)) end
  return {0, math.max(1, math.ceil(wait))}
end
local nextAt = tonumber(redis.call('GET', KEYS[2]) or '0')
-- Timers round to whole ms: a grant up to 1 ms early beats a sub-ms re-ask.
if nextAt - now >= 1 then return {0, math.ceil(nextAt - now)} end
local base = now
if now - tonumber(ARGV[5]) < nextAt then base = math.max(nextAt, now - tonumber(ARGV[6])) end
redis.call('SET', KEYS[2], string.format('%.3f', base + interval), 'PX', windowMs * 2)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[7]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
return {1}
`;

/** KEYS: calls. ARGV: member. The call's answer is in: it counts until windowMs from now, no longer to its lease. */
const FINISH_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
return redis.call('ZADD', KEYS[1], 'XX', 'CH', now, ARGV[1])
`;

/**
 * KEYS: cooldown. ARGV: ms. Starts a cool-down unless one is running: 416s of calls already in flight when the
 * block began belong to the same block and must not extend it. Returns 1 when this call started it.
 */
const COOL_DOWN_LUA = `
if redis.call('PTTL', KEYS[1]) > 0 then return 0 end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return 1
`;

export type BudgetKeys = { calls: string; next: string; coolDown: string };

/** Keys namespaced by app, so two NetEase apps on one Redis keep separate budgets. */
export function budgetKeys(appKey: string, prefix = 'im-admin'): BudgetKeys {
  const base = `${prefix}:{${appKey}}:nim-budget`;
  return { calls: `${base}:calls`, next: `${base}:next`, coolDown: `${base}:cooldown` };
}

export type AcquireReply = { outcome: 'granted' } | { outcome: 'wait' | 'cool-down'; waitMs: number };

export type AcquireRequest = {
  rate: number;
  windowMs: number;
  /** Unique per call: finish() names it. */
  member: string;
  /** How long this caller has been waiting, in ms. */
  waitedMs: number;
  /** How many ms of missed slots waiting callers may still use after a stall. */
  catchUpMs: number;
  /** How long a call in flight counts at most without finish() (a replica that died mid-call); 0: not tracked. */
  leaseMs: number;
};

export type BudgetScripts = {
  acquire(keys: BudgetKeys, request: AcquireRequest): Promise<AcquireReply>;
  /** The call named `member` has its answer. */
  finish(keys: BudgetKeys, member: string): Promise<void>;
  /** Resolves true when this call started the cool-down, false when one was already running. */
  startCoolDown(keys: BudgetKeys, ms: number): Promise<boolean>;
};

type ScriptCommands = {
  imAdminBudgetAcquire(...args: (string | number)[]): Promise<[number, number?]>;
  imAdminBudgetFinish(key: string, member: string): Promise<number>;
  imAdminBudgetCoolDown(key: string, ms: number): Promise<number>;
};

/** Registers the scripts on `redis` and returns typed callers for them. */
export function defineBudgetScripts(redis: Redis): BudgetScripts {
  redis.defineCommand('imAdminBudgetAcquire', { numberOfKeys: 3, lua: ACQUIRE_LUA });
  redis.defineCommand('imAdminBudgetFinish', { numberOfKeys: 1, lua: FINISH_LUA });
  redis.defineCommand('imAdminBudgetCoolDown', { numberOfKeys: 1, lua: COOL_DOWN_LUA });
  const commands = redis as unknown as ScriptCommands;
  return {
    async acquire(keys, request) {
      const [status, waitMs] = await commands.imAdminBudgetAcquire(
        keys.calls,
        keys.next,
        keys.coolDown,
        request.rate,
        request.windowMs,
        request.windowMs / request.rate,
        request.member,
        Math.max(0, request.waitedMs),
        request.catchUpMs,
        request.leaseMs,
        Math.ceil(request.leaseMs + 2 * request.windowMs),
      );
      if (status === 1) return { outcome: 'granted' };
      return { outcome: status === 2 ? 'cool-down' : 'wait', waitMs: Number(waitMs) };
    },
    async finish(keys, member) {
      await commands.imAdminBudgetFinish(keys.calls, member);
    },
    async startCoolDown(keys, ms) {
      return (await commands.imAdminBudgetCoolDown(keys.coolDown, Math.max(1, Math.ceil(ms)))) === 1;
    },
  };
}
