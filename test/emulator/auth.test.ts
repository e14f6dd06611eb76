import { describe, expect, test } from 'vitest';
import { call } from './call.js';
import { emulatorForTest, testClock } from './fixture.js';

const LOOKUP = 'user/getUinfos.action';
const form = { accids: '["alice"]' };

describe('signing and headers', () => {
  test('a correctly signed call is answered 200', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, LOOKUP, form)).json()).toMatchObject({ code: 200 });
  });

  test('a wrong AppSecret is answered HTTP 200 with code 414 "checksum"', async () => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, LOOKUP, form, { appSecret: 'not-the-secret' });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ code: 414, desc: 'checksum' });
  });

  test('an upper-case CheckSum is refused: the contract is lower-case hex', async () => {
    const emulator = await emulatorForTest();
    const signing = { nonce: 'n1', curTime: Math.floor(Date.now() / 1000) };
    expect((await call(emulator, LOOKUP, form, signing)).json()).toMatchObject({ code: 200 });
    const header = emulator.received.at(-1)?.headers.CheckSum ?? '';
    const answer = await call(emulator, LOOKUP, form, { ...signing, headers: { CheckSum: header.toUpperCase() } });
    expect(answer.json()).toEqual({ code: 414, desc: 'checksum' });
  });

  test('an unknown AppKey is answered 414 "appkey"', async () => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, LOOKUP, form, { appKey: 'someone-else' });
    expect(answer.json()).toEqual({ code: 414, desc: 'appkey' });
  });

  test('a CurTime more than 5 minutes off the server clock is answered 414 "CurTime is expired"', async () => {
    const clock = testClock();
    const emulator = await emulatorForTest({ now: clock.now });
    const late = await call(emulator, LOOKUP, form, { curTime: clock.seconds() - 301 });
    const early = await call(emulator, LOOKUP, form, { curTime: clock.seconds() + 301 });
    const justInside = await call(emulator, LOOKUP, form, { curTime: clock.seconds() - 299 });
    expect(late.json()).toEqual({ code: 414, desc: 'CurTime is expired' });
    expect(early.json()).toEqual({ code: 414, desc: 'CurTime is expired' });
    expect(justInside.json()).toMatchObject({ code: 200 });
  });

  test('a CurTime in milliseconds instead of seconds is expired', async () => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, LOOKUP, form, { curTime: Date.now() });
    expect(answer.json()).toEqual({ code: 414, desc: 'CurTime is expired' });
  });

  test.each(['AppKey', 'Nonce', 'CurTime', 'CheckSum'])('a missing %s header is answered 414 "bad http header"', async (header) => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, LOOKUP, form, { headers: { [header]: undefined } });
    expect(answer.json()).toEqual({ code: 414, desc: 'bad http header' });
  });

  test('a Nonce of 128 characters is accepted and one of 129 is refused', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, LOOKUP, form, { nonce: 'a'.repeat(128) })).json()).toMatchObject({ code: 200 });
    expect((await call(emulator, LOOKUP, form, { nonce: 'a'.repeat(129) })).json()).toEqual({
      code: 414,
      desc: 'bad http header',
    });
  });

  test('a JSON body instead of a form is answered 414 "bad http header"', async () => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, LOOKUP, form, { headers: { 'content-type': 'application/json' } });
    expect(answer.json()).toEqual({ code: 414, desc: 'bad http header' });
  });

  test('a GET is refused at the HTTP level with 405 and Allow: POST', async () => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, LOOKUP, {}, { method: 'GET' });
    expect(answer.status).toBe(405);
    expect(emulator.count({ code: 405 })).toBe(1);
  });

  test('an endpoint the emulator does not serve is an HTTP 404', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, 'user/create.action', {})).status).toBe(404);
  });

  test('several apps can be configured, each with its own secret', async () => {
    const emulator = await emulatorForTest({
      apps: [
        { appKey: 'one', appSecret: 's1' },
        { appKey: 'two', appSecret: 's2' },
      ],
    });
    const right = await call(emulator, LOOKUP, form, { appKey: 'two', appSecret: 's2' });
    const crossed = await call(emulator, LOOKUP, form, { appKey: 'two', appSecret: 's1' });
    expect(right.json()).toMatchObject({ code: 200 });
    expect(crossed.json()).toEqual({ code: 414, desc: 'checksum' });
  });
});
