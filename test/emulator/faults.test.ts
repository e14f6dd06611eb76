import { describe, expect, test } from 'vitest';
import { call } from './call.js';
import { emulatorForTest } from './fixture.js';

const LOOKUP = 'user/getUinfos.action';
const UPDATE = 'user/updateUinfo.action';
const form = { accids: '["alice"]' };

describe('fault injection', () => {
  test('a code fault answers that code for `times` requests, then the endpoint recovers', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(LOOKUP, { kind: 'code', code: 503 }, 2);
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push((await call(emulator, LOOKUP, form)).json().code);
    expect(codes).toEqual([503, 503, 200]);
    expect(emulator.received.map((entry) => entry.fault)).toEqual(['code', 'code', undefined]);
  });

  test('a code fault carries the desc given, or a default', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(LOOKUP, { kind: 'code', code: 500, desc: 'boom' }, 1);
    emulator.injectFault(LOOKUP, { kind: 'code', code: 503 }, 1);
    expect((await call(emulator, LOOKUP, form)).json()).toEqual({ code: 500, desc: 'boom' });
    expect((await call(emulator, LOOKUP, form)).json()).toEqual({ code: 503, desc: 'server busy' });
  });

  test('an http_status fault answers a gateway page with that status', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault('*', { kind: 'http_status', status: 502 }, 1);
    const answer = await call(emulator, LOOKUP, form);
    expect(answer.status).toBe(502);
    expect(answer.text).toContain('502 Bad Gateway');
    expect(emulator.count({ code: 502 })).toBe(1);
  });

  test('a malformed_json fault answers HTTP 200 with a body that is not JSON', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(LOOKUP, { kind: 'malformed_json' }, 1);
    const answer = await call(emulator, LOOKUP, form);
    expect(answer.status).toBe(200);
    expect(() => answer.json()).toThrow(SyntaxError);
  });

  test('a drop_connection fault closes the socket without an answer, and the next call is served', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(LOOKUP, { kind: 'drop_connection' }, 1);
    await expect(call(emulator, LOOKUP, form)).rejects.toThrow();
    expect((await call(emulator, LOOKUP, form)).json().code).toBe(200);
    expect(emulator.received.map((entry) => entry.answeredCode)).toEqual([0, 200]);
  });

  test('a latency fault delays the answer', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(LOOKUP, { kind: 'latency', ms: 150 }, 1);
    const started = performance.now();
    expect((await call(emulator, LOOKUP, form)).json().code).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('a fault on one endpoint leaves the others alone, and "*" hits every endpoint', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(UPDATE, { kind: 'code', code: 500 });
    expect((await call(emulator, LOOKUP, form)).json().code).toBe(200);
    expect((await call(emulator, UPDATE, { accid: 'alice', name: 'x' })).json().code).toBe(500);
    emulator.injectFault('*', { kind: 'code', code: 514 });
    expect((await call(emulator, LOOKUP, form)).json().code).toBe(514);
  });

  test('clearFaults removes faults that had no limit', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(LOOKUP, { kind: 'code', code: 500 });
    expect((await call(emulator, LOOKUP, form)).json().code).toBe(500);
    expect((await call(emulator, LOOKUP, form)).json().code).toBe(500);
    emulator.clearFaults();
    expect((await call(emulator, LOOKUP, form)).json().code).toBe(200);
  });

  test('a fault before apply leaves the card unchanged', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(UPDATE, { kind: 'code', code: 503 }, 1);
    await call(emulator, UPDATE, { accid: 'alice', name: 'Changed' });
    expect(emulator.getUser('alice')?.name).toBe('Alice Chen');
  });

  test('a 431 after apply: the answer says duplicate but the change is in place for a read-back', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(UPDATE, { kind: 'code', code: 431, afterApply: true }, 1);
    expect((await call(emulator, UPDATE, { accid: 'alice', name: 'Changed' })).json()).toEqual({
      code: 431,
      desc: 'http request repeated',
    });
    const lookup = (await call(emulator, LOOKUP, form)).json();
    expect(lookup.uinfos).toEqual([expect.objectContaining({ name: 'Changed' })]);
  });

  test('a dropped connection after apply: the client gets no answer but the change is in place', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(UPDATE, { kind: 'drop_connection', afterApply: true }, 1);
    await expect(call(emulator, UPDATE, { accid: 'alice', sign: 'applied' })).rejects.toThrow();
    expect(emulator.getUser('alice')?.sign).toBe('applied');
  });

  test('an afterApply fault is not used up by a request that failed auth', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(UPDATE, { kind: 'code', code: 431, afterApply: true }, 1);
    expect((await call(emulator, UPDATE, { accid: 'alice', name: 'x' }, { appSecret: 'wrong' })).json().code).toBe(414);
    expect((await call(emulator, UPDATE, { accid: 'alice', name: 'x' })).json().code).toBe(431);
  });

  test('close() does not wait for an injected latency to run out', async () => {
    const emulator = await emulatorForTest();
    emulator.injectFault(LOOKUP, { kind: 'latency', ms: 60_000 });
    const pending = call(emulator, LOOKUP, form).catch(() => 'no answer');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await emulator.close();
    expect(await pending).toBe('no answer');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test('refuses a fault that cannot happen', async () => {
    const emulator = await emulatorForTest();
    expect(() => emulator.injectFault(LOOKUP, { kind: 'http_status', status: 42 })).toThrow(RangeError);
    expect(() => emulator.injectFault(LOOKUP, { kind: 'code', code: 500 }, 0)).toThrow(RangeError);
  });
});
