import pg from 'pg';
import type { Engine, JamDatabase } from '../engine.js';
import { withDeadlineCommit } from '../pg-protocol/deadline-commit.js';
import { type PoolBounds, poolTimeoutOptions } from '../pg-protocol/pool-bounds.js';
import { openPgProtocolSession, serverConnectionHint } from '../pg-protocol/session.js';

/** PostgreSQL over TCP with node-postgres. */
export function postgresEngine(url: string): Engine {
  return {
    kind: 'postgres',
    connectionHint: serverConnectionHint,
    openSession: (settings) =>
      openPgProtocolSession(
        'postgres',
        new pg.Client({
          connectionString: url,
          connectionTimeoutMillis: settings.connectTimeoutMs,
          application_name: 'jam-db',
        }),
      ),
    async openDrizzle({ bounds, schema }) {
      const { drizzle } = await import('drizzle-orm/node-postgres');
      const pool = createPostgresPool(url, bounds);
      const db = drizzle({ client: pool, schema }) as unknown as JamDatabase;
      return { db, close: () => pool.end() };
    },
  };
}

/** A pool for apps; with `bounds`, no query waits longer than they allow and no late write commits. */
function createPostgresPool(url: string, bounds?: PoolBounds): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    application_name: 'jam',
    ...(bounds && {
      ...poolTimeoutOptions(bounds),
      Client: withDeadlineCommit(pg.Client, bounds.queryTimeoutMs),
    }),
  });
  // An idle client the server drops (restart, failover, a forced DROP DATABASE)
  // emits 'error' on the pool; unheard, it would end the process. The pool
  // replaces the client, and the next query reports any real outage.
  pool.on('error', () => {});
  return pool;
}
