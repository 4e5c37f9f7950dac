import { Client, Pool } from '@neondatabase/serverless';
import type { Engine, JamDatabase } from '../engine.js';
import { withDeadlineCommit } from '../pg-protocol/deadline-commit.js';
import { type PoolBounds, poolTimeoutOptions } from '../pg-protocol/pool-bounds.js';
import { openPgProtocolSession, serverConnectionHint } from '../pg-protocol/session.js';
import { configureNeon } from './configure.js';

/** Neon's serverless driver: node-postgres's protocol over a WebSocket. */
export function neonEngine(url: string): Engine {
  return {
    kind: 'neon',
    connectionHint: serverConnectionHint,
    openSession(settings) {
      configureNeon();
      return openPgProtocolSession(
        'neon',
        new Client({ connectionString: url, connectionTimeoutMillis: settings.connectTimeoutMs }),
      );
    },
    async openDrizzle({ bounds, schema }) {
      const { drizzle } = await import('drizzle-orm/neon-serverless');
      const pool = createNeonPool(url, bounds);
      const db = drizzle({ client: pool, schema }) as unknown as JamDatabase;
      return { db, close: () => pool.end() };
    },
  };
}

/** A pool for apps; with `bounds`, no query waits longer than they allow and no late write commits. */
function createNeonPool(url: string, bounds?: PoolBounds): Pool {
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
