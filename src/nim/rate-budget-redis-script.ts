import type { Redis } from 'ioredis';

/**
 * The server-side half of the shared budget: two Lua scripts, run atomically by Redis (EVALSHA through ioredis's
 * defineCommand, which falls back to EVAL after a NOSCRIPT). Time is Redis's own clock (`TIME`), so replicas on
 * hosts whose clocks disagree still share one rolling window.
 *
 * Keys, one set per NetEase app (the `{appKey}` hash tag keeps them in one cluster slot):
 * - `…:grants`   sorted set of the grant times of the last window (score = ms, member = time + random nonce);
 * - `…:next`     the earliest time the next grant may go out, for even spacing;
 * - `…:cooldown` present while a 416 cool-down runs (PX = its length).
 */

/**
 * KEYS: grants, next, cooldown. ARGV: rate, windowMs, intervalMs, nonce, waitedMs, catchUpMs.
 * Returns {1} when granted, {0, waitMs} when not yet, {2, waitMs} during a cool-down.
 *
 * Grants go out on an even grid, intervalMs apart. A caller who finds a free slot (it started waiting, by its own
 * `waitedMs`, a duration and so free of host clock skew, after the slot came due) starts the grid afresh: idle time
 * is never saved up into a burst. When callers were already waiting and got there late (a slow timer, a busy event
 * loop, the round trip), they catch up on the slots missed in the last catchUpMs only: a bounded burst, and late
 * timers cost no throughput. The rolling-window check stays strict either way.
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
if redis.call('ZCARD', KEYS[1]) >= rate then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, math.max(1, math.ceil(tonumber(oldest[2]) + windowMs - now))}
end
local nextAt = tonumber(redis.call('GET', KEYS[2]) or '0')
-- Timers round to whole ms: a grant up to 1 ms early beats a sub-ms re-ask.
if nextAt - now >= 1 then return {0, math.ceil(nextAt - now)} end
local base = now
if now - tonumber(ARGV[5]) < nextAt then base = math.max(nextAt, now - tonumber(ARGV[6])) end
nextAt = base + interval
redis.call('ZADD', KEYS[1], now, string.format('%.3f', now) .. ':' .. ARGV[4])
redis.call('PEXPIRE', KEYS[1], windowMs * 2)
redis.call('SET', KEYS[2], string.format('%.3f', nextAt), 'PX', windowMs * 2)
return {1}
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

export type BudgetKeys = { grants: string; next: string; coolDown: string };

/** Keys namespaced by app, so two NetEase apps on one Redis keep separate budgets. */
export function budgetKeys(appKey: string, prefix = 'im-admin'): BudgetKeys {
  const base = `${prefix}:{${appKey}}:nim-budget`;
  return { grants: `${base}:grants`, next: `${base}:next`, coolDown: `${base}:cooldown` };
}

export type AcquireReply = { outcome: 'granted' } | { outcome: 'wait' | 'cool-down'; waitMs: number };

export type AcquireRequest = {
  rate: number;
  windowMs: number;
  nonce: string;
  /** How long this caller has been waiting, in ms. */
  waitedMs: number;
  /** How many ms of missed slots waiting callers may still use after a stall. */
  catchUpMs: number;
};

export type BudgetScripts = {
  acquire(keys: BudgetKeys, request: AcquireRequest): Promise<AcquireReply>;
  /** Resolves true when this call started the cool-down, false when one was already running. */
  startCoolDown(keys: BudgetKeys, ms: number): Promise<boolean>;
};

type ScriptCommands = {
  imAdminBudgetAcquire(...args: (string | number)[]): Promise<[number, number?]>;
  imAdminBudgetCoolDown(key: string, ms: number): Promise<number>;
};

/** Registers the scripts on `redis` and returns typed callers for them. */
export function defineBudgetScripts(redis: Redis): BudgetScripts {
  redis.defineCommand('imAdminBudgetAcquire', { numberOfKeys: 3, lua: ACQUIRE_LUA });
  redis.defineCommand('imAdminBudgetCoolDown', { numberOfKeys: 1, lua: COOL_DOWN_LUA });
  const commands = redis as unknown as ScriptCommands;
  return {
    async acquire(keys, request) {
      const [status, waitMs] = await commands.imAdminBudgetAcquire(
        keys.grants,
        keys.next,
        keys.coolDown,
        request.rate,
        request.windowMs,
        request.windowMs / request.rate,
        request.nonce,
        Math.max(0, request.waitedMs),
        request.catchUpMs,
      );
      if (status === 1) return { outcome: 'granted' };
      return { outcome: status === 2 ? 'cool-down' : 'wait', waitMs: Number(waitMs) };
    },
    async startCoolDown(keys, ms) {
      return (await commands.imAdminBudgetCoolDown(keys.coolDown, Math.max(1, Math.ceil(ms)))) === 1;
    },
  };
}
