import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Slack's Socket Mode, played on the local Slack's port: `apps.connections.open` hands out a ws:// URL, the app
 * connects, gets `hello`, and then receives envelopes (slash_commands, interactive) it must ack by envelope_id.
 * A minimal RFC 6455 server: text frames, ping/pong and close, no extensions, no fragmentation.
 */

export type SocketEnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export type SocketAck = { envelope_id: string; payload?: unknown; receivedAt: number };

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export class SocketModeHub {
  private readonly sockets = new Set<Duplex>();
  private readonly acks = new Map<string, (ack: SocketAck) => void>();
  private readonly connectedWaiters: (() => void)[] = [];
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly now: () => number,
    /** Server pings keep the client's serverPingTimeout (30 s) satisfied. */
    pingEveryMs = 10_000,
  ) {
    this.heartbeat = setInterval(() => this.broadcast(0x9, Buffer.from('simulator')), pingEveryMs).unref();
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** For the HTTP server's 'upgrade' event on /socket-mode. */
  handleUpgrade(req: IncomingMessage, socket: Duplex): void {
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string') {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    this.sockets.add(socket);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let frame = readFrame(buffered); frame; frame = readFrame(buffered)) {
        buffered = buffered.subarray(frame.length);
        this.onFrame(socket, frame.opcode, frame.payload);
      }
    });
    const forget = () => this.sockets.delete(socket);
    socket.on('close', forget);
    socket.on('error', forget);
    send(
      socket,
      0x1,
      Buffer.from(JSON.stringify({ type: 'hello', num_connections: this.sockets.size, connection_info: { app_id: 'A0SIMULATE' } })),
    );
    for (const resolve of this.connectedWaiters.splice(0)) resolve();
  }

  /** Resolves once an app is connected. */
  connected(timeoutMs = 5000): Promise<void> {
    if (this.sockets.size > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No Socket Mode connection within ${timeoutMs} ms`)), timeoutMs);
      this.connectedWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends an envelope to a connected app; resolves with its ack. Rejects after `timeoutMs` (@default 3000, Slack's). */
  deliver(type: SocketEnvelopeType, payload: object, timeoutMs = 3000): Promise<SocketAck> {
    const socket = [...this.sockets][0];
    if (!socket) return Promise.reject(new Error('No app is connected over Socket Mode'));
    const envelopeId = randomBytes(8).toString('hex');
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      retry_attempt: 0,
      retry_reason: '',
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(envelopeId);
        reject(new Error(`The app did not ack envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.acks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      send(socket, 0x1, Buffer.from(JSON.stringify(envelope)));
    });
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private onFrame(socket: Duplex, opcode: number, payload: Buffer): void {
    if (opcode === 0x9) return send(socket, 0xa, payload);
    if (opcode === 0x8) {
      send(socket, 0x8, payload.subarray(0, 2));
      socket.end();
      return;
    }
    if (opcode !== 0x1) return;
    try {
      const message = JSON.parse(payload.toString('utf8')) as { envelope_id?: string; payload?: unknown };
      if (message.envelope_id)
        this.acks.get(message.envelope_id)?.({ envelope_id: message.envelope_id, payload: message.payload, receivedAt: this.now() });
      if (message.envelope_id) this.acks.delete(message.envelope_id);
    } catch {
      // Not JSON: nothing the simulator can do with it.
    }
  }

  private broadcast(opcode: number, payload: Buffer): void {
    for (const socket of this.sockets) send(socket, opcode, payload);
  }
}

function send(socket: Duplex, opcode: number, payload: Buffer): void {
  if (socket.destroyed || !socket.writable) return;
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65_536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  socket.write(Buffer.concat([header, payload]));
}

function bigLength(length: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(length));
  return buffer;
}

/** One complete client frame at the start of `data`, unmasked, or undefined if more bytes are needed. */
function readFrame(data: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = data[0]! & 0x0f;
  const masked = (data[1]! & 0x80) !== 0;
  let length = data[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (data.length < offset + length) return undefined;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= data[maskOffset + (i % 4)]!;
  return { opcode, payload, length: offset + length };
}
