import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createDb, type JamDb, Migrator, readMigrationFolder, type Target } from '@jam/db';
import { scratchDatabaseName } from '@jam/testing/names';
import pg from 'pg';

/** What `createApp` takes: the client's drizzle database and its engine. */
export interface TestDatabase extends Pick<JamDb, 'db' | 'engine'> {
  /** Closes the connection and deletes the database. */
  dispose(): Promise<void>;
}

/** @jam/db's own migrations, the ones the API expects. */
export const migrationsDir = join(
  dirname(createRequire(import.meta.url).resolve('@jam/db/package.json')),
  'migrations',
);

async function openMigrated(target: Target, to?: string): Promise<JamDb> {
  await new Migrator({ target, folder: readMigrationFolder(migrationsDir) }).migrate({ to });
  return createDb({ target, purpose: '@jam/api tests' });
}

/**
 * A PGlite folder holding every migration: a copy of the run's migrated
 * template when the global setup made one (a tenth of the time of migrating),
 * otherwise migrated here.
 */
async function openFullyMigratedPglite(dataDir: string): Promise<JamDb> {
  const template = process.env.JAM_TEST_PGLITE_MIGRATED;
  if (!template) return openMigrated({ engine: 'pglite', dataDir });
  await cp(template, dataDir, { recursive: true });
  return createDb({ target: { engine: 'pglite', dataDir }, purpose: '@jam/api tests' });
}

/** Migrated up to `to`, starting from a copy of the run's empty template when there is one (no initdb). */
async function openPartlyMigratedPglite(dataDir: string, to: string): Promise<JamDb> {
  const empty = process.env.JAM_TEST_PGLITE_EMPTY;
  if (empty) await cp(empty, dataDir, { recursive: true });
  return openMigrated({ engine: 'pglite', dataDir }, to);
}

/**
 * A migrated PGlite in a temporary folder (up to `migrateTo` when given). Not
 * `pglite:memory`: the Migrator opens its own connection, and a second in-memory
 * PGlite would be a different database.
 */
export async function openPgliteTestDb(migrateTo?: string): Promise<TestDatabase> {
  const folder = await mkdtemp(join(tmpdir(), 'jam-api-test-'));
  const dataDir = join(folder, 'data');
  const removeDir = () => rm(folder, { recursive: true, force: true });
  const opening =
    migrateTo === undefined
      ? openFullyMigratedPglite(dataDir)
      : openPartlyMigratedPglite(dataDir, migrateTo);
  return ownedTestDatabase(opening, removeDir);
}

/** A migrated database with a random name on the server `serverUrl` points at, dropped afterwards. */
export async function openPostgresTestDb(serverUrl: string): Promise<TestDatabase> {
  const name = scratchDatabaseName('api_test');
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  // FORCE ends connections a failed test may have left open, so the database never lingers.
  const dropDatabase = () =>
    withAdminClient(serverUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    );
  return ownedTestDatabase(openMigrated({ engine: 'postgres', url: url.toString() }), dropDatabase);
}

/** The database `opening` gives, with `remove` run when it fails to open and after it is closed. */
async function ownedTestDatabase(
  opening: Promise<JamDb>,
  remove: () => Promise<unknown>,
): Promise<TestDatabase> {
  const jam = await opening.catch(async (error: unknown) => {
    await remove();
    throw error;
  });
  return {
    db: jam.db,
    engine: jam.engine,
    async dispose() {
      await jam.close();
      await remove();
    },
  };
}

async function withAdminClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
