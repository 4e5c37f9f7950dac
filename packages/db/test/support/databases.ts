import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { scratchDatabaseName } from '@jam/testing/names';
import { countWork } from '@jam/testing/work-count';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { Target } from '../../src/target/target.js';
import { runCli } from './cli.js';
import { closeHeldPglites, holdPglite, releasePglite } from './pglite-handles.js';
import { startWsProxy, type WsProxy } from './ws-proxy.js';

export const serverUrl = process.env.TEST_DATABASE_URL;

if (!serverUrl) {
  console.warn(
    '\n[jam-db tests] TEST_DATABASE_URL is not set: the PostgreSQL and Neon-driver tests are SKIPPED.\n' +
      '  Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run them (.ci/run does).\n',
  );
}

export type EngineName = 'pglite' | 'postgres' | 'neon';

/** A database of its own for one test: created empty, dropped afterwards. */
export interface ScratchDatabase {
  target: Target;
  /** Environment that points the CLI at this database. */
  env: Record<string, string>;
  /**
   * An admin connection to the same database for assertions. On PGlite it stays
   * open until the next `runCli`; before opening the folder otherwise (spawning
   * jam-db yourself, `createDb`), call `closeHeldPglites()`.
   */
  sql<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
  /** PGlite only: the client `sql` holds open (opened if need be), for code that takes a client. */
  pglite?(): Promise<PGlite>;
}

let proxy: WsProxy | undefined;

/** The Neon tests share one proxy per test file. */
export function useNeonProxy(): () => WsProxy {
  beforeAll(async () => {
    proxy = await startWsProxy();
    process.env.NEON_WS_PROXY = proxy.address;
  });
  afterAll(async () => {
    await proxy?.close();
    delete process.env.NEON_WS_PROXY;
  });
  return () => proxy!;
}

export interface ScratchOptions {
  /**
   * Holding every migration of @jam/db, for tests of what comes after
   * `migrate`. On PGlite a copy of the run's migrated template (which the
   * global setup made with `jam-db migrate`): no PGlite start-up and no
   * migrating in the test; on a server, one `jam-db migrate` run.
   */
  migrated?: boolean;
}

export async function createScratchDatabase(
  engine: EngineName,
  options: ScratchOptions = {},
): Promise<ScratchDatabase> {
  if (engine === 'pglite') return createScratchPglite(options);
  const db = await createServerDatabase(engine);
  if (options.migrated) {
    const migrated = await runCli(['migrate'], db.env);
    if (migrated.code !== 0) {
      await db.drop();
      throw new Error(`test setup: jam-db migrate failed:\n${migrated.stderr}`);
    }
  }
  return db;
}

async function createServerDatabase(engine: EngineName): Promise<ScratchDatabase> {
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is required for this engine');
  countWork('serverDatabases');
  const name = scratchDatabaseName('test');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const target: Target = { engine, url: url.toString() } as Target;
  return {
    target,
    env: {
      DATABASE_URL: url.toString(),
      ...(engine === 'neon' ? { JAM_DB_DRIVER: 'neon', NEON_WS_PROXY: proxy?.address ?? '' } : {}),
    },
    sql: async (text, params) => (await client.query(text, params)).rows,
    async drop() {
      await client.end();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/**
 * The initialised PGlite folders the run's global setup made with the built
 * CLI, empty and fully migrated: copying one takes a tenth of a second, initdb
 * takes seconds.
 */
function pgliteTemplate(migrated: boolean): string {
  const template = migrated
    ? process.env.JAM_TEST_PGLITE_MIGRATED
    : process.env.JAM_TEST_PGLITE_EMPTY;
  if (!template) {
    throw new Error('No PGlite template: build @jam/db first (`pnpm build`), then run the tests.');
  }
  return template;
}

/**
 * A PGlite scratch database holding a copy of `source`'s folder: a test suite
 * prepares one database (CLI runs, seconds) and each test takes a copy of it
 * (a tenth of a second).
 */
export async function copyScratchPglite(source: ScratchDatabase): Promise<ScratchDatabase> {
  const { target } = source;
  if (target.engine !== 'pglite' || !target.dataDir) throw new Error('copies a PGlite folder only');
  await closeHeldPglites();
  return createScratchPglite({}, target.dataDir);
}

/**
 * PGlite in a temporary folder. Assertions open it in the test process and keep
 * it open across consecutive queries; starting a CLI run closes it (see
 * pglite-handles.ts), since two processes must never hold one PGlite folder.
 */
async function createScratchPglite(
  options: ScratchOptions,
  from = pgliteTemplate(options.migrated ?? false),
): Promise<ScratchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'jam-pglite-'));
  const dataDir = join(dir, 'data');
  cpSync(from, dataDir, { recursive: true });
  let open: Promise<PGlite> | undefined;
  const close = async () => {
    const closing = open;
    open = undefined;
    releasePglite(close);
    await (await closing?.catch(() => undefined))?.close();
  };
  const client = () => {
    if (!open) {
      countWork('pgliteOpens');
      open = import('@electric-sql/pglite').then(({ PGlite }) => PGlite.create(dataDir));
      holdPglite(close);
    }
    return open;
  };
  return {
    target: { engine: 'pglite', dataDir },
    env: { DATABASE_URL: `pglite:${dataDir}` },
    async sql(text, params) {
      const db = await client();
      // Without parameters, exec: it accepts several statements, like the server's simple protocol.
      if (params === undefined) return ((await db.exec(text)).at(-1)?.rows ?? []) as never[];
      return (await db.query(text, params)).rows as never[];
    },
    async drop() {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
    pglite: client,
  };
}

/**
 * Like `useScratchDatabase`, for tests that each start from the same prepared
 * database (`prepare` runs CLIs, writes rows). On PGlite the suite prepares one
 * database and each test gets a copy of its folder (a tenth of a second instead
 * of PGlite start-ups); on a server, where those are cheap, each test prepares
 * its own.
 */
export function usePreparedDatabase(
  engine: EngineName,
  prepare: (db: ScratchDatabase) => Promise<void>,
): ScratchDatabase {
  const preparedDatabase = async () => {
    const db = await createScratchDatabase(engine);
    try {
      await prepare(db);
    } catch (error) {
      await db.drop();
      throw error;
    }
    return db;
  };
  let pglitePrepared: ScratchDatabase | undefined;
  beforeAll(async () => {
    if (engine === 'pglite') pglitePrepared = await preparedDatabase();
  });
  afterAll(async () => {
    await pglitePrepared?.drop();
  });
  return useScratchDatabase(engine, {}, () =>
    pglitePrepared ? copyScratchPglite(pglitePrepared) : preparedDatabase(),
  );
}

/** The engines this run can test: PGlite always, PostgreSQL and Neon with TEST_DATABASE_URL. */
export const enginesUnderTest: EngineName[] = serverUrl
  ? ['pglite', 'postgres', 'neon']
  : ['pglite'];

/** Skipped suites say why in their name, so a skip is never mistaken for a pass. */
export function describeServer(name: string, body: () => void): void {
  describe.skipIf(!serverUrl)(
    serverUrl ? name : `${name} (skipped: TEST_DATABASE_URL unset)`,
    body,
  );
}

/**
 * A fresh database of `engine` for each test of the calling suite, dropped after
 * it. The returned object always stands for the current test's database.
 */
export function useScratchDatabase(
  engine: EngineName,
  options: ScratchOptions = {},
  create = () => createScratchDatabase(engine, options),
): ScratchDatabase {
  let current: ScratchDatabase | undefined;
  // Dropping a server database waits for a checkpoint (disk, not CPU): the next
  // test starts meanwhile, and the suite waits for every drop at its end.
  const drops: Promise<void>[] = [];
  beforeEach(async () => {
    current = await create();
  });
  afterEach(async () => {
    const dropping = current?.drop();
    current = undefined;
    if (engine === 'pglite') await dropping;
    else if (dropping) drops.push(dropping);
  });
  afterAll(async () => {
    await Promise.all(drops.splice(0));
  });
  const now = () => {
    if (!current) throw new Error('useScratchDatabase: the database exists only while a test runs');
    return current;
  };
  return {
    get target() {
      return now().target;
    },
    get env() {
      return now().env;
    },
    sql: (text, params) => now().sql(text, params),
    drop: () => now().drop(),
    pglite: () => {
      const { pglite } = now();
      if (!pglite) throw new Error('pglite(): this scratch database is not PGlite');
      return pglite();
    },
  };
}
