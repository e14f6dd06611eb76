import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultBook } from './faults.js';
import { httpReply, send } from './http-io.js';
import type { EmulatorParts } from './pipeline.js';
import { BASE_PATH, handleRequest } from './pipeline.js';
import { RateLimiter } from './rate-limit.js';
import { ReceivedLog } from './received-log.js';
import { RequestIdMemory } from './request-ids.js';
import { demoSeed, parseSeed } from './seed.js';
import { openStateFile } from './state-file.js';
import { EmulatorStore } from './store.js';
import type { Emulator, EmulatorOptions } from './types.js';

export type { Emulator, EmulatorOptions } from './types.js';

/** How long a RequestId is remembered (NetEase does not say; a signature is valid for 5 minutes around CurTime). */
export const DEFAULT_REQUEST_ID_WINDOW_MS = 10 * 60_000;

export const DEMO_APP = { appKey: 'demo-app-key', appSecret: 'demo-app-secret' } as const;

/**
 * Starts a NetEase Yunxin server API look-alike on real HTTP (node:http, keep-alive on): signing, rate limit, the
 * user-card, moderation and QChat member endpoints, fault injection, and a log of what arrived.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? Date.now;
  const requestIdWindowMs = options.requestIdWindowMs ?? DEFAULT_REQUEST_ID_WINDOW_MS;
  const pendingWaits = new Set<() => void>();
  const stateFile = options.statePath ? openStateFile(options.statePath, options.stateSaveDelayMs ?? 250) : undefined;
  const store = new EmulatorStore(stateFile?.saved ?? (options.seed ? parseSeed(options.seed) : demoSeed()));
  stateFile?.watch(() => store.snapshot());
  const parts: EmulatorParts = {
    store,
    faults: new FaultBook(),
    limiter: new RateLimiter({
      limit: positive('rateLimit', options.rateLimit ?? 100),
      windowMs: positive('rateWindowMs', options.rateWindowMs ?? 1000),
      blockMs: positive('blockMs', options.blockMs ?? 10_000),
    }),
    log: new ReceivedLog(),
    auth: {
      apps: new Map((options.apps ?? [DEMO_APP]).map((app) => [app.appKey, app.appSecret])),
      maxSkewMs: options.maxSkewMs ?? 5 * 60_000,
    },
    ...(requestIdWindowMs > 0 ? { requestIds: new RequestIdMemory(requestIdWindowMs) } : {}),
    now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          pendingWaits.delete(finish);
          resolve();
        };
        const timer = setTimeout(finish, ms);
        pendingWaits.add(finish);
      }),
  };

  const server = createServer((req, res) => {
    handleRequest(parts, req, res)
      .catch((error: unknown) => {
        // A bug in the emulator, not a NetEase behaviour: make it loud in the answer rather than hang the client.
        const reply = httpReply(500);
        if (reply.kind === 'text') reply.text += `\n<!-- ${String(error)} -->`;
        send(req, res, reply);
      })
      // Any request may have changed something; the state file skips a write that would not change it.
      .finally(() => stateFile?.changed());
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      stateFile?.close();
      reject(error);
    });
    server.listen(options.port ?? 0, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}${BASE_PATH.slice(0, -1)}`,
    get received() {
      return parts.log.entries;
    },
    count: (filter) => parts.log.count(filter),
    resetCounters: () => parts.log.reset(),
    injectFault: (endpoint, fault, times) => parts.faults.inject(endpoint, fault, times),
    clearFaults: () => parts.faults.clear(),
    getUser: (accid) => {
      const card = parts.store.user(accid);
      return card && structuredClone(card);
    },
    putUser: (card) => {
      parts.store.putUser(card);
      stateFile?.changed();
    },
    getServerMember: (serverId, accid) => {
      const member = parts.store.member(serverId, accid);
      return member && structuredClone(member);
    },
    ...(stateFile
      ? { stateFile: { path: stateFile.path, kept: stateFile.kept, ...(stateFile.heldBy ? { heldBy: stateFile.heldBy } : {}) } }
      : {}),
    close: () => {
      // Idempotent: an afterEach may close what a test already closed.
      closing ??= new Promise<void>((resolve, reject) => {
        for (const finish of [...pendingWaits]) finish();
        server.close((error) => {
          stateFile?.close();
          return error ? reject(error) : resolve();
        });
        // Idle keep-alive sockets would otherwise hold close() open for seconds.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function positive(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) {
    throw new RangeError(`startEmulator: ${name} must be a positive whole number`);
  }
  return value;
}
