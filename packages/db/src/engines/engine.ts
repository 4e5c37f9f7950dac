import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from '../schema/index.js';
import type { EngineKind } from '../target/target.js';
import type { PoolBounds } from './pg-protocol/pool-bounds.js';
import type { Session, SessionOptions } from './session.js';

export type Schema = typeof schema;

/** The drizzle database every engine gives: queries and transactions look the same on all three. */
export type JamDatabase = PgDatabase<PgQueryResultHKT, Schema>;

export interface DrizzleOptions {
  /** Passed in, so that opening a session never loads drizzle-orm. */
  schema: Schema;
  /** Shown to another process that finds the PGlite folder in use. */
  purpose: string;
  /** Timeouts for a server's pool; PGlite runs in-process and ignores them. */
  bounds?: PoolBounds | undefined;
}

/** A drizzle client and what ends it (a pool, or PGlite with its folder lock). */
export interface DrizzleClient {
  db: JamDatabase;
  close(): Promise<void>;
}

/**
 * One way of reaching a database, bound to one target. Everything that differs
 * between PGlite, node-postgres and Neon sits behind this; callers get an
 * engine from `engineFor(target)` and never ask which kind it is.
 */
export interface Engine {
  readonly kind: EngineKind;
  /** One dedicated connection, as the migration runner needs (see Session). */
  openSession(settings: SessionOptions): Promise<Session>;
  /** The typed drizzle client applications use (a pool on a server). */
  openDrizzle(options: DrizzleOptions): Promise<DrizzleClient>;
  /** What to check when the connection fails, told after the reason. */
  readonly connectionHint: string;
}
