import { createHash } from 'node:crypto';

/**
 * The CheckSum as NetEase computes it, written for the emulator from the contract (nim-api.md) and NetEase's official
 * Java `CheckSumBuilder`, not imported from the app's signer (src/nim/sign.ts): the emulator plays NetEase, so it must
 * not agree with whatever formula the app happens to use. SHA-1 over the UTF-8 bytes of AppSecret, Nonce and CurTime
 * in that order, each byte written as two lower-case hex digits.
 */
export function netEaseCheckSum(appSecret: string, nonce: string, curTime: string): string {
  const digest = createHash('sha1');
  for (const part of [appSecret, nonce, curTime]) digest.update(Buffer.from(part, 'utf8'));
  let hex = '';
  for (const byte of digest.digest()) hex += HEX_DIGITS[byte >> 4]! + HEX_DIGITS[byte & 0x0f]!;
  return hex;
}

const HEX_DIGITS = '0123456789abcdef';
