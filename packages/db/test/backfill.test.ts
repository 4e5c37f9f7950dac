import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { workBudget } from '@jam/testing/work-budget';
import { describe, expect, it } from 'vitest';
import { readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import { JamDbError } from '../src/errors.js';
import type { BackfillRecord } from '../src/migrations/backfill-progress.js';
import { Migrator, type ProgressEvent } from '../src/migrations/migrator.js';
import { binPath, runCli } from './support/cli.js';
import {
  describeServer,
  type EngineName,
  enginesUnderTest,
  type ScratchDatabase,
  useNeonProxy,
  useScratchDatabase,
} from './support/databases.js';
import { bp, type FixtureMigration, useMigrationsFolders } from './support/folders.js';

const folder = useMigrationsFolders();
const rows = 3000;
const gate = 4243;

/**
 * A table of `rows` rows, and a gate the backfill's own WHERE passes every row
 * through: above key 500 it waits for a shared advisory lock, so a test that
 * holds the lock stops the backfill after its fifth batch of 100.
 */
const hotTable: FixtureMigration = {
  tag: '0000_hot',
  sql: [
    'CREATE TABLE hot (id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0)',
    `INSERT INTO hot (id) SELECT g FROM generate_series(1, ${rows}) g`,
    `CREATE FUNCTION backfill_gate(k integer) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN IF k > 500 THEN PERFORM pg_advisory_xact_lock_shared(${gate}); END IF; RETURN true; END $$`,
  ].join(`;${bp}`),
};

/** n = n + 1: a row updated twice or never shows. */
const backfill: FixtureMigration = {
  tag: '0001_backfill',
  sql: `ALTER TABLE hot ADD note text;${bp}-- jam-db:backfill batch=100 pause=0ms\nUPDATE hot SET n = n + 1 WHERE backfill_gate(id);${bp}CREATE INDEX hot_n ON hot (n);`,
};

/** How many rows the backfill left alone, updated once, and updated another number of times. */
const countsOf = async (db: ScratchDatabase) =>
  (
    await db.sql<{ untouched: number; once: number; other: number }>(
      `select count(*) filter (where n = 0)::int as untouched, count(*) filter (where n = 1)::int as once,
              count(*) filter (where n not in (0, 1))::int as other from hot`,
    )
  )[0];

describe.each(enginesUnderTest)('a batched backfill on %s', (engine: EngineName) => {
  if (engine === 'neon') useNeonProxy();
  const db = useScratchDatabase(engine);

  it(
    'updates every row once and says so in one summary line when stdout is not a terminal',
    async () => {
      const dir = folder(hotTable, backfill);
      const run = await runCli(['migrate', '--migrations', dir], db.env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`  backfilled 3 000 rows of "hot" in 30 batches, `);
      expect(run.stdout).not.toContain('\r');
      expect(await countsOf(db)).toEqual({ untouched: 0, once: rows, other: 0 });
      const [index] = await db.sql("select to_regclass('hot_n')::text as name");
      expect(index).toEqual({ name: 'hot_n' });
      expect(await db.sql('select * from drizzle.__jam_progress')).toEqual([]);
    },
    workBudget({ cliRuns: 2 }),
  );
});

describe('what a backfill refuses, on PGlite', () => {
  const db = useScratchDatabase('pglite');

  it(
    'refuses a bad directive before running anything, naming the line',
    async () => {
      const dir = folder(hotTable, {
        tag: '0001_backfill',
        sql: `-- jam-db:backfill batch=0\nUPDATE hot SET n = n + 1;`,
      });
      const run = await runCli(['migrate', '--migrations', dir], db.env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `Migration 0001_backfill has a backfill the runner cannot follow (line 1 of ${dir}/0001_backfill.sql): batch=0 is not a batch size: give a whole number of rows from 1 to 1,000,000. Nothing was run.`,
      );
      expect(run.stderr).toContain('Write the directive as `-- jam-db:backfill batch=<rows>');
      const lint = await runCli(['lint', '--migrations', dir], db.env);
      expect(lint.code).toBe(1);
      expect(lint.stdout + lint.stderr).toContain('backfill-directive');
    },
    workBudget({ cliRuns: 3 }),
  );

  it(
    'refuses a table without a single-column primary key, keeping what ran before it',
    async () => {
      const dir = folder({
        tag: '0000_nokey',
        sql: `CREATE TABLE nokey (n integer);${bp}-- jam-db:backfill\nUPDATE nokey SET n = 1;`,
      });
      const run = await runCli(['migrate', '--migrations', dir], db.env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `The backfill of 0000_nokey (line 3 of ${dir}/0000_nokey.sql) cannot run in batches: "nokey" has no primary key, and batches follow a single-column primary key.`,
      );
      const status = JSON.parse(
        (await runCli(['status', '--migrations', dir, '--json'], db.env)).stdout,
      );
      expect(status.pending).toEqual([
        expect.objectContaining({ tag: '0000_nokey', segmentsApplied: 1, segmentsTotal: 2 }),
      ]);
    },
    workBudget({ cliRuns: 2 }),
  );
});

/** The jam-db CLI in a child process the test can kill. */
function startCli(args: string[], env: Record<string, string>): ChildProcess {
  const { DATABASE_URL, JAM_DB_DIRECT_URL, JAM_DB_DRIVER, ...rest } = process.env;
  return spawn(process.execPath, [binPath, ...args], { env: { ...rest, ...env }, stdio: 'ignore' });
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + workBudget({ cliRuns: 2 });
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await sleep(50);
  }
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });

describeServer('a batched backfill on PostgreSQL', () => {
  const db = useScratchDatabase('postgres');

  const migratorFor = (dir: string, onProgress?: (event: ProgressEvent) => void) =>
    new Migrator({ target: db.target, folder: readMigrationFolder(dir), onProgress });

  it(
    'commits batch by batch along the key, each with its progress record',
    async () => {
      const dir = folder(hotTable, backfill);
      const events: Extract<ProgressEvent, { kind: 'backfill' }>[] = [];
      await migratorFor(dir, (event) => {
        if (event.kind === 'backfill') events.push(structuredClone(event));
      }).migrate();
      const batches = events.filter((e) => e.phase === 'batch').map((e) => e.record);
      expect(batches).toHaveLength(30);
      expect(batches.map((b) => [b.lastKey, b.rows, b.batches])).toEqual(
        Array.from({ length: 30 }, (_, i) => [String((i + 1) * 100), (i + 1) * 100, i + 1]),
      );
      expect(events[0]).toMatchObject({
        phase: 'start',
        record: { table: '"hot"', rows: 0, estimatedTotal: rows },
      });
      expect(events.at(-1)).toMatchObject({ phase: 'done', run: { rows, batches: 30 } });
      expect(await countsOf(db)).toEqual({ untouched: 0, once: rows, other: 0 });
    },
    workBudget({ cliRuns: 1 }),
  );

  it(
    'resumes after a kill from the last committed batch: every row updated exactly once',
    async () => {
      const dir = folder(hotTable, backfill);
      expect(
        (await runCli(['migrate', '--migrations', dir, '--to', '0000_hot'], db.env)).code,
      ).toBe(0);
      const pg = (await import('pg')).default;
      const holder = new pg.Client({ connectionString: db.env.DATABASE_URL });
      await holder.connect();
      await holder.query(`select pg_advisory_lock(${gate})`);
      const progress = async () =>
        (
          await db.sql<{ updated: number; record: BackfillRecord | null }>(
            `select (select count(*)::int from hot where n = 1) as updated,
                    (select backfill from drizzle.__jam_progress where tag = '0001_backfill') as record`,
          )
        )[0]!;
      try {
        const child = startCli(['migrate', '--migrations', dir], db.env);
        await until(async () => (await progress()).record?.batches === 5, 'five batches commit');
        // Seen from another connection while the run goes on: the five batches are
        // committed, with their record, and nothing of the sixth (it waits at the gate).
        expect(await progress()).toEqual({
          updated: 500,
          record: {
            segment: 1,
            statementHash: expect.any(String),
            table: '"hot"',
            lastKey: '500',
            rows: 500,
            batches: 5,
            estimatedTotal: rows,
            bound: String(rows),
          },
        });
        // Rows the app inserts while the backfill runs are not its work (the code or the
        // expand's trigger fills them): keys above the one it started at are never visited.
        await db.sql(`insert into hot (id) values (${rows + 1}), (${rows + 2})`);
        await killed(child);
      } finally {
        await holder.end();
      }
      const status = await runCli(['status', '--migrations', dir], db.env);
      expect(status.stdout).toContain(
        '1 of 3 segments applied; segment 2: backfill of "hot": 500 rows of ~3 000 in 5 batches (last key 500)',
      );
      const json = JSON.parse(
        (await runCli(['status', '--migrations', dir, '--json'], db.env)).stdout,
      );
      expect(json.pending).toEqual([
        expect.objectContaining({
          tag: '0001_backfill',
          segmentsApplied: 1,
          backfill: expect.objectContaining({ rows: 500, lastKey: '500' }),
        }),
      ]);

      const next = await runCli(['migrate', '--migrations', dir], db.env);
      expect(next.stderr).toBe('');
      expect(next.code).toBe(0);
      expect(next.stdout).toContain('backfilled 2 500 rows of "hot" in 25 batches, ');
      expect(next.stdout).toContain('(continuing after 500 rows of an earlier run)');
      expect(await countsOf(db)).toEqual({ untouched: 2, once: rows, other: 0 });
    },
    workBudget({ cliRuns: 6 }),
  );

  it(
    'stops at a failing batch with the batches before it kept, and continues once the statement is fixed',
    async () => {
      const failing = {
        tag: '0001_backfill',
        sql: "-- jam-db:backfill batch=100\nUPDATE hot SET n = n + ('1' || CASE WHEN id = 250 THEN 'x' ELSE '' END)::int;",
      };
      const dir = folder(hotTable, failing);
      const error = await migratorFor(dir)
        .migrate()
        .then(
          () => null,
          (thrown: unknown) => thrown,
        );
      expect(error).toBeInstanceOf(JamDbError);
      expect((error as JamDbError).message).toContain(
        'invalid input syntax for type integer: "1x"',
      );
      expect((error as JamDbError).message).toContain("UPDATE hot SET n = n + ('1' ||");
      expect(await countsOf(db)).toEqual({ untouched: rows - 200, once: 200, other: 0 });
      const fixedDir = folder(hotTable, {
        ...failing,
        sql: '-- jam-db:backfill batch=100\nUPDATE hot SET n = n + 1;',
      });
      const notices: string[] = [];
      await migratorFor(fixedDir, (event) => {
        if (event.kind === 'interrupted-statement') notices.push(event.finding);
      }).migrate();
      expect(notices).toEqual([
        "the backfill's UPDATE changed since its last committed batch: its 2 committed batch(es) keep what the earlier UPDATE did; continuing after key 200 with the UPDATE as it is now",
      ]);
      expect(await countsOf(db)).toEqual({ untouched: 0, once: rows, other: 0 });
    },
    workBudget({ cliRuns: 2 }),
  );

  it(
    'refuses a composite primary key, a table that does not exist and an UPDATE of the key',
    async () => {
      const message = async (tag: string, sql: string) => {
        const dir = folder({ tag, sql });
        const thrown = await migratorFor(dir)
          .migrate()
          .catch((e: unknown) => e);
        return (thrown as JamDbError).message;
      };
      expect(
        await message(
          '0000_pair',
          `CREATE TABLE pair (a integer, b integer, n integer, PRIMARY KEY (a, b));${bp}-- jam-db:backfill\nUPDATE pair SET n = 1;`,
        ),
      ).toContain(
        '"pair" has a primary key of 2 columns (a, b), and batches follow a single-column primary key',
      );
      expect(
        await message('0000_missing', '-- jam-db:backfill\nUPDATE app.missing SET n = 1;'),
      ).toContain('updates "app"."missing", which does not exist');
      expect(
        await message(
          '0000_key',
          `CREATE TABLE moving (id integer PRIMARY KEY);${bp}-- jam-db:backfill\nUPDATE moving SET id = id + 10;`,
        ),
      ).toContain(
        `sets "moving"'s primary key "id", which its batches follow: a row given a higher key would be met again by a later batch.`,
      );
    },
    workBudget({ cliRuns: 1 }),
  );
});
