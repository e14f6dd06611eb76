import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator, EmulatorOptions, EmulatorSeed } from '../../src/emulator/types.js';
import { NimClient, type NimClientOptions } from '../../src/nim/client.js';
import { InputError } from '../../src/errors.js';
import { NimAuthError, NimRateLimitedError, NimTransportError, NimWriteUnconfirmedError } from '../../src/nim/errors.js';
import { LocalRateBudget } from '../../src/nim/budget/local.js';
import { rapidRetryPolicy } from '../../src/nim/retry.js';

/** The client against the real emulator on 127.0.0.1:0. */

const APP = { appKey: 'test-app-key', appSecret: 'test-app-secret-do-not-show' };
const GET = 'user/getUinfos.action';
const UPDATE = 'user/updateUinfo.action';
const MEMBER = 'qchat/updateServerMember.action';
const BIG_SERVER_ID = '18446744073709551615'; // above 2^53: JSON.parse would round it

const seed: EmulatorSeed = {
  users: [
    ...Array.from({ length: 1000 }, (_, i) => ({ accid: `user${i}`, name: `User ${i}` })),
    { accid: 'muted', name: 'Muted', mute: true, muteP2P: true, muteTeam: false, muteRoom: true, muteQChat: false },
    { accid: 'op', name: 'Operator' },
  ],
  qchatServers: [
    {
      serverId: BIG_SERVER_ID,
      members: [
        {
          accid: 'op',
          nick: 'old',
          type: 1,
          joinTime: 1_700_000_000_000,
          validFlag: 1,
          createTime: 1_700_000_000_000,
          updateTime: 1_700_000_000_000,
        },
      ],
    },
  ],
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(clientOptions: Partial<NimClientOptions> = {}, emulatorOptions: EmulatorOptions = {}) {
  const emulator = await startEmulator({ apps: [APP], seed, ...emulatorOptions });
  cleanups.push(() => emulator.close());
  const client = makeClient(emulator, clientOptions);
  return { emulator, client };
}

function makeClient(emulator: Emulator, options: Partial<NimClientOptions> = {}) {
  const client = new NimClient({ ...APP, baseUrl: emulator.url, retryPolicy: rapidRetryPolicy, ...options });
  cleanups.push(() => client.close());
  return client;
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const accids = (count: number) => Array.from({ length: count }, (_, i) => `user${i}`);
const lastForm = (emulator: Emulator, endpoint: string) => emulator.received.filter((r) => r.endpoint === endpoint).at(-1)?.form;

describe('lookups', () => {
  it.each([
    [1, 1],
    [200, 1],
    [201, 2],
    [1000, 5],
  ])('looks up %i accids in %i calls, in the caller order', async (count, calls) => {
    const { client, emulator } = await setUp();
    const wanted = accids(count).reverse();
    const lookup = await client.getUinfos(wanted);
    expect(lookup.found.map((card) => card.accid)).toEqual(wanted);
    expect(lookup.notFound).toEqual([]);
    expect(emulator.count({ endpoint: GET })).toBe(calls);
    expect(JSON.parse(emulator.received[0]!.form.accids!)).toHaveLength(Math.min(count, 200));
  });

  it('reports accids NetEase does not know as not found, and matches case-insensitively', async () => {
    const { client } = await setUp();
    const lookup = await client.getUinfos(['ghost', 'USER1', 'user1', 'nobody_else', 'User2']);
    expect(lookup.found.map((card) => [card.accid, card.name])).toEqual([
      ['user1', 'User 1'],
      ['user2', 'User 2'],
    ]);
    expect(lookup.notFound).toEqual(['ghost', 'nobody_else']);
  });

  it('asks for mute flags only when told to', async () => {
    const { client, emulator } = await setUp();
    const [withFlags] = (await client.getUinfos(['muted'], { muteStatus: true })).found;
    expect(withFlags).toMatchObject({ mute: true, muteP2P: true, muteTeam: false, muteRoom: true, muteQChat: false });
    expect(lastForm(emulator, GET)).toEqual({ accids: '["muted"]', muteStatus: 'true' });
    const [plain] = (await client.getUinfos(['muted'])).found;
    expect(plain?.muteP2P).toBeUndefined();
    expect(lastForm(emulator, GET)).toEqual({ accids: '["muted"]' });
  });

  it('retries code 500 and succeeds on the third attempt', async () => {
    const { client, emulator } = await setUp();
    emulator.injectFault(GET, { kind: 'code', code: 500, desc: 'server error' }, 2);
    await expect(client.getUinfos(['user1'])).resolves.toMatchObject({ found: [{ accid: 'user1' }] });
    expect(emulator.count({ endpoint: GET })).toBe(3);
    const nonces = new Set(emulator.received.map((r) => r.headers.Nonce));
    expect(nonces.size).toBe(3);
  });

  it('times out a slow NetEase and retries, then reports the timeout', async () => {
    const { client, emulator } = await setUp({ timeoutMs: 100 });
    emulator.injectFault(GET, { kind: 'latency', ms: 400 });
    const error = await caught(client.getUinfos(['user1']));
    expect(error).toBeInstanceOf(NimTransportError);
    expect(error).toMatchObject({ failure: 'timeout' });
    // The emulator logs a request once its (delayed) answer is due.
    await vi.waitFor(() => expect(emulator.count({ endpoint: GET })).toBe(3));
  });
});

describe('updates', () => {
  it('updates a card with exactly the fields given, and empty strings clear', async () => {
    const { client, emulator } = await setUp();
    await expect(client.updateUinfo('user7', { name: '小明', sign: 'hi 👋', gender: 1, ex: '' })).resolves.toEqual({
      confirmedByReadBack: false,
    });
    expect(lastForm(emulator, UPDATE)).toEqual({ accid: 'user7', name: '小明', sign: 'hi 👋', gender: '1', ex: '' });
    expect(emulator.getUser('user7')).toMatchObject({ name: '小明', sign: 'hi 👋', gender: 1 });
    await client.updateUinfo('user7', { name: '' });
    expect(emulator.getUser('user7')?.name ?? '').toBe('');
  });

  it('updates a QChat member card and keeps a 64-bit serverId exact', async () => {
    const { client, emulator } = await setUp();
    const member = await client.updateServerMember({ accid: 'op', serverId: BIG_SERVER_ID, nick: 'new nick', custom: '{"k":1}' });
    expect(lastForm(emulator, MEMBER)).toEqual({ accid: 'op', serverId: BIG_SERVER_ID, nick: 'new nick', custom: '{"k":1}' });
    expect(member).toMatchObject({ serverId: BIG_SERVER_ID, accid: 'op', nick: 'new nick', custom: '{"k":1}', type: 1, validFlag: 1 });
    expect(emulator.getServerMember(BIG_SERVER_ID, 'op')?.nick).toBe('new nick');
  });

  it('refuses bad input before any network call', async () => {
    const { client, emulator } = await setUp();
    await expect(client.updateUinfo('user1', { name: 'x'.repeat(65) })).rejects.toMatchObject({ field: 'name' });
    await expect(client.updateUinfo('user1', { icon: '网'.repeat(342) })).rejects.toMatchObject({ field: 'icon' });
    await expect(client.updateUinfo('user1', { gender: 3 as never })).rejects.toMatchObject({ field: 'gender' });
    await expect(client.updateServerMember({ accid: 'op', serverId: '18446744073709551616' })).rejects.toBeInstanceOf(InputError);
    await expect(client.getUinfos(['fine', 'x'.repeat(33)])).rejects.toMatchObject({ field: 'accids', value: 'x'.repeat(33) });
    expect(emulator.received).toHaveLength(0);
  });

  it('does not repeat a write after code 500; reading back shows it was not applied', async () => {
    const { client, emulator } = await setUp();
    emulator.injectFault(UPDATE, { kind: 'code', code: 500 }, 1);
    const error = await caught(client.updateUinfo('user3', { name: 'Changed' }));
    expect(error).toBeInstanceOf(NimWriteUnconfirmedError);
    expect(error).toMatchObject({ inPlace: false });
    expect(emulator.count({ endpoint: UPDATE })).toBe(1);
    expect(emulator.count({ endpoint: GET })).toBe(1);
    expect(emulator.getUser('user3')?.name).toBe('User 3');
  });

  it('confirms by reading back a write applied whose answer was lost (code 500 after apply)', async () => {
    const { client, emulator } = await setUp();
    emulator.injectFault(UPDATE, { kind: 'code', code: 500, afterApply: true }, 1);
    await expect(client.updateUinfo('user3', { name: 'Changed' })).resolves.toEqual({ confirmedByReadBack: true });
    expect(emulator.count({ endpoint: UPDATE })).toBe(1);
  });

  it('sends a RequestId with every write, a new one per write, and none with reads', async () => {
    const { client, emulator } = await setUp();
    await client.updateUinfo('user5', { name: 'One' });
    await client.updateServerMember({ accid: 'op', serverId: BIG_SERVER_ID, nick: 'two' });
    await client.getUinfos(['user5']);
    const ids = emulator.received.filter((r) => r.endpoint !== GET).map((r) => r.headers.RequestId);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(2);
    expect(emulator.received.find((r) => r.endpoint === GET)?.headers.RequestId).toBeUndefined();
  });

  it('a write NetEase has already seen (same RequestId) is answered 431 and not applied twice; reading back settles it', async () => {
    const { client, emulator } = await setUp({ newRequestId: () => 'the-same-write' });
    await client.updateUinfo('user6', { name: 'First' });
    // The same RequestId again, as a replay of that write would carry: 431, nothing applied, the read-back decides.
    await expect(client.updateUinfo('user6', { name: 'First' })).resolves.toEqual({ confirmedByReadBack: true });
    const error = await caught(client.updateUinfo('user6', { name: 'Second' }));
    expect(error).toMatchObject({ code: 'nim_write_unconfirmed', inPlace: false });
    expect(emulator.received.filter((r) => r.endpoint === UPDATE).map((r) => r.answeredCode)).toEqual([200, 431, 431]);
    expect(emulator.getUser('user6')?.name).toBe('First');
  });

  it('confirms a write whose answer timed out after it was applied', async () => {
    const { client, emulator } = await setUp({ timeoutMs: 100 });
    emulator.injectFault(UPDATE, { kind: 'latency', ms: 300, afterApply: true }, 1);
    await expect(client.updateUinfo('user4', { sign: 'slow' })).resolves.toEqual({ confirmedByReadBack: true });
    // The emulator logs a request once it has answered it, here after the injected 300 ms. A second send would have
    // come before updateUinfo resolved and been answered at once: once the first is logged, it would be there too.
    await expect.poll(() => emulator.count({ endpoint: UPDATE }), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    expect(emulator.count({ endpoint: UPDATE })).toBe(1);
  });

  it('settles an ambiguous QChat update by reading the member back: not applied, or applied', async () => {
    const { client, emulator } = await setUp();
    emulator.injectFault(MEMBER, { kind: 'drop_connection' }, 1);
    await expect(client.updateServerMember({ accid: 'op', serverId: BIG_SERVER_ID, nick: 'x' })).rejects.toMatchObject({
      code: 'nim_write_unconfirmed',
      inPlace: false,
    });
    emulator.injectFault(MEMBER, { kind: 'drop_connection', afterApply: true }, 1);
    await expect(client.updateServerMember({ accid: 'op', serverId: BIG_SERVER_ID, nick: 'y' })).resolves.toMatchObject({
      serverId: BIG_SERVER_ID,
      nick: 'y',
      confirmedByReadBack: true,
    });
    expect(emulator.count({ endpoint: MEMBER })).toBe(2);
  });

  it('reads one QChat member: found on a later page, not a member, or an unknown server', async () => {
    const { client, emulator } = await setUp();
    await expect(client.getServerMember({ serverId: BIG_SERVER_ID, accid: 'OP' })).resolves.toMatchObject({
      kind: 'member',
      member: { serverId: BIG_SERVER_ID, accid: 'op', nick: 'old', type: 1 },
    });
    await expect(client.getServerMember({ serverId: BIG_SERVER_ID, accid: 'user1' })).resolves.toEqual({ kind: 'not_member' });
    await expect(client.getServerMember({ serverId: '42', accid: 'op' })).rejects.toMatchObject({ nimCode: 404 });
    expect(emulator.received.filter((r) => r.endpoint === 'qchat/getServerMemberListPage.action')[0]?.form).toEqual({
      serverId: BIG_SERVER_ID,
      accid: 'OP',
      timetag: '0',
      limit: '1',
    });
  });
});

describe('credentials and clock', () => {
  it('reports a wrong secret as an auth problem, without retrying', async () => {
    const { emulator } = await setUp();
    const client = makeClient(emulator, { appSecret: 'wrong-secret' });
    const error = await caught(client.getUinfos(['user1']));
    expect(error).toBeInstanceOf(NimAuthError);
    expect(error).toMatchObject({ nimCode: 414, desc: 'checksum' });
    expect(emulator.count()).toBe(1);
  });

  it('reports a clock 10 minutes off as an auth problem', async () => {
    const { emulator } = await setUp();
    const client = makeClient(emulator, { now: () => Date.now() - 10 * 60_000 });
    await expect(client.getUinfos(['user1'])).rejects.toMatchObject({ code: 'nim_auth_error', desc: 'CurTime is expired' });
  });
});

describe('rate limit', () => {
  it('after a 416 sends nothing during the cool-down, then resumes', async () => {
    const rateBudget = new LocalRateBudget({ ratePerSecond: 100, coolDownMs: 300, coolDownJitterMs: 0 });
    cleanups.push(() => rateBudget.close());
    const { client, emulator } = await setUp({ rateBudget });
    emulator.injectFault(GET, { kind: 'code', code: 416, desc: 'rate limited' }, 1);
    const first = await caught(client.getUinfos(['user1']));
    expect(first).toBeInstanceOf(NimRateLimitedError);
    expect((first as NimRateLimitedError).retryAfterMs).toBeGreaterThan(200);
    await expect(Promise.all([client.getUinfos(['user2']), client.getUinfos(['user3'])])).resolves.toHaveLength(2);
    const [blocked, ...later] = emulator.received;
    for (const request of later) expect(request.receivedAt - blocked!.receivedAt).toBeGreaterThanOrEqual(290);
  });

  it('tripping the real limit blocks every caller for the cool-down, not just one request', async () => {
    const rateBudget = new LocalRateBudget({ ratePerSecond: 200, coolDownMs: 400, coolDownJitterMs: 0 });
    cleanups.push(() => rateBudget.close());
    let firstBlockSeenAt = Number.POSITIVE_INFINITY;
    const { client, emulator } = await setUp(
      {
        rateBudget,
        // The nonce carries the moment (sub-millisecond) each request was signed, i.e. sent.
        nonce: () => `${performance.now().toFixed(3)}x${Math.random().toString(16).slice(2)}`,
        onCall: (event) => {
          if (event.nimCode === 416) firstBlockSeenAt = Math.min(firstBlockSeenAt, performance.now());
        },
      },
      { rateLimit: 10, rateWindowMs: 200, blockMs: 300 },
    );
    const results = await Promise.all(accids(30).map((accid) => caught(client.getUinfos([accid]))));
    expect(results.filter((r) => r instanceof NimRateLimitedError).length).toBeGreaterThan(0);
    const sentAt = (nonce: string | undefined) => Number(nonce?.split('x')[0]);
    const sentDuringCoolDown = emulator.received.filter(
      (r) => sentAt(r.headers.Nonce) >= firstBlockSeenAt && sentAt(r.headers.Nonce) < firstBlockSeenAt + 390,
    );
    expect(sentDuringCoolDown).toEqual([]);
    expect(rateBudget.stats().coolDowns).toBeGreaterThanOrEqual(1);
    // This budget (200/s) is above the emulator's limit on purpose, so blocks may repeat; once they are over:
    await new Promise((resolve) => setTimeout(resolve, rateBudget.stats().coolDownRemainingMs + 350));
    await expect(client.getUinfos(['user1'])).resolves.toMatchObject({ found: [{ accid: 'user1' }] });
  });
});

describe('concurrency', () => {
  it('an update is not kept waiting behind lookups hanging on a slow NetEase', async () => {
    const { emulator, client } = await setUp({ concurrency: 2, timeoutMs: 10_000 });
    emulator.injectFault(GET, { kind: 'latency', ms: 1500 });
    const finished: string[] = [];
    const lookups = [1, 2, 3, 4].map((i) => client.getUinfos([`user${i}`]).then(() => finished.push(`lookup ${i}`)));
    const update = client.updateServerMember({ accid: 'op', serverId: BIG_SERVER_ID, nick: 'on call' }).then(() => finished.push('update'));
    await Promise.all([...lookups, update]);
    // With one shared cap of 2, the update would queue behind the four hanging lookups and finish last.
    expect(finished[0]).toBe('update');
  });
});

describe('fail-over', () => {
  it('moves to the backup URL when the primary refuses connections', async () => {
    const { emulator } = await setUp();
    const client = makeClient(emulator, { baseUrl: `http://127.0.0.1:${await closedPort()}/nimserver`, backupBaseUrl: emulator.url });
    await expect(client.getUinfos(['user1'])).resolves.toMatchObject({ found: [{ accid: 'user1' }] });
    await expect(client.updateUinfo('user1', { name: 'via backup' })).resolves.toEqual({ confirmedByReadBack: false });
    expect(emulator.getUser('user1')?.name).toBe('via backup');
  });
});

describe('secrets', () => {
  it('never shows the AppSecret or a CheckSum in any error', async () => {
    const rateBudget = new LocalRateBudget({ ratePerSecond: 100, coolDownMs: 1, coolDownJitterMs: 0 });
    cleanups.push(() => rateBudget.close());
    const { client, emulator } = await setUp({ rateBudget, timeoutMs: 100, retryPolicy: { ...rapidRetryPolicy, maxAttempts: 1 } });
    const errors: unknown[] = [];
    errors.push(await caught(makeClient(emulator, { appSecret: `${APP.appSecret}-wrong` }).getUinfos(['user1'])));
    emulator.injectFault(GET, { kind: 'code', code: 416 }, 1);
    errors.push(await caught(client.getUinfos(['user1'])));
    await new Promise((resolve) => setTimeout(resolve, 5));
    emulator.injectFault(GET, { kind: 'latency', ms: 300 }, 1);
    errors.push(await caught(client.getUinfos(['user1'])));
    emulator.injectFault(GET, { kind: 'drop_connection' }, 1);
    errors.push(await caught(client.getUinfos(['user1'])));
    emulator.injectFault(UPDATE, { kind: 'code', code: 500 }, 1);
    errors.push(await caught(client.updateUinfo('user1', { name: 'n' })));
    errors.push(await caught(client.updateServerMember({ accid: 'op', serverId: '404' })));
    errors.push(await caught(client.updateUinfo('user1', { name: 'n'.repeat(99) })));
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual([
      'nim_auth_error',
      'nim_rate_limited',
      'nim_transport_error',
      'nim_transport_error',
      'nim_write_unconfirmed',
      'nim_api_error',
      'input_error',
    ]);
    const checkSums = emulator.received.map((r) => r.headers.CheckSum).filter((c): c is string => Boolean(c));
    expect(checkSums.length).toBeGreaterThan(4);
    for (const shown of [...errors, client].map(
      (e) => `${JSON.stringify(e)}\n${inspect(e, { depth: 10, showHidden: true })}\n${String(e)}`,
    )) {
      expect(shown).not.toContain(APP.appSecret);
      for (const sum of checkSums) expect(shown).not.toContain(sum);
    }
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
