import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PoolBounds } from '../engines/pool-bounds.js';
import { defaultSessionOptions } from '../engines/session.js';
import * as schema from '../schema/index.js';
import {
  describeTarget,
  type EngineKind,
  resolveTarget,
  type Target,
  type TargetEnv,
} from './target.js';

export type Schema = typeof schema;

/** The drizzle database every engine gives: queries and transactions look the same on all three. */
export type JamDatabase = PgDatabase<PgQueryResultHKT, Schema>;

export interface JamDb {
  db: JamDatabase;
  engine: EngineKind;
  /** Where it is connected, without a password. */
  description: string;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** Defaults to the engine chosen by DATABASE_URL / JAM_DB_DRIVER. */
  target?: Target;
  env?: TargetEnv;
  /** Shown to another process that finds the PGlite folder in use. */
  purpose?: string;
  /**
   * Timeouts for the PostgreSQL and Neon pools (see `defaultPoolBounds`); without
   * them a query waits as long as the server does. A server-facing app should
   * pass them. PGlite runs in-process and ignores them.
   */
  bounds?: PoolBounds;
}

/**
 * A typed drizzle client on the database DATABASE_URL names: embedded PGlite by
 * default, node-postgres for postgres:// URLs, Neon's WebSocket Pool for Neon.
 */
export async function createDb(options: CreateDbOptions = {}): Promise<JamDb> {
  const target = options.target ?? resolveTarget(options.env);
  const description = describeTarget(target);
  switch (target.engine) {
    case 'pglite': {
      const [{ openPglite }, { drizzle }] = await Promise.all([
        import('../engines/pglite.js'),
        import('drizzle-orm/pglite'),
      ]);
      const open = await openPglite(target.dataDir, {
        ...defaultSessionOptions,
        purpose: options.purpose ?? 'a @jam/db client',
      });
      const db = drizzle({ client: open.client, schema }) as unknown as JamDatabase;
      return { db, engine: 'pglite', description, close: () => open.close() };
    }
    case 'postgres': {
      const [{ createPostgresPool }, { drizzle }] = await Promise.all([
        import('../engines/postgres.js'),
        import('drizzle-orm/node-postgres'),
      ]);
      const pool = createPostgresPool(target.url, options.bounds);
      const db = drizzle({ client: pool, schema }) as unknown as JamDatabase;
      return { db, engine: 'postgres', description, close: () => pool.end() };
    }
    case 'neon': {
      const [{ createNeonPool }, { drizzle }] = await Promise.all([
        import('../engines/neon.js'),
        import('drizzle-orm/neon-serverless'),
      ]);
      const pool = createNeonPool(target.url, options.bounds);
      const db = drizzle({ client: pool, schema }) as unknown as JamDatabase;
      return { db, engine: 'neon', description, close: () => pool.end() };
    }
  }
}
