import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { NimCallEvent } from '../../src/nim/call.js';
import { createNimClient, NimClient, type NimClientOptions } from '../../src/nim/client.js';
import { InputError } from '../../src/errors.js';
import { NimApiError, NimRateLimitedError, NimTransportError, NimWriteUnconfirmedError } from '../../src/nim/errors.js';
import { LocalRateBudget } from '../../src/nim/budget/local.js';
import { rapidRetryPolicy } from '../../src/nim/retry.js';
import { checkSum } from '../../src/nim/sign.js';
import { type StubReply, type StubRequest, startStub } from './stub-server.js';

/**
 * The client's own behaviour against a scripted server (exact replies, connection drops, delays).
 * The emulator tests (emulator.test.ts) cover the NetEase contract end to end.
 */

const SECRET = 'stub-app-secret-never-shown';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(reply: (request: StubRequest, index: number) => StubReply, options: Partial<NimClientOptions> = {}) {
  const stub = await startStub(reply);
  const events: NimCallEvent[] = [];
  const client = new NimClient({
    appKey: 'stub-key',
    appSecret: SECRET,
    baseUrl: stub.url,
    retryPolicy: rapidRetryPolicy,
    timeoutMs: 500,
    onCall: (event) => events.push(event),
    ...options,
  });
  cleanups.push(
    () => stub.close(),
    () => client.close(),
  );
  return { stub, client, events };
}

const cards = (request: StubRequest, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    code: 200,
    uinfos: (JSON.parse(request.form.accids ?? '[]') as string[]).map((accid) => ({ accid: accid.toLowerCase(), ...extra })),
  });

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('reads', () => {
  it('retries code 500 and signs every attempt afresh', async () => {
    const { client, stub, events } = await setUp((request, index) =>
      index < 2 ? { body: '{"code":500,"desc":"server error"}' } : { body: cards(request) },
    );
    const lookup = await client.getUinfos(['alice']);
    expect(lookup.found).toEqual([{ accid: 'alice' }]);
    expect(stub.received).toHaveLength(3);
    const nonces = new Set(stub.received.map((r) => r.headers.Nonce));
    expect(nonces.size).toBe(3);
    for (const { headers } of stub.received) {
      expect(headers.CheckSum).toBe(checkSum(SECRET, headers.Nonce!, headers.CurTime!));
      expect(headers.CurTime).toMatch(/^\d{10}$/);
    }
    expect(events.map((e) => [e.attempt, e.nimCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
  });

  it('gives up after 3 attempts with the last NetEase error', async () => {
    const { client, stub } = await setUp(() => ({ body: '{"code":503,"desc":"busy"}' }));
    const error = await caught(client.getUinfos(['alice']));
    expect(error).toBeInstanceOf(NimApiError);
    expect(error).toMatchObject({ nimCode: 503, desc: 'busy', endpoint: 'user/getUinfos.action' });
    expect(stub.received).toHaveLength(3);
  });

  it('retries a dropped connection, a gateway 502 and a malformed body', async () => {
    const replies: StubReply[] = [{ destroy: true }, { status: 502, body: 'bad gateway' }, { body: '<html>' }];
    const { client, stub } = await setUp((request, index) => replies[index] ?? { body: cards(request) });
    await expect(client.getUinfos(['a'])).rejects.toMatchObject({ failure: 'malformed_response' });
    expect(stub.received).toHaveLength(3);
  });

  it('does not retry a parameter error', async () => {
    const { client, stub } = await setUp(() => ({ body: '{"code":414,"desc":"limit max accids size: 200"}' }));
    await expect(client.getUinfos(['a'])).rejects.toBeInstanceOf(NimApiError);
    expect(stub.received).toHaveLength(1);
  });

  it('reports a card NetEase sent in an unexpected shape as malformed', async () => {
    const { client } = await setUp(() => ({ body: '{"code":200,"uinfos":[{"name":"no accid"}]}' }));
    await expect(client.getUinfos(['a'])).rejects.toMatchObject({ failure: 'malformed_response' });
  });

  it('times out a slow answer and says so', async () => {
    const { client } = await setUp(() => ({ delayMs: 300 }), { timeoutMs: 50, retryPolicy: { ...rapidRetryPolicy, maxAttempts: 1 } });
    const error = await caught(client.getUinfos(['a']));
    expect(error).toBeInstanceOf(NimTransportError);
    expect(error).toMatchObject({ failure: 'timeout' });
  });
});

describe('writes', () => {
  const ambiguous = { body: '{"code":500,"desc":"server error"}' };

  it('sends the exact fields once and returns unconfirmed-free success', async () => {
    const { client, stub } = await setUp(() => ({ body: '{"code":200}' }));
    await expect(client.updateUinfo('Alice', { name: 'Al', sign: '', gender: 2 })).resolves.toEqual({ confirmedByReadBack: false });
    expect(stub.received.map((r) => [r.endpoint, r.form])).toEqual([
      ['user/updateUinfo.action', { accid: 'Alice', name: 'Al', sign: '', gender: '2' }],
    ]);
  });

  it('after code 500 reads back instead of sending again, and confirms when the change is in place', async () => {
    const { client, stub } = await setUp((request) =>
      request.endpoint === 'user/updateUinfo.action' ? ambiguous : { body: cards(request, { name: 'Al', gender: 2 }) },
    );
    await expect(client.updateUinfo('alice', { name: 'Al', sign: '', gender: 2 })).resolves.toEqual({ confirmedByReadBack: true });
    expect(stub.received.map((r) => r.endpoint)).toEqual(['user/updateUinfo.action', 'user/getUinfos.action']);
  });

  it('reports inPlace false when the read-back shows the old card', async () => {
    const { client, stub } = await setUp((request) =>
      request.endpoint === 'user/updateUinfo.action' ? { body: '{"code":431}' } : { body: cards(request, { name: 'Old' }) },
    );
    const error = await caught(client.updateUinfo('alice', { name: 'New' }));
    expect(error).toBeInstanceOf(NimWriteUnconfirmedError);
    expect(error).toMatchObject({ inPlace: false });
    expect((error as Error).cause).toMatchObject({ nimCode: 431 });
    expect(stub.received.filter((r) => r.endpoint === 'user/updateUinfo.action')).toHaveLength(1);
  });

  it("reports inPlace 'unknown' when the read-back fails too", async () => {
    const { client } = await setUp(() => ({ destroy: true }));
    const error = await caught(client.updateUinfo('alice', { name: 'New' }));
    expect(error).toMatchObject({ code: 'nim_write_unconfirmed', inPlace: 'unknown' });
  });

  it('does not read back after a clear refusal', async () => {
    const { client, stub } = await setUp(() => ({ body: '{"code":404,"desc":"account not exist"}' }));
    await expect(client.updateUinfo('ghost', { name: 'x' })).rejects.toMatchObject({ nimCode: 404 });
    expect(stub.received).toHaveLength(1);
  });

  it("reports an ambiguous QChat update as 'unknown' when the member cannot be read back either, and never resends it", async () => {
    const { client, stub } = await setUp(() => ({ delayMs: 200 }), { timeoutMs: 50 });
    const error = await caught(client.updateServerMember({ accid: 'op', serverId: '1', nick: 'n' }));
    expect(error).toMatchObject({ code: 'nim_write_unconfirmed', inPlace: 'unknown' });
    expect((error as Error).cause).toMatchObject({ failure: 'timeout' });
    const endpoints = stub.received.map((r) => r.endpoint);
    expect(endpoints.filter((e) => e === 'qchat/updateServerMember.action')).toHaveLength(1);
    expect(endpoints.slice(1).every((e) => e === 'qchat/getServerMemberListPage.action')).toBe(true);
  });

  it('checks every field before any network call', async () => {
    const { client, stub } = await setUp(() => ({ body: '{"code":200}' }));
    await expect(client.updateUinfo('alice', { icon: '网'.repeat(342) })).rejects.toBeInstanceOf(InputError);
    await expect(client.updateServerMember({ accid: 'op', serverId: '18446744073709551616' })).rejects.toMatchObject({ field: 'serverId' });
    await expect(client.getUinfos(['ok', 'not ok'])).rejects.toMatchObject({ field: 'accids', value: 'not ok' });
    expect(stub.received).toHaveLength(0);
  });
});

describe('rate limiting', () => {
  it('a 416 fails the call with when to retry and holds every other caller for the cool-down', async () => {
    const rateBudget = new LocalRateBudget({ ratePerSecond: 50, coolDownMs: 200, coolDownJitterMs: 0 });
    const { client, stub } = await setUp(
      (request, index) => (index === 0 ? { body: '{"code":416,"desc":"rate limited"}' } : { body: cards(request) }),
      { rateBudget },
    );
    const error = await caught(client.getUinfos(['a']));
    expect(error).toBeInstanceOf(NimRateLimitedError);
    expect((error as NimRateLimitedError).retryAfterMs).toBeGreaterThan(150);
    const started = Date.now();
    await client.getUinfos(['b']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(stub.received).toHaveLength(2);
    expect(rateBudget.stats().coolDowns).toBe(1);
    await rateBudget.close();
  });
});

describe('auth and secrets', () => {
  it('turns an auth 414 into NimAuthError and never shows the secret or a CheckSum', async () => {
    const replies: StubReply[] = [
      { body: '{"code":414,"desc":"checksum"}' },
      { body: '{"code":416}' },
      { body: '{"code":404,"desc":"no"}' },
      { destroy: true },
      { delayMs: 300 },
      { body: '{"code":500}' },
    ];
    const logged: unknown[] = [];
    const record = (obj: object, msg?: string) => void logged.push(obj, msg);
    const { client, stub } = await setUp((_request, index) => replies[index] ?? { body: '{"code":500}' }, {
      logger: { debug: record, info: record, warn: record, error: record },
      retryPolicy: { ...rapidRetryPolicy, maxAttempts: 1 },
      rateBudget: new LocalRateBudget({ ratePerSecond: 100, coolDownMs: 1, coolDownJitterMs: 0 }),
      timeoutMs: 50,
    });
    const errors: unknown[] = [];
    errors.push(await caught(client.getUinfos(['a'])));
    errors.push(await caught(client.getUinfos(['a'])));
    await new Promise((resolve) => setTimeout(resolve, 5));
    errors.push(await caught(client.getUinfos(['a'])));
    errors.push(await caught(client.getUinfos(['a'])));
    errors.push(await caught(client.getUinfos(['a'])));
    errors.push(await caught(client.updateServerMember({ accid: 'a', serverId: '1' })));
    errors.push(await caught(client.updateUinfo('a', { name: 'x'.repeat(65) })));
    expect(errors.map((e) => (e as { code: string }).code)).toEqual([
      'nim_auth_error',
      'nim_rate_limited',
      'nim_api_error',
      'nim_transport_error',
      'nim_transport_error',
      'nim_write_unconfirmed',
      'input_error',
    ]);
    const checkSums = stub.received.map((r) => r.headers.CheckSum!);
    expect(logged.length).toBeGreaterThan(5);
    for (const error of [...errors, client, logged]) {
      const shown = [JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), String(error)].join('\n');
      expect(shown).not.toContain(SECRET);
      for (const sum of checkSums) expect(shown).not.toContain(sum);
    }
  });
});

describe('createNimClient', () => {
  it('builds a working client from the settings', async () => {
    const stub = await startStub((request) => ({ body: cards(request) }));
    cleanups.push(() => stub.close());
    const client = createNimClient(
      { mode: 'netease', appKey: 'k', appSecret: SECRET, baseUrl: stub.url, rateLimit: 5, timeoutMs: 1000, replicas: 1 },
      {},
    );
    cleanups.push(() => client.close());
    await expect(client.getUinfos(['a'])).resolves.toMatchObject({ found: [{ accid: 'a' }] });
    expect(client.rateBudget.stats()).toMatchObject({ queued: 0, coolDowns: 0 });
  });
});

describe('metrics hook', () => {
  it('reports endpoint, code or failure, duration and attempt for every call', async () => {
    const { client, events } = await setUp((request, index) => (index === 0 ? { destroy: true } : { body: cards(request) }));
    await client.getUinfos(['a'], { correlationId: 'req-1' });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ endpoint: 'user/getUinfos.action', attempt: 1, failure: 'connection', correlationId: 'req-1' });
    expect(events[1]).toMatchObject({ attempt: 2, nimCode: 200, usedBackup: false });
    expect(events[1]!.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe('fail-over', () => {
  async function closedPortUrl(): Promise<string> {
    const { url, close } = await startStub(() => ({}));
    await close();
    return url;
  }

  it('moves to the backup URL when the primary refuses connections, writes included', async () => {
    const backup = await startStub((request) => (request.endpoint.includes('getUinfos') ? { body: cards(request) } : {}));
    cleanups.push(() => backup.close());
    const events: NimCallEvent[] = [];
    const client = new NimClient({
      appKey: 'k',
      appSecret: SECRET,
      baseUrl: await closedPortUrl(),
      backupBaseUrl: backup.url,
      onCall: (event) => events.push(event),
    });
    cleanups.push(() => client.close());
    await expect(client.getUinfos(['a'])).resolves.toMatchObject({ found: [{ accid: 'a' }] });
    await expect(client.updateUinfo('a', { name: 'x' })).resolves.toEqual({ confirmedByReadBack: false });
    expect(backup.received.map((r) => r.endpoint)).toEqual(['user/getUinfos.action', 'user/updateUinfo.action']);
    // The write's RequestId went with it to the backup (NetEase de-duplicates by it across hosts).
    expect(backup.received[1]?.headers.RequestId).toMatch(/^[0-9a-f]{32}$/);
    expect(events.every((e) => e.usedBackup)).toBe(true);
  });

  it('without a backup, reports the refused connection', async () => {
    const client = new NimClient({ appKey: 'k', appSecret: SECRET, baseUrl: await closedPortUrl(), retryPolicy: rapidRetryPolicy });
    cleanups.push(() => client.close());
    await expect(client.getUinfos(['a'])).rejects.toMatchObject({ code: 'nim_transport_error', failure: 'connection' });
    await expect(client.updateUinfo('a', { name: 'x' })).rejects.toMatchObject({ failure: 'connection' });
  });

  it('does not fail over on a timeout (the primary may have the request)', async () => {
    const primary = await startStub(() => ({ delayMs: 300 }));
    const backup = await startStub(() => ({ body: '{"code":200}' }));
    cleanups.push(
      () => primary.close(),
      () => backup.close(),
    );
    const client = new NimClient({
      appKey: 'k',
      appSecret: SECRET,
      baseUrl: primary.url,
      backupBaseUrl: backup.url,
      timeoutMs: 50,
      retryPolicy: rapidRetryPolicy,
    });
    cleanups.push(() => client.close());
    await expect(client.updateServerMember({ accid: 'a', serverId: '1' })).rejects.toMatchObject({ inPlace: 'unknown' });
    expect(backup.received).toHaveLength(0);
  });
});
