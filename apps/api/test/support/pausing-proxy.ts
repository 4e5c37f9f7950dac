import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a database that can stop forwarding, the way
 * a stalled server or a congested network does. While paused it holds every
 * byte in both directions, including what a client sent just before it hung
 * up, and delivers all of it on `resume()`: the worst case for a write the
 * client has given up on.
 */
export interface PausingProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  pause(): void;
  /** Pauses just before forwarding the first client message that contains `text`, holding that message. */
  pauseOn(text: string): void;
  /** Like `pauseOn(text)`, armed only once a client message containing `marker` has passed. */
  pauseAfter(marker: string, text: string): void;
  resume(): void;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

interface Pipe {
  write(chunk: Buffer): void;
  end(): void;
  flush(): void;
}

/** One direction of a connection: writes go straight through, or queue while paused. */
function pipeTo(target: Socket, isPaused: () => boolean): Pipe {
  const held: Buffer[] = [];
  let endHeld = false;
  return {
    write(chunk) {
      if (isPaused() || held.length > 0) held.push(chunk);
      else target.write(chunk);
    },
    end() {
      if (isPaused() || held.length > 0) endHeld = true;
      else target.end();
    },
    flush() {
      for (const chunk of held.splice(0)) target.write(chunk);
      if (endHeld) target.end();
    },
  };
}

export async function startPausingProxy(targetPort: number): Promise<PausingProxy> {
  let paused = false;
  let trigger: string | null = null;
  let marker: { text: string; then: string } | null = null;
  let accepted = 0;
  const pipes = new Set<Pipe>();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    accepted += 1;
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const toServer = pipeTo(upstream, () => paused);
    const toClient = pipeTo(client, () => paused);
    for (const pipe of [toServer, toClient]) pipes.add(pipe);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk: Buffer) => {
      if (trigger !== null && chunk.includes(trigger)) {
        trigger = null;
        paused = true;
      }
      if (marker !== null && chunk.includes(marker.text)) {
        trigger = marker.then;
        marker = null;
      }
      toServer.write(chunk);
    });
    upstream.on('data', (chunk) => toClient.write(chunk));
    client.on('end', () => toServer.end());
    upstream.on('end', () => toClient.end());
    // A reset from either side still lets what was held reach the other side, then ends it.
    client.on('error', () => toServer.end());
    upstream.on('error', () => toClient.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    urlFor(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    pause() {
      paused = true;
    },
    pauseOn(text) {
      trigger = text;
    },
    pauseAfter(text, then) {
      marker = { text, then };
    },
    resume() {
      paused = false;
      for (const pipe of pipes) pipe.flush();
    },
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
