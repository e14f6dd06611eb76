import { describe, expect, test } from 'vitest';
import { netEaseCheckSum } from '../../src/emulator/checksum.js';
import { checkSumVectors } from '../fixtures/checksum-vectors.js';
import { call } from './call.js';
import { emulatorForTest } from './fixture.js';

const LOOKUP = 'user/getUinfos.action';

describe("the emulator's own CheckSum (it plays NetEase, so it does not borrow the app's)", () => {
  test.each(checkSumVectors)('matches NetEase for secret %s and nonce %s', (secret, nonce, curTime, expected) => {
    expect(netEaseCheckSum(secret, nonce, curTime)).toBe(expected);
  });

  test.each(checkSumVectors)(
    'accepts over HTTP the headers of the vector for secret %s, and refuses them altered',
    async (secret, nonce, curTime, expected) => {
      const emulator = await emulatorForTest({ apps: [{ appKey: 'vector-app', appSecret: secret }], now: () => Number(curTime) * 1000 });
      const signed = { appKey: 'vector-app', nonce, curTime: Number(curTime) };
      const accepted = await call(emulator, LOOKUP, { accids: '["alice"]' }, { ...signed, headers: { CheckSum: expected } });
      expect(accepted.json()).toMatchObject({ code: 200 });
      const flipped = `${expected.slice(0, -1)}${expected.endsWith('0') ? '1' : '0'}`;
      const refused = await call(emulator, LOOKUP, { accids: '["alice"]' }, { ...signed, headers: { CheckSum: flipped } });
      expect(refused.json()).toEqual({ code: 414, desc: 'checksum' });
    },
  );
});
