import { describe, expect, it } from 'vitest';
import { checkSum, signHeaders } from '../../src/nim/sign.js';
import { checkSumVectors } from '../fixtures/checksum-vectors.js';

describe('CheckSum', () => {
  it.each(checkSumVectors)('matches NetEase for secret %s and nonce %s', (secret, nonce, curTime, expected) => {
    expect(checkSum(secret, nonce, curTime)).toBe(expected);
  });

  it('signs with CurTime in seconds and a fresh nonce each time', () => {
    const first = signHeaders({ appKey: 'key', appSecret: 'test-app-secret', now: () => 1_700_000_000_999 });
    const second = signHeaders({ appKey: 'key', appSecret: 'test-app-secret', now: () => 1_700_000_000_999 });
    expect(first.CurTime).toBe('1700000000');
    expect(first.Nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(first.Nonce).not.toBe(second.Nonce);
    expect(first.CheckSum).toBe(checkSum('test-app-secret', first.Nonce, '1700000000'));
  });
});
