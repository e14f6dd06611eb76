import { describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/types.js';
import { call } from './call.js';
import { emulatorForTest } from './fixture.js';

async function cardOf(emulator: Emulator, accid: string): Promise<Record<string, unknown>> {
  const answer = await call(emulator, 'user/getUinfos.action', { accids: JSON.stringify([accid]), muteStatus: 'true' });
  return (answer.json().uinfos as Record<string, unknown>[])[0] ?? {};
}

describe('moderation endpoints', () => {
  test('mute.action mutes and unmutes globally, visible through getUinfos', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, 'user/mute.action', { accid: 'Alice', mute: 'true' })).json()).toEqual({ code: 200 });
    expect(await cardOf(emulator, 'alice')).toMatchObject({ mute: true, muteP2P: false });
    await call(emulator, 'user/mute.action', { accid: 'alice', mute: 'false' });
    expect(await cardOf(emulator, 'alice')).toMatchObject({ mute: false });
  });

  test('mute.action refuses a mute value other than true or false', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, 'user/mute.action', { accid: 'alice', mute: 'yes' })).json()).toEqual({
      code: 414,
      desc: 'mute must be true or false',
    });
  });

  test('muteModule.action changes only the modules named and answers all four flags as they now stand', async () => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, 'user/muteModule.action', { accid: 'wangfang', muteTeam: 'true', muteP2P: 'false' });
    expect(answer.json()).toEqual({
      code: 200,
      data: { muteP2P: false, muteTeam: true, muteRoom: false, muteQChat: false },
    });
    expect(await cardOf(emulator, 'wangfang')).toMatchObject({
      mute: false,
      muteP2P: false,
      muteTeam: true,
      muteRoom: false,
      muteQChat: false,
    });
  });

  test('muteModule.action without any module flag is a 414', async () => {
    const emulator = await emulatorForTest();
    const answer = (await call(emulator, 'user/muteModule.action', { accid: 'alice' })).json();
    expect(answer).toEqual({ code: 414, desc: 'at least one of muteP2P, muteTeam, muteRoom, muteQChat is required' });
  });

  test('block.action makes the account invalid and unblock.action valid again', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, 'user/block.action', { accid: 'grace', needkick: 'true' })).json()).toEqual({
      code: 200,
    });
    expect(await cardOf(emulator, 'grace')).toMatchObject({ valid: false });
    expect((await call(emulator, 'user/unblock.action', { accid: 'GRACE' })).json()).toEqual({ code: 200 });
    expect(await cardOf(emulator, 'grace')).toMatchObject({ valid: true });
  });

  test.each([
    ['user/mute.action', { mute: 'true' }],
    ['user/muteModule.action', { muteP2P: 'true' }],
    ['user/block.action', {}],
    ['user/unblock.action', {}],
  ])('%s answers 414 "<accid> is not registered" for an unknown account, as NetEase documents for block', async (endpoint, form) => {
    const emulator = await emulatorForTest();
    const answer = (await call(emulator, endpoint, { accid: 'ghost', ...form })).json();
    expect(answer).toEqual({ code: 414, desc: 'ghost is not registered' });
  });

  test('block.action refuses a kickNotifyExt over 256 characters, and keeps the account valid', async () => {
    const emulator = await emulatorForTest();
    const answer = (await call(emulator, 'user/block.action', { accid: 'grace', needkick: 'true', kickNotifyExt: 'x'.repeat(257) })).json();
    expect(answer).toEqual({ code: 414, desc: 'kickNotifyExt too long (max 256 characters)' });
    expect(await cardOf(emulator, 'grace')).toMatchObject({ valid: true });
    const ok = (await call(emulator, 'user/block.action', { accid: 'grace', kickNotifyExt: 'x'.repeat(256) })).json();
    expect(ok).toEqual({ code: 200 });
  });
});
