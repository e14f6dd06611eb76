import { describe, expect, test } from 'vitest';
import { RateLimiter } from '../../src/emulator/rate-limit.js';
import type { Emulator } from '../../src/emulator/types.js';
import { call } from './call.js';
import { emulatorForTest, testClock, type TestClock } from './fixture.js';

const LOOKUP = 'user/getUinfos.action';

async function lookups(emulator: Emulator, clock: TestClock, n: number): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const answer = await call(emulator, LOOKUP, { accids: '["alice"]' }, { curTime: clock.seconds() });
    codes.push(answer.json().code as number);
  }
  return codes;
}

describe('rate limit', () => {
  test('the 101st call within a second is 416, calls in the 10 s block are 416, then calls are served', async () => {
    const clock = testClock();
    const emulator = await emulatorForTest({ now: clock.now });
    expect(new Set(await lookups(emulator, clock, 100))).toEqual(new Set([200]));
    clock.advance(999);
    const [over] = await lookups(emulator, clock, 1);
    expect(over).toBe(416);
    expect(emulator.received.at(-1)).toMatchObject({ answeredCode: 416 });
    // Past the window, but still inside the block.
    clock.advance(5_000);
    expect(await lookups(emulator, clock, 2)).toEqual([416, 416]);
    clock.advance(5_000);
    expect(await lookups(emulator, clock, 1)).toEqual([200]);
    expect(emulator.count({ endpoint: LOOKUP, code: 416 })).toBe(3);
  });

  test('the window rolls: once the oldest call is a full window old, one more call fits', async () => {
    const clock = testClock();
    const emulator = await emulatorForTest({ now: clock.now, rateLimit: 3 });
    await lookups(emulator, clock, 1);
    clock.advance(500);
    await lookups(emulator, clock, 2);
    clock.advance(500);
    // The first call is now exactly 1000 ms old: it no longer counts.
    expect(await lookups(emulator, clock, 1)).toEqual([200]);
    expect(await lookups(emulator, clock, 1)).toEqual([416]);
  });

  test('a block on one endpoint leaves the other endpoints and the other apps alone', async () => {
    const clock = testClock();
    const emulator = await emulatorForTest({
      now: clock.now,
      rateLimit: 2,
      apps: [
        { appKey: 'test-app', appSecret: 'test-secret' },
        { appKey: 'other-app', appSecret: 'other-secret' },
      ],
    });
    expect(await lookups(emulator, clock, 3)).toEqual([200, 200, 416]);
    const mute = { accid: 'alice', mute: 'true' };
    const update = await call(emulator, 'user/mute.action', mute, { curTime: clock.seconds() });
    const otherApp = await call(
      emulator,
      LOOKUP,
      { accids: '["alice"]' },
      { appKey: 'other-app', appSecret: 'other-secret', curTime: clock.seconds() },
    );
    expect(update.json().code).toBe(200);
    expect(otherApp.json().code).toBe(200);
  });

  test('the 416 answer says what happened', async () => {
    const clock = testClock();
    const emulator = await emulatorForTest({ now: clock.now, rateLimit: 1, blockMs: 2_000 });
    await lookups(emulator, clock, 1);
    const answer = (await call(emulator, LOOKUP, { accids: '[]' }, { curTime: clock.seconds() })).json();
    expect(answer).toEqual({
      code: 416,
      desc: 'api rate limit exceeded: more than 1 calls in 1000 ms, app blocked for 2000 ms',
    });
  });

  test('keeps up with a 100,000-call benchmark without slowing it down', () => {
    const limiter = new RateLimiter({ limit: 100, windowMs: 1000, blockMs: 10_000 });
    const started = process.cpuUsage();
    let admitted = 0;
    // 100 calls per simulated second: exactly at the limit, never over it.
    for (let i = 0; i < 100_000; i += 1) if (limiter.admit('app', LOOKUP, i * 10)) admitted += 1;
    expect(admitted).toBe(100_000);
    // O(1) per call: tens of ms of CPU (not wall time, which a busy CI machine stretches).
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(1_000);
  });
});
