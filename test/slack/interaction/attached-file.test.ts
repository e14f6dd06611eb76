import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AttachedFileError, attachedFileReader } from '../../../src/slack/interaction/attached-file.js';

/** Reading an attached list from a Slack-like file host on 127.0.0.1: the token, the size limit, the timeout. */

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function host(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const file = (origin: string) => ({ id: 'F1', name: 'list.txt', url_private_download: `${origin}/files-pri/T-F1/download/list.txt` });

describe('attachedFileReader', () => {
  it('sends the bot token and returns the text without a byte-order mark', async () => {
    let authorization: string | undefined;
    const origin = await host((req, res) => {
      authorization = req.headers.authorization;
      res.end('\uFEFFwave1\nwave2');
    });
    const read = attachedFileReader({ botToken: 'xoxb-t', apiUrl: `${origin}/api/`, maxBytes: 100 });
    expect(await read(file(origin), 'accountsFile')).toBe('wave1\nwave2');
    expect(authorization).toBe('Bearer xoxb-t');
  });

  it('stops reading a file streamed without a length once it passes the limit', async () => {
    const origin = await host((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 20; i += 1) res.write('x'.repeat(100));
      res.end();
    });
    const read = attachedFileReader({ botToken: 'xoxb-t', apiUrl: `${origin}/api/`, maxBytes: 1000 });
    const error = await read(file(origin), 'accountsFile').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttachedFileError);
    expect(error).toMatchObject({ reason: 'too_big', limit: 1000, field: 'accountsFile', fileName: 'list.txt' });
  });

  it('gives up on a file host that does not answer in time, saying so', async () => {
    const origin = await host(() => undefined);
    const read = attachedFileReader({ botToken: 'xoxb-t', apiUrl: `${origin}/api/`, maxBytes: 1000, timeoutMs: 100 });
    await expect(read(file(origin), 'accountsFile')).rejects.toMatchObject({ reason: 'timeout', limit: 100 });
  });

  it('refuses an address off the file host without calling it, and a 404 as unreadable', async () => {
    let calls = 0;
    const origin = await host((_req, res) => {
      calls += 1;
      res.writeHead(404).end();
    });
    const read = attachedFileReader({ botToken: 'xoxb-t', maxBytes: 1000 });
    await expect(read(file(origin), 'accountsFile')).rejects.toMatchObject({ reason: 'unreadable' });
    expect(calls).toBe(0);
    const local = attachedFileReader({ botToken: 'xoxb-t', apiUrl: `${origin}/api/`, maxBytes: 1000 });
    await expect(local(file(origin), 'accountsFile')).rejects.toMatchObject({ reason: 'unreadable' });
    expect(calls).toBe(1);
  });
});
