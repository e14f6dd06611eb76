import { timingSafeEqual } from 'node:crypto';
import { netEaseCheckSum } from './checksum.js';
import type { ReceivedRequest } from './types.js';

export type SigningHeaders = ReceivedRequest['headers'];

/** NetEase's limit on the Nonce header. */
const MAX_NONCE_LENGTH = 128;

export type AuthSettings = {
  /** AppKey → AppSecret. */
  apps: ReadonlyMap<string, string>;
  maxSkewMs: number;
};

/**
 * Why NetEase would refuse these headers, as the `desc` of its 414 answer, or undefined when they are fine.
 * The texts are the ones seen in the wild (nim-api.md). A body that is not a form is reported as a header problem
 * too: the Content-Type header is what is wrong, and NetEase answers header problems with HTTP 200 + 414.
 * Order: headers present, then AppKey, then CheckSum, then CurTime, so a client whose clock is off (but which signs
 * correctly) is told about its clock.
 */
export function authProblem(
  headers: SigningHeaders,
  contentType: string | undefined,
  settings: AuthSettings,
  nowMs: number,
): string | undefined {
  const { AppKey, Nonce, CurTime, CheckSum } = headers;
  if (!AppKey || !Nonce || !CurTime || !CheckSum) return 'bad http header';
  if (Nonce.length > MAX_NONCE_LENGTH || !/^\d+$/.test(CurTime)) return 'bad http header';
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return 'bad http header';
  const appSecret = settings.apps.get(AppKey);
  if (appSecret === undefined) return 'appkey';
  if (!sameText(CheckSum, netEaseCheckSum(appSecret, Nonce, CurTime))) return 'checksum';
  if (Math.abs(nowMs - Number(CurTime) * 1000) > settings.maxSkewMs) return 'CurTime is expired';
  return undefined;
}

/** Strict comparison (the contract says lower-case hex), in constant time as a real server would do it. */
function sameText(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
