import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allowedAttributes, allowedTags } from '../../src/simulator/render/view-node.js';
import { isLoopback } from '../../src/simulator/sim-http.js';
import { simPages, startSimServer } from '../../src/simulator/sim-server.js';
import { startSlackApi, type SlackApi } from '../../src/simulator/slack-api.js';
import { createSimulator, type Simulator } from '../../src/simulator/simulator.js';
import { Workspace } from '../../src/simulator/workspace.js';

const people = [{ id: 'U0ADMIN', name: 'Ada Admin', role: 'admin' as const }];

let slack: SlackApi;
let simulator: Simulator;
let server: { url: string; close(): Promise<void> };

beforeEach(async () => {
  slack = await startSlackApi({ people });
  const workspace = new Workspace(people, [{ id: 'C0GENERAL', name: 'general' }], 'U0IMADMINBOT');
  // No app behind it: plain messages never reach one, and these tests do not send commands.
  simulator = createSimulator({ workspace, slackApi: slack, app: { eventsUrl: 'http://127.0.0.1:9/slack/events', signingSecret: 's' } });
  server = await startSimServer(simPages(simulator, { defaultUser: 'U0ADMIN', defaultChannel: 'C0GENERAL', examples: ['/im-user alice'] }));
});

afterEach(async () => {
  simulator.stop();
  await server.close();
  await slack.close();
});

/** This machine's first non-loopback IPv4 address, to connect from something other than loopback; undefined without one. */
function outwardAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
}

/** A raw request, so the Host and Origin headers are exactly what a hostile page or a rebinding DNS name would send. */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the simulator page server', () => {
  it('serves the page with a strict content security policy', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('/sim/app.js');
  });

  it('streams what the chosen person sees, and again after a change', async () => {
    const response = await fetch(`${server.url}/sim/events?user=U0ADMIN`);
    const reader = response.body!.getReader();
    const next = async () =>
      JSON.parse(new TextDecoder().decode((await reader.read()).value as Uint8Array).replace(/^data: /, '')) as {
        me: string;
        messages: unknown[];
        examples: string[];
      };
    const first = await next();
    expect(first).toMatchObject({ me: 'U0ADMIN', messages: [], examples: ['/im-user alice'] });
    await fetch(`${server.url}/sim/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'U0ADMIN', channel: 'C0GENERAL', text: 'hello everyone' }),
    });
    expect((await next()).messages).toHaveLength(1);
    await reader.cancel();
  });

  it('refuses requests for another host name (DNS rebinding) and posts from other origins', async () => {
    const body = JSON.stringify({ user: 'U0ADMIN', channel: 'C0GENERAL', text: 'hi' });
    const json = { 'content-type': 'application/json' };
    expect((await raw('/', { headers: { host: 'evil.example:3000' } })).status).toBe(403);
    expect(
      (await raw('/sim/command', { method: 'POST', headers: { ...json, host: 'localhost', origin: 'https://evil.example' }, body })).status,
    ).toBe(403);
    expect((await raw('/sim/command', { method: 'POST', headers: { host: 'localhost', 'content-type': 'text/plain' }, body })).status).toBe(
      415,
    );
    expect((await raw('/sim/command', { method: 'POST', headers: { ...json, host: 'localhost' }, body })).status).toBe(200);
  });

  it("answers a message over Slack's limit with Slack's words for the page to show, and posts nothing", async () => {
    const response = await fetch(`${server.url}/sim/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'U0ADMIN', channel: 'C0GENERAL', text: `/im-user ${'x'.repeat(10_000)}` }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      ok: false,
      error: 'msg_too_long',
      message: expect.stringMatching(/^Your message is too long: 10,009 characters/),
    });
    expect(simulator.workspace.messages).toEqual([]);
  });

  it('refuses what a proxy relays, even with Host rewritten to 127.0.0.1', async () => {
    const body = JSON.stringify({ user: 'U0ADMIN', channel: 'C0GENERAL', text: 'hi' });
    const headers = { 'content-type': 'application/json', host: '127.0.0.1' };
    const relays: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9' },
      { 'x-real-ip': '203.0.113.9' },
      { via: '1.1 nginx' },
    ];
    for (const relayed of relays) {
      expect((await raw('/sim/command', { method: 'POST', headers: { ...headers, ...relayed }, body })).status).toBe(403);
      expect((await raw('/sim/state', { headers: { host: '127.0.0.1', ...relayed } })).status).toBe(403);
    }
    expect(simulator.workspace.messages).toEqual([]);
    expect((await raw('/sim/command', { method: 'POST', headers, body })).status).toBe(200);
  });

  it.runIf(outwardAddress())('refuses a connection from another address, whatever its Host header says', async () => {
    const open = await startSimServer(simPages(simulator, { defaultUser: 'U0ADMIN', defaultChannel: 'C0GENERAL', examples: [] }), {
      host: '0.0.0.0',
    });
    try {
      const { port } = new URL(open.url);
      const viaNetwork = (path: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request({ host: outwardAddress(), port, path, headers: { host: '127.0.0.1' } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await viaNetwork('/sim/state')).toBe(403);
      expect(await viaNetwork('/')).toBe(403);
      expect((await raw('/sim/state', { headers: { host: '127.0.0.1' } })).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('knows loopback names and addresses as a server or a Host header gives them', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST'])
      expect(isLoopback(host)).toBe(true);
    for (const host of [
      '10.0.0.1',
      '::ffff:192.168.1.2',
      '203.0.113.9',
      'fe80::1',
      '1127.0.0.1',
      'localhost.evil.example',
      'evil.example',
      '',
      undefined,
    ]) {
      expect(isLoopback(host)).toBe(false);
    }
  });

  it('refuses an unknown person and a malformed request', async () => {
    const post = (body: unknown) =>
      fetch(`${server.url}/sim/command`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ user: 'U0NOBODY', channel: 'C0GENERAL', text: 'hi' })).status).toBe(400);
    expect((await post({ user: 'U0ADMIN' })).status).toBe(400);
  });

  it('builds in the browser exactly the tags and attributes the renderer may produce', () => {
    const dom = readFileSync(new URL('../../src/simulator/web/dom.js', import.meta.url), 'utf8');
    const list = (name: string) =>
      [...new RegExp(`const ${name} = new Set\\(\\[([^\\]]*)\\]`).exec(dom)![1]!.matchAll(/'([a-z0-9]+)'/g)].map((m) => m[1]);
    expect(list('TAGS')).toEqual([...allowedTags]);
    expect(list('ATTRS')).toEqual([...allowedAttributes]);
    const app = readFileSync(new URL('../../src/simulator/web/app.js', import.meta.url), 'utf8');
    for (const script of [dom, app]) expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });
});
