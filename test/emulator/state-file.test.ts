import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { APP, call } from './call.js';

/** The emulator's state in a file: what was changed is there after a restart, as the audit trail is. */
describe('emulator state file', () => {
  let dir: string;
  let statePath: string;
  const running: Emulator[] = [];
  const start = async (extra: Parameters<typeof startEmulator>[0] = {}) => {
    const emulator = await startEmulator({ apps: [APP], statePath, stateSaveDelayMs: 5, ...extra });
    running.push(emulator);
    return emulator;
  };
  const rename = (emulator: Emulator, accid: string, name: string) => call(emulator, 'user/updateUinfo.action', { accid, name });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-state-'));
    statePath = join(dir, 'data', 'emulator-state.json');
  });
  afterEach(async () => {
    for (const emulator of running.splice(0)) await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a change, a mute and a block across a restart', async () => {
    const first = await start();
    expect(first.stateFile).toEqual({ path: statePath, kept: true });
    expect((await rename(first, 'alice', 'Alice Renamed')).json()).toMatchObject({ code: 200 });
    expect((await call(first, 'user/mute.action', { accid: 'bob', mute: 'true' })).json()).toMatchObject({ code: 200 });
    await first.close();

    const second = await start();
    expect(second.getUser('alice')?.name).toBe('Alice Renamed');
    expect(second.getUser('bob')?.mute).toBe(true);
  });

  it('writes soon after a change, not only at exit, and leaves no temporary file', async () => {
    const emulator = await start();
    await rename(emulator, 'carol', 'Carol Saved');
    await expect.poll(() => existsSync(statePath) && readFileSync(statePath, 'utf8').includes('Carol Saved')).toBe(true);
    expect(readdirSync(join(dir, 'data')).sort()).toEqual(['emulator-state.json', 'emulator-state.json.lock']);
    await emulator.close();
    expect(readdirSync(join(dir, 'data'))).toEqual(['emulator-state.json']);
  });

  it('writes no file when nothing changed', async () => {
    await (await start()).close();
    expect(existsSync(statePath)).toBe(false);
  });

  it('lets one emulator keep the file; a second runs in memory only and says who holds it', async () => {
    await start();
    const second = await start();
    expect(second.stateFile).toEqual({ path: statePath, kept: false, heldBy: process.pid });
    await rename(second, 'dave', 'Only In Memory');
    await second.close();
    expect(existsSync(statePath) && readFileSync(statePath, 'utf8').includes('Only In Memory')).toBe(false);
  });

  it('takes over a lock left by a process that is gone', async () => {
    await start().then((emulator) => emulator.close());
    writeFileSync(`${statePath}.lock`, '2147483646');
    expect((await start()).stateFile?.kept).toBe(true);
  });

  it('refuses a state file it cannot read, saying how to start again', async () => {
    await start().then((emulator) => emulator.close());
    writeFileSync(statePath, '{"users": [{"accid": ""}], "qchatServers": []}');
    await expect(start()).rejects.toThrow(`delete ${statePath} to start again from the demo data`);
    expect(existsSync(`${statePath}.lock`)).toBe(false);
  });
});
