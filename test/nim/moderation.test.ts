import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';
import type { Emulator, EmulatorSeed } from '../../src/emulator/types.js';
import { NimClient, type NimClientOptions } from '../../src/nim/client.js';
import { InputError } from '../../src/errors.js';
import { NimAccountNotFoundError, NimApiError, NimRateLimitedError, NimWriteUnconfirmedError } from '../../src/nim/errors.js';
import { rapidRetryPolicy } from '../../src/nim/retry.js';

/** The moderation endpoint family of the client against the real emulator on 127.0.0.1:0. */

const APP = { appKey: 'test-app-key', appSecret: 'test-app-secret' };
const MUTE = 'user/mute.action';
const MODULE = 'user/muteModule.action';
const BLOCK = 'user/block.action';
const UNBLOCK = 'user/unblock.action';
const GET = 'user/getUinfos.action';

const seed: EmulatorSeed = {
  users: [
    { accid: 'spammer', name: 'Spam' },
    { accid: 'quiet', name: 'Quiet', muteTeam: true },
  ],
  qchatServers: [],
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: Partial<NimClientOptions> = {}) {
  const emulator = await startEmulator({ apps: [APP], seed });
  const client = new NimClient({ ...APP, baseUrl: emulator.url, retryPolicy: rapidRetryPolicy, ...options });
  cleanups.push(
    () => emulator.close(),
    () => client.close(),
  );
  return { emulator, client };
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const sent = (emulator: Emulator, endpoint: string) => emulator.received.filter((r) => r.endpoint === endpoint);

describe('mutes', () => {
  it('mutes and unmutes globally; the card shows it', async () => {
    const { emulator, client } = await setUp();
    expect(await client.setGlobalMute('Spammer', true)).toEqual({ confirmedByReadBack: false });
    expect(emulator.getUser('spammer')?.mute).toBe(true);
    expect(sent(emulator, MUTE).map((r) => r.form)).toEqual([{ accid: 'Spammer', mute: 'true' }]);
    await client.setGlobalMute('spammer', false);
    expect(emulator.getUser('spammer')?.mute).toBe(false);
  });

  it('sends only the modules named and returns all four flags from the answer', async () => {
    const { emulator, client } = await setUp();
    const result = await client.setModuleMutes('quiet', { muteP2P: true, muteRoom: true });
    expect(result).toEqual({ confirmedByReadBack: false, modules: { muteP2P: true, muteTeam: true, muteRoom: true, muteQChat: false } });
    expect(sent(emulator, MODULE).map((r) => r.form)).toEqual([{ accid: 'quiet', muteP2P: 'true', muteRoom: 'true' }]);
  });

  it('refuses a module mute naming no module before any call', async () => {
    const { emulator, client } = await setUp();
    const error = await caught(client.setModuleMutes('quiet', {}));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ field: 'modules' });
    expect(emulator.count()).toBe(0);
  });
});

describe('blocks', () => {
  it('blocks with needkick and a device message, and unblocks', async () => {
    const { emulator, client } = await setUp();
    await client.blockAccount('spammer', { needkick: true, kickNotifyExt: '{"why":"spam"}' });
    expect(sent(emulator, BLOCK).map((r) => r.form)).toEqual([{ accid: 'spammer', needkick: 'true', kickNotifyExt: '{"why":"spam"}' }]);
    expect(emulator.getUser('spammer')?.valid).toBe(false);
    await client.unblockAccount('spammer');
    expect(emulator.getUser('spammer')?.valid).toBe(true);
  });

  it('sends needkick=false by default and no empty device message', async () => {
    const { emulator, client } = await setUp();
    await client.blockAccount('spammer', { kickNotifyExt: '' });
    expect(sent(emulator, BLOCK).map((r) => r.form)).toEqual([{ accid: 'spammer', needkick: 'false' }]);
  });

  it('refuses a device message over 256 characters, naming the field and the length, before any call', async () => {
    const { emulator, client } = await setUp();
    const error = await caught(client.blockAccount('spammer', { needkick: true, kickNotifyExt: 'é'.repeat(257) }));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ field: 'kickNotifyExt', rule: 'at most 256 characters (this is 257)' });
    expect(emulator.count()).toBe(0);
  });

  it.each(['', 'has space', 'x'.repeat(33)])('refuses the accid %j before any call', async (accid) => {
    const { emulator, client } = await setUp();
    await expect(client.blockAccount(accid)).rejects.toBeInstanceOf(InputError);
    await expect(client.setGlobalMute(accid, true)).rejects.toBeInstanceOf(InputError);
    expect(emulator.count()).toBe(0);
  });
});

describe('an account NetEase does not know', () => {
  it.each([
    ['mute', (c: NimClient) => c.setGlobalMute('ghost', true)],
    ['muteModule', (c: NimClient) => c.setModuleMutes('ghost', { muteQChat: true })],
    ['block', (c: NimClient) => c.blockAccount('ghost', { needkick: true })],
    ['unblock', (c: NimClient) => c.unblockAccount('ghost')],
  ])('%s throws NimAccountNotFoundError with NetEase code and desc, sent once', async (_name, act) => {
    const { emulator, client } = await setUp();
    const error = await caught(act(client));
    expect(error).toBeInstanceOf(NimAccountNotFoundError);
    expect(error).toBeInstanceOf(NimApiError);
    expect(error).toMatchObject({ accid: 'ghost', nimCode: 414, desc: 'ghost is not registered' });
    expect(emulator.count()).toBe(1);
  });
});

describe('unclear outcomes', () => {
  it('a block applied but whose answer was lost is confirmed by reading the card back with muteStatus, never sent twice', async () => {
    const { emulator, client } = await setUp();
    emulator.injectFault(BLOCK, { kind: 'drop_connection', afterApply: true }, 1);
    expect(await client.blockAccount('spammer', { needkick: true })).toEqual({ confirmedByReadBack: true });
    expect(sent(emulator, BLOCK)).toHaveLength(1);
    expect(sent(emulator, GET).map((r) => r.form)).toEqual([{ accids: '["spammer"]', muteStatus: 'true' }]);
  });

  it('a module mute confirmed by read-back reports the flags read back', async () => {
    const { emulator, client } = await setUp();
    emulator.injectFault(MODULE, { kind: 'code', code: 500, afterApply: true }, 1);
    const result = await client.setModuleMutes('quiet', { muteQChat: true });
    expect(result).toEqual({ confirmedByReadBack: true, modules: { muteP2P: false, muteTeam: true, muteRoom: false, muteQChat: true } });
    expect(sent(emulator, MODULE)).toHaveLength(1);
  });

  it('a mute that never arrived is reported as not applied, and not sent again', async () => {
    const { emulator, client } = await setUp();
    emulator.injectFault(MUTE, { kind: 'code', code: 503 }, 1);
    const error = await caught(client.setGlobalMute('spammer', true));
    expect(error).toBeInstanceOf(NimWriteUnconfirmedError);
    expect(error).toMatchObject({ inPlace: false });
    expect(sent(emulator, MUTE)).toHaveLength(1);
    expect(emulator.getUser('spammer')?.mute).toBe(false);
  });

  it('an unblock timing out is settled by the read-back', async () => {
    const { emulator, client } = await setUp({ timeoutMs: 150 });
    await client.blockAccount('spammer');
    emulator.injectFault(UNBLOCK, { kind: 'latency', ms: 400, afterApply: true }, 1);
    expect(await client.unblockAccount('spammer')).toEqual({ confirmedByReadBack: true });
    expect(emulator.getUser('spammer')?.valid).toBe(true);
    // The unblock is logged when its delayed answer leaves; the read-back went out before that.
    expect(sent(emulator, GET).at(-1)?.form).toEqual({ accids: '["spammer"]', muteStatus: 'true' });
  });

  it('a 416 is a rate-limit error for the caller, not retried', async () => {
    const { emulator, client } = await setUp();
    emulator.injectFault(MUTE, { kind: 'code', code: 416, desc: 'api freq control' }, 1);
    const error = await caught(client.setGlobalMute('spammer', true));
    expect(error).toBeInstanceOf(NimRateLimitedError);
    expect(sent(emulator, MUTE)).toHaveLength(1);
  });
});
