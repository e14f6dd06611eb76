import { describe, expect, test } from 'vitest';
import { getUinfos } from '../../src/emulator/handlers/users.js';
import { demoSeed } from '../../src/emulator/seed.js';
import { EmulatorStore } from '../../src/emulator/store.js';
import { call } from './call.js';
import { emulatorForTest } from './fixture.js';

const LOOKUP = 'user/getUinfos.action';
type Card = Record<string, unknown>;
const cards = (answer: { json: () => Record<string, unknown> }) => answer.json().uinfos as Card[];

describe('user/getUinfos.action', () => {
  test('returns the cards asked for, in the order asked, and leaves unknown accids out', async () => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, LOOKUP, { accids: JSON.stringify(['lina', 'nobody-here', 'alice']) });
    expect(answer.json().code).toBe(200);
    expect(answer.json()).not.toHaveProperty('desc');
    expect(cards(answer).map((card) => card.accid)).toEqual(['lina', 'alice']);
  });

  test('matches accids case-insensitively and answers the stored lower-case accid once', async () => {
    const emulator = await emulatorForTest();
    const answer = await call(emulator, LOOKUP, { accids: JSON.stringify(['ZhangWei', 'zhangwei', 'HENRY.LI']) });
    expect(cards(answer).map((card) => card.accid)).toEqual(['zhangwei', 'henry.li']);
  });

  test('leaves unset fields out of a card but always says valid and mute', async () => {
    const emulator = await emulatorForTest();
    const [frank] = cards(await call(emulator, LOOKUP, { accids: '["frank"]' }));
    expect(frank).toEqual({ accid: 'frank', valid: true, mute: false });
  });

  test('carries the module mute flags only with muteStatus=true', async () => {
    const emulator = await emulatorForTest();
    const [plain] = cards(await call(emulator, LOOKUP, { accids: '["wangfang"]' }));
    const [flagged] = cards(await call(emulator, LOOKUP, { accids: '["wangfang"]', muteStatus: 'true' }));
    expect(plain).not.toHaveProperty('muteP2P');
    expect(flagged).toMatchObject({ mute: false, muteP2P: true, muteTeam: false, muteRoom: false, muteQChat: false });
  });

  test('answers a blocked account with valid false', async () => {
    const emulator = await emulatorForTest();
    const [bob] = cards(await call(emulator, LOOKUP, { accids: '["bob"]' }));
    expect(bob).toMatchObject({ accid: 'bob', valid: false });
  });

  test('accepts 200 accids and refuses 201 with 414 "limit max accids size: 200"', async () => {
    const emulator = await emulatorForTest();
    const accids = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `user${i}`));
    expect((await call(emulator, LOOKUP, { accids: accids(200) })).json()).toEqual({ code: 200, uinfos: [] });
    expect((await call(emulator, LOOKUP, { accids: accids(201) })).json()).toEqual({
      code: 414,
      desc: 'limit max accids size: 200',
    });
  });

  test.each([
    ['not JSON', 'alice,bob', /accids is not valid JSON/],
    ['a JSON object', '{"a":1}', /accids must be a JSON array/],
    ['an array of numbers', '[1,2]', /accids must be a JSON array of strings/],
  ])('refuses accids that are %s with a 414 naming accids', async (_, accids, desc) => {
    const emulator = await emulatorForTest();
    const answer = (await call(emulator, LOOKUP, { accids })).json();
    expect(answer.code).toBe(414);
    expect(answer.desc).toMatch(desc);
  });

  test('refuses a call without accids with a 414 naming accids', async () => {
    const emulator = await emulatorForTest();
    expect((await call(emulator, LOOKUP, {})).json()).toEqual({ code: 414, desc: 'accids is missing' });
  });

  test('keeps hostile text exactly as stored, for the app to escape', async () => {
    const emulator = await emulatorForTest();
    const [carol, dave] = cards(await call(emulator, LOOKUP, { accids: '["carol","dave"]' }));
    expect(carol?.name).toBe('<!channel>');
    expect(dave?.sign).toContain('<https://evil.example|click>');
  });

  test('answers a 200-accid lookup in well under 5 ms', () => {
    const store = new EmulatorStore(demoSeed());
    for (let i = 0; i < 200; i += 1) store.putUser({ accid: `bulk${i}`, name: `用户 ${i}`, sign: 'x'.repeat(100) });
    const form = { accids: JSON.stringify(Array.from({ length: 200 }, (_, i) => `BULK${i}`)), muteStatus: 'true' };
    const run = () => getUinfos({ form, store, now: Date.now });
    const reply = run();
    expect(reply.kind === 'json' && (JSON.parse(reply.text) as { uinfos: unknown[] }).uinfos).toHaveLength(200);
    // CPU time, not wall time, and the best of several batches: on a busy CI machine the process waits for a core,
    // which says nothing about the emulator.
    const batches = Array.from({ length: 5 }, () => {
      const started = process.cpuUsage();
      for (let i = 0; i < 20; i += 1) run();
      const used = process.cpuUsage(started);
      return (used.user + used.system) / 1000 / 20;
    });
    expect(Math.min(...batches)).toBeLessThan(5);
  });
});
