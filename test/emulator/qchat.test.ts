import { describe, expect, test } from 'vitest';
import { call } from './call.js';
import { emulatorForTest, testClock } from './fixture.js';

const UPDATE_MEMBER = 'qchat/updateServerMember.action';

describe('qchat/updateServerMember.action', () => {
  test('changes the member card and answers the whole serverMember', async () => {
    const clock = testClock();
    const emulator = await emulatorForTest({ now: clock.now });
    clock.advance(60_000);
    const answer = await call(
      emulator,
      UPDATE_MEMBER,
      { accid: 'lina', serverId: '1513535', nick: '娜娜2', custom: '{"v":1}' },
      { curTime: clock.seconds() },
    );
    expect(answer.json()).toEqual({
      code: 200,
      serverMember: {
        serverId: 1513535,
        accid: 'lina',
        nick: '娜娜2',
        custom: '{"v":1}',
        type: 0,
        joinTime: 1_700_003_600_000,
        inviter: 'zhangwei',
        validFlag: 1,
        createTime: 1_700_003_600_000,
        updateTime: clock.ms,
      },
    });
    expect(emulator.getServerMember('1513535', 'LINA')?.nick).toBe('娜娜2');
  });

  test('writes a serverId above 2^53 as a JSON number with every digit intact', async () => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, UPDATE_MEMBER, { accid: 'dave', serverId: '9007199254740993', nick: 'D' });
    expect(answer.text).toMatch(/"serverMember":\{"serverId":9007199254740993,"accid":"dave"/);
    expect(emulator.getServerMember('9007199254740993', 'dave')?.nick).toBe('D');
  });

  test('accepts the id with leading zeros and answers it canonically', async () => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, UPDATE_MEMBER, { accid: 'alice', serverId: '0001513535', nick: 'A' });
    expect(answer.text).toContain('"serverId":1513535,');
  });

  test('keeps fields that are absent from the form', async () => {
    const emulator = await emulatorForTest();
    await call(emulator, UPDATE_MEMBER, { accid: 'zhangwei', serverId: '1513535', nick: 'boss' });
    const member = emulator.getServerMember('1513535', 'zhangwei');
    expect(member).toMatchObject({ nick: 'boss', custom: '{"title":"owner"}' });
  });

  test('answers 404 for an unknown server, a non-member and a member who left', async () => {
    const emulator = await emulatorForTest();
    const codes = await Promise.all(
      [
        { accid: 'alice', serverId: '42' },
        { accid: 'grace', serverId: '1513535' },
        { accid: 'bob', serverId: '1513535' },
      ].map(async (form) => (await call(emulator, UPDATE_MEMBER, { ...form, nick: 'x' })).json().code),
    );
    expect(codes).toEqual([404, 404, 404]);
  });

  test.each([
    [{ serverId: '1513535', nick: 'x' }, 'accid is missing'],
    [{ accid: 'alice', nick: 'x' }, 'serverId is missing'],
    [{ accid: 'alice', serverId: '12abc' }, 'serverId must be a 64-bit unsigned integer'],
    [{ accid: 'alice', serverId: '18446744073709551616' }, 'serverId must be a 64-bit unsigned integer'],
    [{ accid: 'alice', serverId: '1513535', nick: 'n'.repeat(65) }, 'nick too long (max 64 characters)'],
    [{ accid: 'alice', serverId: '1513535', avatar: 'a'.repeat(1025) }, 'avatar too long (max 1024 characters)'],
    [{ accid: 'alice', serverId: '1513535', custom: 'c'.repeat(1025) }, 'custom too long (max 1024 characters)'],
  ])('refuses %j with 414 %j', async (form, desc) => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, UPDATE_MEMBER, form)).json()).toEqual({ code: 414, desc });
  });
});
