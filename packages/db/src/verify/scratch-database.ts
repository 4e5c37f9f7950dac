import { randomBytes } from 'node:crypto';
import { openMigrationSession } from '../engines/migration-session.js';
import { openSession } from '../engines/open-session.js';
import type { ExtensionNeed } from '../engines/pglite/extensions.js';
import type { Session } from '../engines/session.js';
import { JamDbError } from '../errors.js';
import { databaseMessage } from '../migrations/failure.js';
import { type DirectEndpointEnv, directEndpoint } from '../target/direct-endpoint.js';
import { describeTarget, type Target } from '../target/target.js';

/** A throwaway database for `verify`, dropped when done. */
export interface ScratchDatabase {
  target: Target;
  session: Session;
  description: string;
  drop(): Promise<void>;
}

const purpose = 'jam-db verify';

export interface ScratchOptions {
  /** Told which endpoint is used when it is not DATABASE_URL's. */
  onNotice?: ((line: string) => void) | undefined;
  /**
   * Whether a role that appeared while the scratch database lived is one the
   * migrations created (they name it), to be dropped with the database.
   */
  ownsRole?: ((role: string) => boolean) | undefined;
  /** Extensions an in-memory PGlite must load for the migrations it will run. */
  extensions?: readonly ExtensionNeed[] | undefined;
}

/**
 * In-memory PGlite when the user points at PGlite (or at nothing); otherwise a
 * temporary database on the same server as DATABASE_URL, so the scripts are
 * proven on the engine they will run on.
 *
 * `verify` runs migrations and rollbacks like `migrate` does, so it needs what
 * they need: one server connection from start to end. The server is reached the
 * way `migrate` reaches it (JAM_DB_DIRECT_URL, Neon's direct endpoint), and a
 * transaction pooler is refused before anything is created.
 */
export async function openScratchDatabase(
  home: Target,
  options: ScratchOptions = {},
  env: DirectEndpointEnv = process.env,
): Promise<ScratchDatabase> {
  const { onNotice = () => {}, ownsRole = () => false } = options;
  if (home.engine === 'pglite') {
    const target: Target = { engine: 'pglite', dataDir: null };
    const session = await openSession(target, { purpose, extensions: options.extensions ?? [] });
    return { target, session, description: 'an in-memory PGlite', drop: () => session.close() };
  }
  const endpoint = directEndpoint(home, env);
  if (endpoint.note) onNotice(endpoint.note);
  const server = endpoint.target as Exclude<Target, { engine: 'pglite' }>;
  // The pid lets a later test run (or a person) tell a database this process abandoned when killed.
  const name = `jam_verify_r${process.pid}_${randomBytes(5).toString('hex')}`;
  const admin = await openMigrationSession(server, { purpose }, withoutDirectUrl(env));
  let rolesAtStart: Set<string>;
  try {
    rolesAtStart = await roleNames(admin);
    await admin.exec(`CREATE DATABASE ${name}`).catch((error: unknown) => {
      throw cannotCreate(server, error);
    });
  } finally {
    await admin.close();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const target: Target = { ...server, url: url.toString() };
  const session = await openSession(target, { purpose, extensions: options.extensions ?? [] });
  return {
    target,
    session,
    description: `a temporary database ${name} on that server`,
    async drop() {
      await session.close();
      const dropper = await openSession(server, { purpose });
      try {
        await dropper.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        // Roles are the server's, not the database's: a history's CREATE ROLE would
        // otherwise outlive the scratch database and fail the next one.
        for (const role of await roleNames(dropper)) {
          if (!rolesAtStart.has(role) && ownsRole(role))
            await dropper
              .exec(`DROP ROLE IF EXISTS "${role.replaceAll('"', '""')}"`)
              .catch(() => undefined);
        }
      } finally {
        await dropper.close();
      }
    },
  };
}

function cannotCreate(server: Target, error: unknown): JamDbError {
  return new JamDbError(
    'config',
    `jam-db verify proves the down scripts in a temporary database of its own, and could not create one on ${describeTarget(server)}: ${databaseMessage(error, server)}. Nothing was changed.`,
    'Give the user the CREATEDB privilege (ALTER ROLE … CREATEDB), or verify on a local PostgreSQL or on PGlite (DATABASE_URL=pglite:memory pnpm db:verify).',
    { cause: error },
  );
}

async function roleNames(session: Session): Promise<Set<string>> {
  const rows = await session.query<{ rolname: string }>('select rolname from pg_roles');
  return new Set(rows.map((r) => r.rolname));
}

/** The endpoint is already chosen; JAM_DB_DIRECT_URL must not send the probe to the user's database again. */
function withoutDirectUrl(env: DirectEndpointEnv): DirectEndpointEnv {
  const { JAM_DB_DIRECT_URL: _chosen, ...rest } = env;
  return rest;
}
