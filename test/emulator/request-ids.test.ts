import { describe, expect, test } from 'vitest';
import { call } from './call.js';
import { emulatorForTest, testClock } from './fixture.js';

const UPDATE = 'user/updateUinfo.action';

describe('RequestId de-duplication', () => {
  test('a repeated RequestId is answered 431 and not applied; after the window it is new again', async () => {
    const clock = testClock();
    const emulator = await emulatorForTest({ now: clock.now, requestIdWindowMs: 60_000 });
    const send = (name: string, requestId: string) =>
      call(emulator, UPDATE, { accid: 'alice', name }, { curTime: clock.seconds(), headers: { RequestId: requestId } });
    expect((await send('First', 'op-1')).json()).toEqual({ code: 200 });
    expect((await send('Second', 'op-1')).json()).toEqual({ code: 431, desc: 'http request repeated' });
    expect(emulator.getUser('alice')?.name).toBe('First');
    expect((await send('Third', 'op-2')).json()).toEqual({ code: 200 });
    clock.advance(60_000);
    expect((await send('Fourth', 'op-1')).json()).toEqual({ code: 200 });
  });

  test('is on by default, for 10 minutes', async () => {
    const clock = testClock();
    const emulator = await emulatorForTest({ now: clock.now });
    const send = (name: string) =>
      call(emulator, UPDATE, { accid: 'alice', name }, { curTime: clock.seconds(), headers: { RequestId: 'default-on' } });
    expect((await send('A')).json()).toEqual({ code: 200 });
    clock.advance(9 * 60_000);
    expect((await send('B')).json()).toEqual({ code: 431, desc: 'http request repeated' });
    expect(emulator.getUser('alice')?.name).toBe('A');
  });

  test('is off with requestIdWindowMs 0: the same RequestId twice is applied twice', async () => {
    const emulator = await emulatorForTest({ requestIdWindowMs: 0 });
    const options = { headers: { RequestId: 'same' } };
    expect((await call(emulator, UPDATE, { accid: 'alice', name: 'A' }, options)).json()).toEqual({ code: 200 });
    expect((await call(emulator, UPDATE, { accid: 'alice', name: 'B' }, options)).json()).toEqual({ code: 200 });
  });
});
