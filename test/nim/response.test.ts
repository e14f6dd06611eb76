import { describe, expect, it } from 'vitest';
import { NimApiError, NimAuthError, NimTransportError } from '../../src/nim/errors.js';
import { classifyAnswer, classifyFailure, parseJsonKeepingLongs } from '../../src/nim/response.js';

const endpoint = 'user/getUinfos.action';

describe('answer classification (decided from the NetEase code, not HTTP status)', () => {
  it('takes code 200 as success', () => {
    expect(classifyAnswer(endpoint, '{"code":200,"uinfos":[]}')).toMatchObject({ kind: 'ok', body: { uinfos: [] } });
  });

  it.each(['checksum', 'appkey', 'CurTime is expired', 'bad http header', 'CheckSum invalid'])(
    'reports 414 "%s" as an authentication problem, not retried',
    (desc) => {
      const outcome = classifyAnswer(endpoint, JSON.stringify({ code: 414, desc }));
      expect(outcome).toMatchObject({ kind: 'error', retryRead: false, ambiguousWrite: false });
      expect(outcome.kind === 'error' && outcome.error).toBeInstanceOf(NimAuthError);
    },
  );

  it('reports other 414s as parameter errors with code, desc and endpoint', () => {
    const outcome = classifyAnswer(endpoint, '{"code":414,"desc":"limit max accids size: 200"}');
    expect(outcome.kind === 'error' && outcome.error).toBeInstanceOf(NimApiError);
    expect(outcome.kind === 'error' && outcome.error).toMatchObject({ nimCode: 414, desc: 'limit max accids size: 200', endpoint });
  });

  it.each([500, 503, 514])('retries reads and verifies writes on code %i', (code) => {
    expect(classifyAnswer(endpoint, JSON.stringify({ code }))).toMatchObject({ retryRead: true, ambiguousWrite: true });
  });

  it('treats 431 as a write that may already be applied, and 416 as rate limited', () => {
    expect(classifyAnswer(endpoint, '{"code":431}')).toMatchObject({ retryRead: false, ambiguousWrite: true });
    expect(classifyAnswer(endpoint, '{"code":416}')).toMatchObject({ rateLimited: true, retryRead: false });
  });

  it.each([403, 404, 405, 417, 419])('reports code %i without retrying', (code) => {
    expect(classifyAnswer(endpoint, JSON.stringify({ code, desc: 'x' }))).toMatchObject({
      retryRead: false,
      ambiguousWrite: false,
      nimCode: code,
    });
  });

  it.each(['<html>', '', '[]', '{"desc":"no code"}', '{"code":"abc"}'])('treats %j as a malformed response', (text) => {
    const outcome = classifyAnswer(endpoint, text);
    expect(outcome).toMatchObject({ kind: 'error', retryRead: true, ambiguousWrite: true });
    expect(outcome.kind === 'error' && outcome.error).toMatchObject({ failure: 'malformed_response' });
  });

  it('retries gateway 5xx but not 4xx, and a refused connection is not an ambiguous write', () => {
    expect(classifyFailure(new NimTransportError(endpoint, 'http_status', 502), true)).toMatchObject({
      retryRead: true,
      ambiguousWrite: true,
    });
    expect(classifyFailure(new NimTransportError(endpoint, 'http_status', 404), true)).toMatchObject({
      retryRead: false,
      ambiguousWrite: false,
    });
    expect(classifyFailure(new NimTransportError(endpoint, 'connection'), false)).toMatchObject({ retryRead: true, ambiguousWrite: false });
    expect(classifyFailure(new NimTransportError(endpoint, 'timeout'), true)).toMatchObject({ retryRead: true, ambiguousWrite: true });
  });
});

describe('64-bit ids', () => {
  it('keeps a serverId above 2^53 exact', () => {
    const text = '{"code":200,"serverMember":{"serverId":18446744073709551615,"accid":"a","joinTime":1700000000000}}';
    expect(parseJsonKeepingLongs(text, ['serverId'])).toEqual({
      code: 200,
      serverMember: { serverId: '18446744073709551615', accid: 'a', joinTime: 1_700_000_000_000 },
    });
  });

  it('leaves the same key inside a string value alone', () => {
    const text = JSON.stringify({ custom: '{"serverId":1}', serverId: 5 });
    expect(parseJsonKeepingLongs(text, ['serverId'])).toEqual({ custom: '{"serverId":1}', serverId: '5' });
  });
});
