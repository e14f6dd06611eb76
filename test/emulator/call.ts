import { request } from 'undici';
import { checkSum } from '../../src/nim/sign.js';
import type { Emulator } from '../../src/emulator/types.js';

export const APP = { appKey: 'test-app', appSecret: 'test-secret' };

export type CallOptions = {
  appKey?: string;
  appSecret?: string;
  /** Seconds, as CurTime is written. @default the real clock */
  curTime?: number;
  nonce?: string;
  /** Replaces or removes (undefined) headers after signing. */
  headers?: Record<string, string | undefined>;
  method?: string;
};

export type CallResult = { status: number; text: string; json: () => Record<string, unknown> };

/** One signed form POST, as the NetEase client sends it. */
export async function call(
  emulator: Emulator,
  endpoint: string,
  form: Record<string, string> = {},
  options: CallOptions = {},
): Promise<CallResult> {
  const appKey = options.appKey ?? APP.appKey;
  const nonce = options.nonce ?? Math.random().toString(16).slice(2);
  const curTime = String(options.curTime ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
    AppKey: appKey,
    Nonce: nonce,
    CurTime: curTime,
    CheckSum: checkSum(options.appSecret ?? APP.appSecret, nonce, curTime),
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const response = await request(`${emulator.url}/${endpoint}`, {
    method: (options.method ?? 'POST') as 'POST',
    headers,
    ...(options.method && options.method !== 'POST' ? {} : { body: new URLSearchParams(form).toString() }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, text, json: () => JSON.parse(text) as Record<string, unknown> };
}
