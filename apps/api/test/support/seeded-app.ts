import { seed } from '@jam/db';
import { afterAll, beforeAll, describe } from 'vitest';
import { type AppOptions, createApp } from '../../src/app.js';
import { openPgliteTestDb, openPostgresTestDb, type TestDatabase } from './test-databases.js';

export type OpenDatabase = () => Promise<TestDatabase>;

/**
 * Runs `suite` against a migrated PGlite, and against PostgreSQL when
 * TEST_DATABASE_URL names a server (the title says so when it does not).
 */
export function describeOnEachEngine(title: string, suite: (open: OpenDatabase) => void): void {
  describe(`${title} on PGlite`, () => suite(openPgliteTestDb));
  const postgresUrl = process.env.TEST_DATABASE_URL;
  describe.skipIf(!postgresUrl)(
    postgresUrl
      ? `${title} on PostgreSQL`
      : `${title} on PostgreSQL (skipped: TEST_DATABASE_URL unset)`,
    () => suite(() => openPostgresTestDb(postgresUrl!)),
  );
}

export interface SeededApp {
  readonly database: TestDatabase;
  readonly app: ReturnType<typeof createApp>;
}

/**
 * One database seeded at `scale` and the app on it, shared by the tests of the
 * enclosing describe block and disposed after them.
 */
export function useSeededApp(
  open: OpenDatabase,
  { scale, setupTimeoutMs, ...appOptions }: AppOptions & { scale: number; setupTimeoutMs?: number },
): SeededApp {
  let database: TestDatabase | undefined;
  let app: SeededApp['app'] | undefined;
  beforeAll(async () => {
    database = await open();
    await seed(database.db, { scale });
    app = createApp(database, appOptions);
  }, setupTimeoutMs);
  afterAll(() => database?.dispose());
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('the seeded app is set up in beforeAll; use it in a test');
    return value;
  };
  return {
    get database() {
      return ready(database);
    },
    get app() {
      return ready(app);
    },
  };
}
