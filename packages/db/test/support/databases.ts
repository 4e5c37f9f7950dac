import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDatabaseName } from '@jam/testing/names';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { Target } from '../../src/client/target.js';
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
  /** An admin connection to the same database for assertions. */
  sql<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
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

export async function createScratchDatabase(engine: EngineName): Promise<ScratchDatabase> {
  if (engine === 'pglite') return createScratchPglite();
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is required for this engine');
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
 * The initialised, empty PGlite folder the run's global setup made with the
 * built CLI: copying it takes a tenth of a second, initdb takes seconds.
 */
function emptyPgliteFolder(): string {
  const template = process.env.JAM_TEST_PGLITE_EMPTY;
  if (!template) {
    throw new Error('No PGlite template: build @jam/db first (`pnpm build`), then run the tests.');
  }
  return template;
}

/**
 * PGlite in a temporary folder. Assertions open it only between CLI runs, since
 * two processes must never hold one PGlite folder.
 */
async function createScratchPglite(): Promise<ScratchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'jam-pglite-'));
  const dataDir = join(dir, 'data');
  cpSync(emptyPgliteFolder(), dataDir, { recursive: true });
  return {
    target: { engine: 'pglite', dataDir },
    env: { DATABASE_URL: `pglite:${dataDir}` },
    async sql(text, params) {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create(dataDir);
      try {
        // Without parameters, exec: it accepts several statements, like the server's simple protocol.
        if (params === undefined) return ((await db.exec(text)).at(-1)?.rows ?? []) as never[];
        return (await db.query(text, params)).rows as never[];
      } finally {
        await db.close();
      }
    },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
export function useScratchDatabase(engine: EngineName): ScratchDatabase {
  let current: ScratchDatabase | undefined;
  beforeEach(async () => {
    current = await createScratchDatabase(engine);
  });
  afterEach(async () => {
    await current?.drop();
    current = undefined;
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
  };
}
