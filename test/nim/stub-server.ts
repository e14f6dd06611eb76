import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A scripted NetEase stand-in for unit tests of the client's own behaviour (the emulator covers the contract). */
export type StubRequest = { endpoint: string; form: Record<string, string>; headers: Record<string, string | undefined> };
export type StubReply = { status?: number; body?: string; delayMs?: number; destroy?: boolean };

export async function startStub(reply: (request: StubRequest, index: number) => StubReply) {
  const received: StubRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const request: StubRequest = {
        endpoint: (req.url ?? '').replace(/^\/nimserver\//, ''),
        form: Object.fromEntries(new URLSearchParams(raw)),
        headers: {
          AppKey: header(req, 'appkey'),
          Nonce: header(req, 'nonce'),
          CurTime: header(req, 'curtime'),
          CheckSum: header(req, 'checksum'),
          RequestId: header(req, 'requestid'),
        },
      };
      received.push(request);
      const answer = reply(request, received.length - 1);
      const send = () => {
        if (answer.destroy) return void req.socket.destroy();
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json;charset=utf-8' });
        res.end(answer.body ?? '{"code":200}');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/nimserver`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
