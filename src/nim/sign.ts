import { createHash, randomBytes } from 'node:crypto';

/** The four headers NetEase requires on every call. */
export type SignedHeaders = {
  AppKey: string;
  Nonce: string;
  CurTime: string;
  CheckSum: string;
};

/** sha1(AppSecret + Nonce + CurTime) as 40 lower-case hex characters: plain SHA-1, not HMAC. */
export function checkSum(appSecret: string, nonce: string, curTime: string): string {
  return createHash('sha1')
    .update(appSecret + nonce + curTime, 'utf8')
    .digest('hex');
}

/** A fresh 32-character hex nonce; NetEase accepts up to 128 characters. */
export function randomNonce(): string {
  return randomBytes(16).toString('hex');
}

export type SignOptions = {
  appKey: string;
  appSecret: string;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** @default randomNonce */
  nonce?: () => string;
};

/** Signs one attempt. Every attempt, retries included, gets its own Nonce and CurTime. */
export function signHeaders({ appKey, appSecret, now = Date.now, nonce = randomNonce }: SignOptions): SignedHeaders {
  const Nonce = nonce();
  const CurTime = String(Math.floor(now() / 1000));
  return { AppKey: appKey, Nonce, CurTime, CheckSum: checkSum(appSecret, Nonce, CurTime) };
}
