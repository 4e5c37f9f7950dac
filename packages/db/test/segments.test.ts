import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { workBudget } from '@jam/testing/work-budget';
import { describe, expect, it } from 'vitest';
import type { Migration } from '../src/drizzle-kit/migration-folder.js';
import { cutSegments, planMigration } from '../src/migrations/segments.js';
import { readFileStatements } from '../src/sql/transaction-control.js';
import { binPath, runCli } from './support/cli.js';
import {
  describeServer,
  type EngineName,
  type ScratchDatabase,
  useScratchDatabase,
} from './support/databases.js';
import { bp, useMigrationsFolders } from './support/folders.js';

const folder = useMigrationsFolders();

const migrationOf = (sql: string): Migration => ({
  idx: 0,
  tag: '0000_x',
  when: 0,
  hash: 'h',
  path: '/nowhere/0000_x.sql',
  sql,
  statements: sql.split(bp),
});

/** Each segment as its statements' texts, prefixed "alone:" when it runs outside a transaction. */
async function segmentsOf(sql: string): Promise<string[][] | null> {
  const { segmented } = await planMigration(migrationOf(sql));
  return (
    segmented?.segments.map((s) =>
      s.statements.map((i) => `${s.transactional ? '' : 'alone:'}${segmented.statements[i]}`),
    ) ?? null
  );
}

describe('cutting a migration into segments', () => {
  it('leaves an ordinary migration (DO blocks included) to the shared transaction', async () => {
    expect(
      await segmentsOf(
        `CREATE TABLE a (id int)${bp}DO $$ BEGIN CREATE TYPE t AS ENUM ('x'); EXCEPTION WHEN duplicate_object THEN null; END $$;`,
      ),
    ).toBeNull();
  });

  it('cuts at an in-file COMMIT inside a chunk and runs CONCURRENTLY alone', async () => {
    expect(
      await segmentsOf(
        `CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON a (id);${bp}ALTER TABLE a ADD x int;${bp}ALTER TABLE b ADD y int;`,
      ),
    ).toEqual([
      ['CREATE TABLE a (id int)', 'CREATE TABLE b (id int)'],
      ['alone:CREATE INDEX CONCURRENTLY i ON a (id)'],
      ['ALTER TABLE a ADD x int', 'ALTER TABLE b ADD y int'],
    ]);
  });

  it('commits after each ADD VALUE so the statements after it can use the value', async () => {
    expect(
      await segmentsOf(
        `ALTER TYPE mood ADD VALUE 'happy';${bp}ALTER TABLE p ALTER m SET DEFAULT 'happy';${bp}UPDATE p SET m = 'happy';${bp}CREATE INDEX CONCURRENTLY i ON p (m);${bp}UPDATE q SET m = 'happy';`,
      ),
    ).toEqual([
      ["ALTER TYPE mood ADD VALUE 'happy'"],
      ["ALTER TABLE p ALTER m SET DEFAULT 'happy'", "UPDATE p SET m = 'happy'"],
      ['alone:CREATE INDEX CONCURRENTLY i ON p (m)'],
      ["UPDATE q SET m = 'happy'"],
    ]);
  });

  it('gives each statement of a file marked no-transaction its own segment, except inside the file’s BEGIN … COMMIT', async () => {
    expect(
      await segmentsOf(
        `-- jam-db:no-transaction\nUPDATE a SET x = 1;${bp}UPDATE b SET x = 1;${bp}BEGIN; UPDATE p SET x = 1; UPDATE q SET x = 1; COMMIT;`,
      ),
    ).toEqual([
      ['UPDATE a SET x = 1'],
      ['UPDATE b SET x = 1'],
      ['UPDATE p SET x = 1', 'UPDATE q SET x = 1'],
    ]);
  });

  it('says why in the mode', async () => {
    expect((await planMigration(migrationOf('CREATE TABLE a (id int); COMMIT;'))).mode).toEqual({
      kind: 'segments',
      reason: 'it holds COMMIT',
    });
    expect((await planMigration(migrationOf('CREATE TABLE a (id int);\nVACUUM a;'))).mode).toEqual({
      kind: 'no-transaction',
      reason: 'it holds VACUUM',
    });
  });

  it('refuses a file that rolls back its own work, before running anything', async () => {
    await expect(
      planMigration(migrationOf('BEGIN; CREATE TABLE a (id int); ROLLBACK;')),
    ).rejects.toThrow(/holds ROLLBACK .*cannot be recorded truthfully\. Nothing was run\./);
  });

  it('keeps savepoints inside their segment', async () => {
    const statements = await readFileStatements([
      'BEGIN; SAVEPOINT s; CREATE TABLE a (id int); RELEASE SAVEPOINT s; COMMIT AND CHAIN; SELECT 1; COMMIT',
    ]);
    const inputs = statements!.map((s) => ({ control: s.control, refused: null }));
    expect(cutSegments(inputs, false)).toEqual([
      { statements: [1, 2, 3], transactional: true },
      { statements: [5], transactional: true },
    ]);
  });
});

const tablesOf = async (db: ScratchDatabase) =>
  (
    await db.sql<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    )
  ).map((r) => r.name);

const statusOf = async (dir: string, db: ScratchDatabase) =>
  JSON.parse((await runCli(['status', '--migrations', dir, '--json'], db.env)).stdout);

/** A migration with its own COMMIT, then a CONCURRENTLY index, then a statement that fails. */
const withCommitThenFailure = `CREATE TABLE b (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY b_id ON b (id);${bp}ALTER TABLE b ADD COLUMN x nosuchtype;`;

function inFileCommitSuite(engine: EngineName) {
  const db = useScratchDatabase(engine);
  // PGlite runs the same runner code and its CLI runs cost seconds each, so the
  // cases past the main one are defined only on a server (not skipped on PGlite).
  const onServer = (name: string, test: () => Promise<void>) => {
    if (engine !== 'pglite') it(name, test);
  };

  it(
    'records what committed before a failure, shows it in status, and continues once the file is fixed',
    async () => {
      const dir = folder(
        { tag: '0000_a', sql: 'CREATE TABLE a (id int)' },
        { tag: '0001_commit', sql: withCommitThenFailure },
      );
      const failed = await runCli(['migrate', '--migrations', dir], db.env);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/statement 4 \(line 5 of .*0001_commit\.sql\)/);
      expect(failed.stderr).toMatch(
        /0001_commit runs in 3 segments because it holds COMMIT: its first 2 segments are committed and recorded .*segment 3 of 3 failed and was rolled back/,
      );
      expect(failed.stderr).not.toMatch(/Nothing of 0001_commit was kept/);
      expect(await tablesOf(db)).toEqual(['a', 'b']);

      const status = await statusOf(dir, db);
      expect(status.applied.map((a: { tag: string }) => a.tag)).toEqual(['0000_a']);
      expect(status.pending).toEqual([
        expect.objectContaining({
          tag: '0001_commit',
          segmentsApplied: 2,
          segmentsTotal: 3,
          nextStatement: 'ALTER TABLE b ADD COLUMN x nosuchtype',
        }),
      ]);
      if (engine !== 'pglite') {
        // The same code on every engine; PGlite's CLI runs cost seconds, so these run on the server.
        const text = await runCli(['status', '--migrations', dir], db.env);
        expect(text.code).toBe(3);
        expect(text.stdout).toMatch(/PARTIAL +0001_commit +2 of 3 segments applied/);
        expect(text.stdout).toMatch(
          /0001_commit: 2 of 3 segments applied \(applied in part since .*\); next: ALTER TABLE b ADD COLUMN x nosuchtype\./,
        );

        const rollback = await runCli(['rollback', '--migrations', dir], db.env);
        expect(rollback.code).toBe(1);
        expect(rollback.stderr).toMatch(
          /Cannot roll back while a migration is applied in part: 0001_commit \(2 of 3 segments applied\)/,
        );
      }

      writeFileSync(
        join(dir, '0001_commit.sql'),
        withCommitThenFailure.replace('nosuchtype', 'int'),
      );
      const fixed = await runCli(['migrate', '--migrations', dir], db.env);
      expect(fixed.stderr).toBe('');
      expect(fixed.stdout).toMatch(/0001_commit: 2 of 3 segments were applied by an earlier run/);
      const done = await statusOf(dir, db);
      expect(done.applied.map((a: { tag: string }) => a.tag)).toEqual(['0000_a', '0001_commit']);
      expect(done.pending).toEqual([]);
    },
    workBudget({ cliRuns: 6, pgliteOpens: 1 }),
  );

  onServer('refuses to continue when a segment already applied was edited', async () => {
    const dir = folder({ tag: '0000_commit', sql: withCommitThenFailure });
    expect((await runCli(['migrate', '--migrations', dir], db.env)).code).toBe(1);
    writeFileSync(
      join(dir, '0000_commit.sql'),
      withCommitThenFailure.replace('b (id int)', 'b (id bigint)').replace('nosuchtype', 'int'),
    );
    const refused = await runCli(['migrate', '--migrations', dir], db.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /Migration 0000_commit is applied in part \(2 of 3 segments applied\), and the part of .* already applied changed since\. Nothing was run\./,
    );
    expect(refused.stderr).toMatch(/Restore the statements of its first 2 segment\(s\)/);
  });

  onServer('refuses a file that rolls back its own work and runs nothing of the run', async () => {
    const dir = folder(
      { tag: '0000_a', sql: 'CREATE TABLE a (id int)' },
      { tag: '0001_undo', sql: 'BEGIN;\nCREATE TABLE b (id int);\nROLLBACK;' },
    );
    const refused = await runCli(['migrate', '--migrations', dir], db.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /Migration 0001_undo holds ROLLBACK \(line 3 of .*0001_undo\.sql: ROLLBACK\)\..*Nothing was run\./,
    );
    expect(refused.stderr).toMatch(/Remove the ROLLBACK and the statements it would undo/);
    expect(await tablesOf(db)).toEqual([]);
  });

  onServer('lets a failed CONCURRENTLY statement be fixed in its file, then runs it', async () => {
    const dir = folder(
      { tag: '0000_t', sql: 'CREATE TABLE t (id int)' },
      { tag: '0001_index', sql: 'CREATE INDEX CONCURRENTLY t_idx ON t (no_such_column)' },
    );
    const failed = await runCli(['migrate', '--migrations', dir], db.env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /0001_index ran outside a transaction because it holds CREATE INDEX CONCURRENTLY: it is not recorded as applied/,
    );
    writeFileSync(join(dir, '0001_index.sql'), 'CREATE INDEX CONCURRENTLY t_idx ON t (id)');
    const fixed = await runCli(['migrate', '--migrations', dir], db.env);
    expect(fixed.stderr).toBe('');
    expect((await statusOf(dir, db)).pending).toEqual([]);
  });

  onServer(
    'keeps a migration with its own COMMIT when a later migration fails, and continues after the fix',
    async () => {
      const dir = folder(
        { tag: '0000_commit', sql: `CREATE TABLE b (id int);\nCOMMIT;\nCREATE TABLE c (id int);` },
        { tag: '0001_broken', sql: 'ALTER TABLE c ADD x nosuchtype' },
      );
      const failed = await runCli(['migrate', '--migrations', dir], db.env);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/Nothing of 0001_broken was kept/);
      expect(failed.stderr).toMatch(/Kept: 0000_commit, committed before the failing transaction/);
      expect((await statusOf(dir, db)).applied.map((a: { tag: string }) => a.tag)).toEqual([
        '0000_commit',
      ]);
      writeFileSync(join(dir, '0001_broken.sql'), 'ALTER TABLE c ADD x int');
      expect((await runCli(['migrate', '--migrations', dir], db.env)).code).toBe(0);
      expect((await statusOf(dir, db)).pending).toEqual([]);
    },
  );
}

describe('a migration with its own COMMIT on PGlite', () => inFileCommitSuite('pglite'));
describeServer('a migration with its own COMMIT on PostgreSQL', () =>
  inFileCommitSuite('postgres'),
);

/** The jam-db CLI in a child process the test can kill. */
function startCli(args: string[], env: Record<string, string>): ChildProcess {
  const { DATABASE_URL, JAM_DB_DIRECT_URL, JAM_DB_DRIVER, ...rest } = process.env;
  return spawn(process.execPath, [binPath, ...args], {
    env: { ...rest, ...env },
    stdio: 'ignore',
  });
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

describeServer('a kill during a migration that runs in segments (PostgreSQL)', () => {
  const db = useScratchDatabase('postgres');
  const gate = 4242;

  /** Holds the advisory lock a migration's statement waits on, on a connection of its own. */
  async function holdGate() {
    const pg = (await import('pg')).default;
    const holder = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await holder.connect();
    await holder.query(`select pg_advisory_lock(${gate})`);
    return holder;
  }

  const waitsAtGate = async () =>
    (
      await db.sql(
        `select 1 from pg_locks l join pg_database d on d.oid = l.database
          where d.datname = current_database() and l.locktype = 'advisory' and not l.granted and l.objid = ${gate}`,
      )
    ).length > 0;

  it(
    'leaves the segments committed before the kill recorded, and the next run finishes',
    async () => {
      const dir = folder(
        { tag: '0000_a', sql: 'CREATE TABLE a (id int)' },
        {
          tag: '0001_commit',
          sql: `CREATE TABLE k1 (id int);\nCOMMIT;${bp}SELECT pg_advisory_xact_lock(${gate});\nCREATE TABLE k2 (id int);\nCOMMIT;${bp}CREATE TABLE k3 (id int);`,
        },
      );
      const holder = await holdGate();
      try {
        const child = startCli(['migrate', '--migrations', dir], db.env);
        await until(waitsAtGate, 'the migration waits in its second segment');
        await killed(child);
      } finally {
        // The killed client's server process goes on to its segment's end, finds no client and rolls back.
        await holder.end();
      }
      const status = await statusOf(dir, db);
      expect(status.applied.map((a: { tag: string }) => a.tag)).toEqual(['0000_a']);
      expect(status.pending).toEqual([
        expect.objectContaining({ tag: '0001_commit', segmentsApplied: 1, segmentsTotal: 3 }),
      ]);
      expect(await tablesOf(db)).toEqual(['a', 'k1']);

      const next = await runCli(['migrate', '--migrations', dir], db.env);
      expect(next.stderr).toBe('');
      expect(next.code).toBe(0);
      expect(await tablesOf(db)).toEqual(['a', 'k1', 'k2', 'k3']);
      expect((await statusOf(dir, db)).pending).toEqual([]);
    },
    workBudget({ cliRuns: 5 }),
  );

  it(
    'commits an enum value it adds on its own, so a kill before the value is used does not fail the next run',
    async () => {
      const dir = folder(
        { tag: '0000_enum', sql: `CREATE TYPE mood AS ENUM ('sad');${bp}CREATE TABLE p (m mood)` },
        {
          tag: '0001_add_and_use',
          sql: `ALTER TYPE mood ADD VALUE 'happy';${bp}SELECT pg_advisory_xact_lock(${gate});${bp}ALTER TABLE p ALTER COLUMN m SET DEFAULT 'happy';`,
        },
      );
      const holder = await holdGate();
      try {
        const child = startCli(['migrate', '--migrations', dir], db.env);
        await until(waitsAtGate, 'the migration waits after its ADD VALUE');
        await killed(child);
      } finally {
        await holder.end();
      }
      const [labels] = await db.sql<{ labels: string[] }>(
        `select enum_range(null::mood)::text[] as labels`,
      );
      expect(labels?.labels).toEqual(['sad', 'happy']);
      expect((await statusOf(dir, db)).pending).toEqual([
        expect.objectContaining({ tag: '0001_add_and_use', segmentsApplied: 1, segmentsTotal: 2 }),
      ]);
      const next = await runCli(['migrate', '--migrations', dir], db.env);
      expect(next.stderr).toBe('');
      expect(next.code).toBe(0);
      const [column] = await db.sql<{ fallback: string }>(
        `select column_default as fallback from information_schema.columns where table_name = 'p' and column_name = 'm'`,
      );
      expect(column?.fallback).toBe(`'happy'::mood`);
    },
    workBudget({ cliRuns: 4 }),
  );

  it(
    'drops an index a killed CONCURRENTLY build left INVALID and builds it again',
    async () => {
      const dir = folder(
        { tag: '0000_t', sql: 'CREATE TABLE t (id int)' },
        { tag: '0001_index', sql: 'CREATE INDEX CONCURRENTLY t_id_idx ON t (id)' },
      );
      expect((await runCli(['migrate', '--migrations', dir, '--to', '0000_t'], db.env)).code).toBe(
        0,
      );
      const pg = (await import('pg')).default;
      const writer = new pg.Client({ connectionString: db.env.DATABASE_URL });
      await writer.connect();
      try {
        // A concurrent build waits for open writers of its table after it created the index entry.
        await writer.query('BEGIN');
        await writer.query('INSERT INTO t VALUES (1)');
        const child = startCli(['migrate', '--migrations', dir], db.env);
        const building = async () =>
          (
            await db.sql<{ pid: number }>(
              `select pid from pg_stat_activity where datname = current_database() and query like 'CREATE INDEX CONCURRENTLY%' and wait_event_type = 'Lock'`,
            )
          )[0]?.pid;
        await until(async () => (await building()) !== undefined, 'the index build waits');
        const pid = await building();
        await killed(child);
        // The server notices a lost client only when it next talks to it: end its process as a crash would.
        await db.sql('select pg_terminate_backend($1)', [pid]);
      } finally {
        await writer.query('COMMIT');
        await writer.end();
      }
      const [left] = await db.sql<{ valid: boolean }>(
        `select indisvalid as valid from pg_index where indexrelid = 't_id_idx'::regclass`,
      );
      expect(left?.valid).toBe(false);
      expect((await statusOf(dir, db)).pending).toEqual([
        expect.objectContaining({ tag: '0001_index', segmentsApplied: 0, interruptedSegment: 1 }),
      ]);

      const next = await runCli(['migrate', '--migrations', dir], db.env);
      expect(next.stderr).toBe('');
      expect(next.stdout).toMatch(
        /index "t_id_idx" was left INVALID: dropped it, building it again/,
      );
      const [rebuilt] = await db.sql<{ valid: boolean }>(
        `select indisvalid as valid from pg_index where indexrelid = 't_id_idx'::regclass`,
      );
      expect(rebuilt?.valid).toBe(true);
      expect((await statusOf(dir, db)).pending).toEqual([]);
    },
    workBudget({ cliRuns: 5 }),
  );
});
