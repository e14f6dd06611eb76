import { describe, expect, test } from 'vitest';
import { call } from './call.js';
import { emulatorForTest } from './fixture.js';

const UPDATE = 'user/updateUinfo.action';

describe('user/updateUinfo.action', () => {
  test('changes the fields sent, keeps the ones absent, and the change shows in getUinfos', async () => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, UPDATE, { accid: 'Alice', name: 'Alice Chen-Li', gender: '0' });
    expect(answer.json()).toEqual({ code: 200 });
    const lookup = (await call(emulator, 'user/getUinfos.action', { accids: '["alice"]' })).json();
    expect(lookup.uinfos).toEqual([
      expect.objectContaining({ accid: 'alice', name: 'Alice Chen-Li', gender: 0, email: 'alice@example.com' }),
    ]);
  });

  test('an empty string clears a field so that it disappears from the card', async () => {
    const emulator = await emulatorForTest();
    await call(emulator, UPDATE, { accid: 'zhangwei', mobile: '', email: '' });
    const card = emulator.getUser('zhangwei');
    expect(card).not.toHaveProperty('mobile');
    expect(card).not.toHaveProperty('email');
    expect(card?.name).toBe('张伟');
  });

  test.each([
    ['name', 64, 'name too long (max 64 characters)'],
    ['sign', 256, 'sign too long (max 256 characters)'],
    ['email', 64, 'email too long (max 64 characters)'],
    ['birth', 16, 'birth too long (max 16 characters)'],
    ['mobile', 32, 'mobile too long (max 32 characters)'],
    ['ex', 1024, 'ex too long (max 1024 characters)'],
  ])('%s accepts %i characters and refuses one more with a 414 naming the limit', async (field, max, desc) => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, UPDATE, { accid: 'lina', [field]: 'x'.repeat(max) })).json()).toEqual({ code: 200 });
    expect((await call(emulator, UPDATE, { accid: 'lina', [field]: 'x'.repeat(max + 1) })).json()).toEqual({
      code: 414,
      desc,
    });
  });

  test('counts characters as UTF-16 code units: 32 emoji are 64 units and fit a name, 33 do not', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, UPDATE, { accid: 'lina', name: '🌸'.repeat(32) })).json()).toEqual({ code: 200 });
    expect((await call(emulator, UPDATE, { accid: 'lina', name: '🌸'.repeat(33) })).json().code).toBe(414);
  });

  test('counts icon in UTF-8 bytes: 341 three-byte characters fit, 342 do not', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, UPDATE, { accid: 'lina', icon: '图'.repeat(341) })).json()).toEqual({ code: 200 });
    expect((await call(emulator, UPDATE, { accid: 'lina', icon: '图'.repeat(342) })).json()).toEqual({
      code: 414,
      desc: 'icon too long (max 1024 bytes)',
    });
  });

  test.each(['3', '-1', 'male', ''])('refuses gender %j with 414', async (gender) => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, UPDATE, { accid: 'lina', gender })).json()).toEqual({
      code: 414,
      desc: 'gender must be 0, 1 or 2',
    });
    expect(emulator.getUser('lina')?.gender).toBe(2);
  });

  test('refuses a bid that is not a JSON object', async () => {
    const emulator = await emulatorForTest();
    const answer = (await call(emulator, UPDATE, { accid: 'lina', name: 'x', bid: 'nope' })).json();
    expect(answer.code).toBe(414);
    expect(answer.desc).toMatch(/^bid /);
    expect(emulator.getUser('lina')?.name).toBe('李娜');
  });

  test('refuses a missing or malformed accid with 414 naming accid', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, UPDATE, { name: 'x' })).json()).toEqual({ code: 414, desc: 'accid is missing' });
    expect((await call(emulator, UPDATE, { accid: 'a b', name: 'x' })).json().desc).toMatch(/^accid /);
  });

  test('answers 404 for an accid that does not exist', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, UPDATE, { accid: 'ghost', name: 'x' })).json()).toMatchObject({ code: 404 });
  });
});
