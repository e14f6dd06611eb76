import { describe, expect, test } from 'vitest';
import { demoSeed, parseSeed } from '../../src/emulator/seed.js';
import { emulatorForTest } from './fixture.js';

describe('seed data', () => {
  test('the demo data set is valid and has what local mode shows off', () => {
    const seed = demoSeed();
    const byAccid = new Map(seed.users.map((card) => [card.accid, card]));
    expect(seed.users.length).toBeGreaterThanOrEqual(14);
    const zhangwei = byAccid.get('zhangwei');
    expect(zhangwei).toMatchObject({ name: '张伟', email: expect.any(String), mobile: expect.any(String) });
    expect(byAccid.get('bob')?.valid).toBe(false);
    expect(byAccid.get('lina')?.mute).toBe(true);
    for (const module of ['muteP2P', 'muteTeam', 'muteRoom', 'muteQChat'] as const) {
      expect(seed.users.some((card) => card[module] === true && !card.mute)).toBe(true);
    }
    expect(seed.users.some((card) => card.name === '<!channel>')).toBe(true);
    expect(seed.users.some((card) => card.sign?.includes('<https://evil.example|click>'))).toBe(true);
    expect(seed.users.some((card) => (card.ex?.length ?? 0) > 400)).toBe(true);
    expect(seed.qchatServers.map((server) => server.serverId)).toEqual(['1513535', '9007199254740993']);
  });

  test('a seed with mistakes is refused with every problem listed', () => {
    const bad = {
      users: [{ accid: 'has space', nmae: 'typo' }],
      qchatServers: [{ serverId: '1.5', members: [] }],
    };
    expect(() => parseSeed(bad)).toThrow(/users\.0\.accid[\s\S]*users\.0[\s\S]*qchatServers\.0\.serverId/);
  });

  test('a QChat member without a user card is refused', () => {
    const member = { accid: 'ghost', type: 0, joinTime: 1, validFlag: 1, createTime: 1, updateTime: 1 };
    expect(() => parseSeed({ users: [], qchatServers: [{ serverId: '1', members: [member] }] })).toThrow(
      /ghost of server 1 has no user card/,
    );
  });

  test('a test can bring its own seed, and state access is case-insensitive and copied', async () => {
    const emulator = await emulatorForTest({ seed: { users: [{ accid: 'Only.One', name: 'One' }], qchatServers: [] } });
    const card = emulator.getUser('ONLY.ONE');
    expect(card).toEqual({
      accid: 'only.one',
      name: 'One',
      valid: true,
      mute: false,
      muteP2P: false,
      muteTeam: false,
      muteRoom: false,
      muteQChat: false,
    });
    if (card) card.name = 'mutated outside';
    expect(emulator.getUser('only.one')?.name).toBe('One');
    expect(emulator.getUser('zhangwei')).toBeUndefined();
    emulator.putUser({ accid: 'NewUser', name: 'New' });
    expect(emulator.getUser('newuser')?.name).toBe('New');
  });
});
