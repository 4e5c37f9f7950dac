import type { AddressInfo } from 'node:net';
import { createConnection } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * A tiny WebSocket-to-TCP proxy, the local stand-in for Neon's: the Neon driver
 * speaks the PostgreSQL protocol inside WebSocket frames, and this pipes them to a
 * real server. Only loopback targets are allowed.
 */
export interface WsProxy {
  /** host:port/path, the value of NEON_WS_PROXY. */
  address: string;
  connections: () => number;
  close(): Promise<void>;
}

export async function startWsProxy(): Promise<WsProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  let opened = 0;
  server.on('connection', (socket, request) => {
    const target = new URL(request.url ?? '/', 'ws://proxy').searchParams.get('address') ?? '';
    const [host, port] = target.split(':');
    if (!(host === '127.0.0.1' || host === 'localhost') || !port) {
      socket.close(1008, 'only loopback targets');
      return;
    }
    opened += 1;
    const tcp = createConnection({ host: '127.0.0.1', port: Number(port) });
    tcp.on('data', (chunk) => socket.send(chunk));
    tcp.on('close', () => socket.close());
    tcp.on('error', () => socket.close());
    socket.on('message', (data) => tcp.write(data as Buffer));
    socket.on('close', () => tcp.end());
    socket.on('error', () => tcp.destroy());
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}/v2`,
    connections: () => opened,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
