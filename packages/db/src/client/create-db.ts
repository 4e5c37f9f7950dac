import type { JamDatabase } from '../engines/engine.js';
import { engineFor } from '../engines/engine-for.js';
import type { PoolBounds } from '../engines/pg-protocol/pool-bounds.js';
import * as schema from '../schema/index.js';
import {
  describeTarget,
  type EngineKind,
  resolveTarget,
  type Target,
  type TargetEnv,
} from '../target/target.js';

export type { JamDatabase, Schema } from '../engines/engine.js';

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
  const engine = await engineFor(target);
  const { db, close } = await engine.openDrizzle({
    schema,
    purpose: options.purpose ?? 'a @jam/db client',
    bounds: options.bounds,
  });
  return { db, engine: engine.kind, description, close };
}
