import { Client, neonConfig, Pool } from '@neondatabase/serverless';
import ws from 'ws';
import { withDeadlineCommit } from './deadline-commit.js';
import { type PoolBounds, poolTimeoutOptions } from './pool-bounds.js';
import type { Session, SessionOptions } from './session.js';

/**
 * Neon over WebSockets (never neon-http: it has no transactions). With
 * NEON_WS_PROXY=host:port/path the driver talks plain ws:// to a local proxy
 * in front of an ordinary PostgreSQL, which is how the tests reach it.
 */
export function configureNeon(env: { NEON_WS_PROXY?: string | undefined } = process.env): void {
  neonConfig.webSocketConstructor = ws;
  const proxy = env.NEON_WS_PROXY?.trim();
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
}

export async function openNeonSession(
  url: string,
  options: Pick<SessionOptions, 'connectTimeoutMs'>,
): Promise<Session> {
  configureNeon();
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs,
  });
  client.on('error', () => {});
  await client.connect();
  return {
    engine: 'neon',
    async query<Row>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as Row[];
    },
    async exec(text: string) {
      await client.query(text);
    },
    close: () => client.end(),
  };
}

/** A pool for apps; with `bounds`, no query waits longer than they allow and no late write commits. */
export function createNeonPool(url: string, bounds?: PoolBounds): Pool {
  configureNeon();
  const pool = new Pool({ connectionString: url, ...(bounds && poolTimeoutOptions(bounds)) });
  // Neon's Pool sets its own Client class after reading the options, so a
  // `Client` option is ignored: replace the class on the instance instead.
  if (bounds) pool.Client = withDeadlineCommit(Client, bounds.queryTimeoutMs);
  // As with node-postgres: an idle client dropped by the server (restart, a
  // forced DROP DATABASE) reports on the pool, and unheard would end the process.
  pool.on('error', () => {});
  return pool;
}
