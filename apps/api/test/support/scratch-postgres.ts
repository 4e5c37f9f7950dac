import { createDb, Migrator, readMigrationFolder, seed } from '@jam/db';
import { scratchDatabaseName } from '@jam/testing/names';
import pg from 'pg';
import { migrationsDir } from './test-databases.js';

/**
 * A database of its own on the test server that a test may drop and bring back
 * (migrated and seeded) while an app keeps running against it.
 */
export interface ScratchPostgres {
  url: string;
  name: string;
  /**
   * Creates, migrates and seeds it (again), under a temporary name first and then
   * renamed, the way a restore appears: an app never sees it half-built.
   */
  create(): Promise<void>;
  /** DROP DATABASE … WITH (FORCE): ends every connection to it, like an operator would. */
  drop(): Promise<void>;
  /** Runs one statement on it through a connection of its own (bypassing any proxy). */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
}

export function scratchPostgres(serverUrl: string): ScratchPostgres {
  // Run-named, so a run that was interrupted has its databases swept by the next.
  const name = scratchDatabaseName('api_sick');
  let building: string | undefined;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const scratch: ScratchPostgres = {
    url: url.toString(),
    name,
    async create() {
      building = scratchDatabaseName('api_sick_build');
      const buildingUrl = new URL(scratch.url);
      buildingUrl.pathname = `/${building}`;
      await admin(`CREATE DATABASE "${building}"`);
      const target = { engine: 'postgres' as const, url: buildingUrl.toString() };
      await new Migrator({ target, folder: readMigrationFolder(migrationsDir) }).migrate();
      const jam = await createDb({ target, purpose: '@jam/api tests' });
      try {
        await seed(jam.db, { scale: 10 });
      } finally {
        await jam.close();
      }
      await admin(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    },
    async drop() {
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      if (building) await admin(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    },
    async query<Row>(text: string, params?: unknown[]) {
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as Row[];
      } finally {
        await client.end();
      }
    },
  };
  return scratch;
}
