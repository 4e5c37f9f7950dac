import { workBudget } from '@jam/testing/work-budget';
import pg from 'pg';
import { expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { describeServer, useScratchDatabase } from './support/databases.js';
import { useMigrationsFolders } from './support/folders.js';
import { startWatchedCli, until } from './support/kills.js';
import { baseMigration, fillMigration, safeFile } from './support/online-forms.js';

const folder = useMigrationsFolders();

/** A migration whose CONCURRENTLY step is followed by one that records the lock_timeout it runs with. */
const thenSetting = (statement: string) => ({
  tag: '0002_concurrently',
  sql: safeFile(1, [
    statement,
    `CREATE TABLE "lock_setting" AS SELECT current_setting('lock_timeout') AS "value";`,
  ]),
});

const steps = [
  {
    step: 'CREATE INDEX CONCURRENTLY',
    migration: thenSetting('CREATE INDEX CONCURRENTLY "t_a_idx" ON "t" USING btree ("a");'),
    index: 't_a_idx',
    validAfter: true,
  },
  {
    step: 'DROP INDEX CONCURRENTLY',
    migration: thenSetting('DROP INDEX CONCURRENTLY "t_d_idx";'),
    index: 't_d_idx',
    validAfter: null,
  },
];

const lockTimeoutMs = 100;

describeServer('a CONCURRENTLY step that waits behind a writer (PostgreSQL)', () => {
  const db = useScratchDatabase('postgres');

  /** The base and its rows applied, and a writer holding a transaction open on `t`. */
  async function prepare(migration = steps[0]!.migration) {
    const dir = folder(baseMigration, fillMigration(200), migration);
    expect((await runCli(['migrate', '--migrations', dir, '--to', '0001_fill'], db.env)).code).toBe(
      0,
    );
    const writer = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await writer.connect();
    await writer.query('BEGIN');
    await writer.query(`INSERT INTO "t" ("id") VALUES (0)`);
    return { dir, writer };
  }

  /** How long a statement that contains `text` has waited for the writer's transaction, in ms (null: none waits). */
  const waitedMs = async (text: string) =>
    (
      await db.sql<{ ms: number }>(
        `select (extract(epoch from clock_timestamp() - a.query_start) * 1000)::int as ms
           from pg_stat_activity a join pg_locks l on l.pid = a.pid and not l.granted
          where a.datname = current_database() and l.locktype = 'virtualxid'
            and position($1 in a.query) > 0`,
        [text],
      )
    )[0]?.ms ?? null;

  /** Whether the index is valid; null when it does not exist. */
  const indexValid = async (name = 't_a_idx') =>
    (
      await db.sql<{ valid: boolean }>(
        'select indisvalid as valid from pg_index where indexrelid = to_regclass($1)',
        [name],
      )
    )[0]?.valid ?? null;

  it.each(steps)(
    '$step waits past lock_timeout, since its wait blocks no one, finishes once the writer ends, and puts lock_timeout back for the next step',
    async ({ step, migration, index, validAfter }) => {
      const { dir, writer } = await prepare(migration);
      const run = startWatchedCli(['migrate', '--migrations', dir, '--lock-retries', '1'], {
        ...db.env,
        JAM_DB_LOCK_TIMEOUT: String(lockTimeoutMs),
      });
      try {
        // Under lock_timeout no single attempt could wait this long; the run would have given up.
        await until(
          async () =>
            ((await waitedMs(step)) ?? 0) > 10 * lockTimeoutMs || run.child.exitCode !== null,
          `${step} has waited ten lock timeouts`,
        );
        expect(run.child.exitCode, run.output()).toBeNull();
      } finally {
        await writer.query('ROLLBACK');
        await writer.end();
      }
      expect(await run.exited, run.output()).toBe(0);
      expect(run.output()).not.toMatch(/retry/);
      expect(await indexValid(index)).toBe(validAfter);
      expect(await db.sql('select value from lock_setting')).toEqual([
        { value: `${lockTimeoutMs}ms` },
      ]);
    },
    workBudget({ cliRuns: 2 }),
  );

  it(
    'names the migration and its statement when the clean-up of an INVALID index fails, and the next run finishes it',
    async () => {
      const { dir, writer } = await prepare();
      // statement_timeout (which the user may set) still ends a wait: the build, then the clean-up.
      const impatient = { ...db.env, PGOPTIONS: '-c statement_timeout=300' };
      try {
        const first = await runCli(['migrate', '--migrations', dir], impatient);
        expect(first.code).toBe(1);
        expect(first.stderr).toMatch(/canceling statement due to statement timeout/);
        expect(await indexValid()).toBe(false);
        const second = await runCli(['migrate', '--migrations', dir], impatient);
        expect(second.code).toBe(1);
        expect(second.stderr).not.toMatch(/unexpected error/);
        expect(second.stderr).toMatch(
          /Migration 0002_concurrently failed at statement 1 \(line 3 of .*0002_concurrently\.sql\): CREATE INDEX CONCURRENTLY "t_a_idx"/,
        );
        expect(second.stderr).toMatch(/canceling statement due to statement timeout/);
      } finally {
        await writer.query('ROLLBACK');
        await writer.end();
      }
      const next = await runCli(['migrate', '--migrations', dir], db.env);
      expect(next.stderr).toBe('');
      expect(next.stdout).toMatch(
        /index "t_a_idx" was left INVALID: dropped it, building it again/,
      );
      expect(await indexValid()).toBe(true);
    },
    workBudget({ cliRuns: 4 }),
  );
});
