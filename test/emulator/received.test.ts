import { describe, expect, test } from 'vitest';
import { ReceivedLog } from '../../src/emulator/received-log.js';
import { call } from './call.js';
import { emulatorForTest } from './fixture.js';

describe('what the emulator received', () => {
  test('records endpoint, app key, the decoded form, the signing headers and the code answered', async () => {
    const emulator = await emulatorForTest();
    await call(
      emulator,
      'user/updateUinfo.action',
      { accid: 'lina', name: '李娜 & co', sign: 'a+b=c' },
      { nonce: 'nonce-1', headers: { RequestId: 'req-1' } },
    );
    const [entry] = emulator.received;
    expect(entry).toMatchObject({
      endpoint: 'user/updateUinfo.action',
      appKey: 'test-app',
      form: { accid: 'lina', name: '李娜 & co', sign: 'a+b=c' },
      headers: { AppKey: 'test-app', Nonce: 'nonce-1', RequestId: 'req-1' },
      answeredCode: 200,
    });
    expect(entry?.headers.CheckSum).toMatch(/^[0-9a-f]{40}$/);
    expect(entry?.headers.CurTime).toMatch(/^\d{10}$/);
  });

  test('counts by endpoint and by answered code, and resetCounters forgets', async () => {
    const emulator = await emulatorForTest();
    await call(emulator, 'user/getUinfos.action', { accids: '["alice"]' });
    await call(emulator, 'user/getUinfos.action', { accids: 'oops' });
    await call(emulator, 'user/mute.action', { accid: 'alice', mute: 'true' });
    expect(emulator.count()).toBe(3);
    expect(emulator.count({ endpoint: 'user/getUinfos.action' })).toBe(2);
    expect(emulator.count({ code: 200 })).toBe(2);
    expect(emulator.count({ endpoint: 'user/getUinfos.action', code: 414 })).toBe(1);
    emulator.resetCounters();
    expect(emulator.count()).toBe(0);
    expect(emulator.received).toHaveLength(0);
  });

  test('keeps only the most recent entries once full', () => {
    const log = new ReceivedLog(3);
    for (let i = 0; i < 5; i += 1) {
      log.add({ endpoint: `e${i}`, appKey: 'a', form: {}, headers: {}, answeredCode: 200, receivedAt: i });
    }
    expect(log.entries.map((entry) => entry.endpoint)).toEqual(['e2', 'e3', 'e4']);
  });

  test('serves many calls over one keep-alive connection and close() still returns promptly', async () => {
    const emulator = await emulatorForTest();
    for (let i = 0; i < 20; i += 1) await call(emulator, 'user/getUinfos.action', { accids: '["alice"]' });
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
