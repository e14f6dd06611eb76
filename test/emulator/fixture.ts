import { afterEach } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/types.js';
import { APP } from './call.js';

/** A settable clock, so that rate windows, blocks and CurTime skew need no real sleeps. */
export type TestClock = { now: () => number; ms: number; seconds: () => number; advance: (ms: number) => void };

export function testClock(start = 1_700_000_000_000): TestClock {
  const clock: TestClock = {
    ms: start,
    now: () => clock.ms,
    seconds: () => Math.floor(clock.ms / 1000),
    advance: (ms) => {
      clock.ms += ms;
    },
  };
  return clock;
}

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

/** An emulator with the test app and the demo data, closed after the test. */
export async function emulatorForTest(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ apps: [APP], ...options });
  running.push(emulator);
  return emulator;
}
