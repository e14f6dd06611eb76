import { describe, expect, it } from 'vitest';
import { checkSum, signHeaders } from '../../src/nim/sign.js';

describe('CheckSum', () => {
  // The vectors of ../shared/nim-api.md, checked there against four independent implementations.
  it.each([
    ['test-app-secret', 'abcdef123456', '1700000000', '48e40888a1fca6cecbc8b23b4b17a1979452091b'],
    ['8a6f2c1e9b3d', '4tgggergigwow323t23t', '1443592222', 'd399879eab823e90bcaa51c586e2d149dc95eff4'],
    ['test-app-secret', 'a'.repeat(128), '1700000000', 'c092df14a094d6e6983f18febf0a463cd45fc014'],
  ])('matches NetEase for secret %s and nonce %s', (secret, nonce, curTime, expected) => {
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
