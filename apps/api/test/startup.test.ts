import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApiToExit } from './support/api-process.js';

/** Accepts connections and never says a word, like a hung server or a black-holing proxy. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nobody listens on: bound, read, then released. */
async function closedPort(): Promise<number> {
  const { port, close } = await startSilentServer();
  await close();
  return port;
}

const expectOneLine = (output: string) => {
  expect(output.trim().split('\n')).toHaveLength(1);
  expect(output).not.toMatch(/\n\s+at |select|from "/i);
  expect(output).not.toContain('secret');
};

describe('starting the API against a database that does not answer', () => {
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  beforeAll(async () => {
    silent = await startSilentServer();
  });
  afterAll(() => silent.close());

  it('gives up on a server that accepts and never answers, in one line', async () => {
    const { code, output } = await runApiToExit({
      DATABASE_URL: `postgres://jam:secret@127.0.0.1:${silent.port}/jam`,
      JAM_API_DB_CONNECT_TIMEOUT_MS: '500',
    });
    expect(code).toBe(1);
    expect(output).toMatch(
      /^@jam\/api cannot start: PostgreSQL at postgres:\/\/jam:\*\*\*@127\.0\.0\.1:\d+\/jam did not answer within 500 ms\. Check DATABASE_URL/,
    );
    expectOneLine(output);
  });

  it('says so in one line when the connection is refused', async () => {
    const { code, output } = await runApiToExit({
      DATABASE_URL: `postgres://jam:secret@127.0.0.1:${await closedPort()}/jam`,
    });
    expect(code).toBe(1);
    expect(output).toMatch(/^@jam\/api cannot start: PostgreSQL at .* refused the connection\./);
    expectOneLine(output);
  });

  it('rejects a timeout setting that is not a number of milliseconds', async () => {
    const { code, output } = await runApiToExit({
      DATABASE_URL: 'pglite:memory',
      JAM_API_DB_QUERY_TIMEOUT_MS: '5s',
    });
    expect(code).toBe(2);
    expect(output.trim()).toBe(
      'JAM_API_DB_QUERY_TIMEOUT_MS is "5s", which is not a number of milliseconds; use a whole number above 0, e.g. JAM_API_DB_QUERY_TIMEOUT_MS=5000.',
    );
  });
});

const serverUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!serverUrl)(
  serverUrl
    ? 'starting the API on a server that lacks its database'
    : 'starting the API on a server that lacks its database (skipped: TEST_DATABASE_URL unset)',
  () => {
    it('says the database does not exist, in one line', async () => {
      const url = new URL(serverUrl!);
      url.pathname = '/jam_api_no_such_database';
      url.password = 'secret';
      const { code, output } = await runApiToExit({ DATABASE_URL: url.toString() });
      expect(code).toBe(1);
      expect(output).toMatch(
        /^@jam\/api cannot start: PostgreSQL at postgres:\/\/\w+:\*\*\*@.*\/jam_api_no_such_database names a database that does not exist\./,
      );
      expectOneLine(output);
    });
  },
);
