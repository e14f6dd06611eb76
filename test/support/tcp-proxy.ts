import { connect, createServer, type Socket } from 'node:net';

export type TcpProxy = {
  /** The port to connect to instead of the target's. */
  readonly port: number;
  /** Cuts every connection and refuses new ones: to a client, the server behind it is gone. */
  cut(): Promise<void>;
};

/**
 * A loopback TCP relay to `targetPort`. Cutting it makes one client lose its server while the server itself (and
 * other clients) carry on: "the database is gone" for the store under test, without stopping the shared server.
 */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
