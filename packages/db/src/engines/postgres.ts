import pg from 'pg';
import { withDeadlineCommit } from './deadline-commit.js';
import { type PoolBounds, poolTimeoutOptions } from './pool-bounds.js';
import type { Session, SessionOptions } from './session.js';

/** A single node-postgres connection: advisory locks and transactions live on it. */
export async function openPostgresSession(
  url: string,
  options: Pick<SessionOptions, 'connectTimeoutMs'>,
): Promise<Session> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs,
    application_name: 'jam-db',
  });
  // A dropped connection emits 'error' on the client; without a listener Node exits.
  client.on('error', () => {});
  await client.connect();
  return {
    engine: 'postgres',
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
export function createPostgresPool(url: string, bounds?: PoolBounds): pg.Pool {
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
