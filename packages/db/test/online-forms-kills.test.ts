import { workBudget } from '@jam/testing/work-budget';
import pg from 'pg';
import { expect, it } from 'vitest';
import { openSession } from '../src/engines/open-session.js';
import { diffSchemaFacts, readSchemaFacts } from '../src/introspect/schema-facts.js';
import type { Target } from '../src/target/target.js';
import { runCli } from './support/cli.js';
import {
  createScratchDatabase,
  describeServer,
  type ScratchDatabase,
  useScratchDatabase,
} from './support/databases.js';
import { type FixtureMigration, useMigrationsFolders } from './support/folders.js';
import { killed, startCli, until } from './support/kills.js';
import { baseMigration, fillMigration, onlineCases, safeFile } from './support/online-forms.js';

const folder = useMigrationsFolders();
const rows = 200;

const foreignKey = onlineCases.find((c) => c.tag === '0004_foreign_key')!;

/** Two rewritten statements: an index on `parent`, then the unique constraint on `t` (index, then USING INDEX). */
const indexAndUnique: FixtureMigration = {
  tag: '0002_index_and_unique',
  sql: safeFile(2, [
    'CREATE INDEX CONCURRENTLY "parent_name_idx" ON "parent" USING btree ("name");',
    'CREATE UNIQUE INDEX CONCURRENTLY "t_b_c_unique" ON "t" ("b","c");',
    'ALTER TABLE "t" ADD CONSTRAINT "t_b_c_unique" UNIQUE USING INDEX "t_b_c_unique";',
  ]),
};

const historyWith = (migration: FixtureMigration) =>
  folder(baseMigration, fillMigration(rows), migration);

async function factsOf(target: Target) {
  const session = await openSession(target);
  try {
    return await readSchemaFacts(session);
  } finally {
    await session.close();
  }
}

/** The schema the same folder gives when nothing interrupts it. */
async function uninterruptedFacts(dir: string) {
  const reference = await createScratchDatabase('postgres');
  try {
    const run = await runCli(['migrate', '--migrations', dir], reference.env);
    expect(run.stderr).toBe('');
    return await factsOf(reference.target);
  } finally {
    await reference.drop();
  }
}

const statusOf = async (dir: string, db: ScratchDatabase) =>
  JSON.parse((await runCli(['status', '--migrations', dir, '--json'], db.env)).stdout);

async function connect(db: ScratchDatabase): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.env.DATABASE_URL });
  await client.connect();
  return client;
}

describeServer('a CLI migrate killed in a step of an online-safe migration (PostgreSQL)', () => {
  const db = useScratchDatabase('postgres');

  /**
   * The killed run's env. The statement waits for a lock the test holds, so its
   * lock_timeout must outlast the test's waits. By default a server notices a
   * client that went away only when it next talks to it, not while a statement
   * waits for a lock; client_connection_check_interval makes it look while it
   * waits, so the kill ends the statement mid-step, as a lost server connection
   * would.
   */
  const killableEnv = () => ({
    ...db.env,
    JAM_DB_LOCK_TIMEOUT: String(workBudget({ cliRuns: 4 })),
    PGOPTIONS: '-c client_connection_check_interval=100',
  });

  /**
   * The server process running a statement that contains `text` while it waits
   * for a lock of that kind: `relation` (a table lock the test holds) or
   * `virtualxid` (a CONCURRENTLY step waiting for the writer's transaction, not
   * for an autovacuum that happens to hold the table for a moment).
   */
  const waitingBackend = async (text: string, lock: 'relation' | 'virtualxid') =>
    (
      await db.sql<{ pid: number }>(
        `select a.pid from pg_stat_activity a join pg_locks l on l.pid = a.pid and not l.granted
          where a.datname = current_database() and a.pid <> pg_backend_pid()
            and position($1 in a.query) > 0 and l.locktype = $2`,
        [text, lock],
      )
    )[0]?.pid;

  const gone = (pid: number) => async () =>
    (await db.sql('select 1 from pg_stat_activity where pid = $1', [pid])).length === 0;

  it(
    'during VALIDATE of a foreign key: status shows the first step done, the next run validates without adding it again',
    async () => {
      const migration = { tag: foreignKey.tag, sql: foreignKey.safe };
      const dir = historyWith(migration);
      const expected = await uninterruptedFacts(dir);
      expect(
        (await runCli(['migrate', '--migrations', dir, '--to', '0001_fill'], db.env)).code,
      ).toBe(0);

      // The first step waits behind a writer; a second session queues for a lock VALIDATE
      // needs right behind it, so it holds that lock from the moment the first step commits.
      const writer = await connect(db);
      const blocker = await connect(db);
      try {
        await writer.query('BEGIN');
        await writer.query('LOCK TABLE "t" IN ROW EXCLUSIVE MODE');
        const child = startCli(['migrate', '--migrations', dir], killableEnv());
        await until(
          async () => (await waitingBackend('NOT VALID', 'relation')) !== undefined,
          'the NOT VALID step waits',
        );
        const [{ pid: blockerPid }] = (await blocker.query('select pg_backend_pid() as pid')).rows;
        await blocker.query('BEGIN');
        const blocking = blocker.query('LOCK TABLE "t" IN SHARE UPDATE EXCLUSIVE MODE');
        await until(
          async () =>
            (await db.sql('select 1 from pg_locks where pid = $1 and not granted', [blockerPid]))
              .length > 0,
          'the blocker queues behind the NOT VALID step',
        );
        await writer.query('COMMIT');
        await blocking;
        await until(
          async () => (await waitingBackend('VALIDATE CONSTRAINT', 'relation')) !== undefined,
          'VALIDATE waits',
        );
        const validating = (await waitingBackend('VALIDATE CONSTRAINT', 'relation'))!;
        await killed(child);
        await until(gone(validating), 'the server ends the killed run’s statement');
      } finally {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await writer.query('ROLLBACK').catch(() => undefined);
        await blocker.end();
        await writer.end();
      }

      const [constraint] = await db.sql<{ validated: boolean }>(
        `select convalidated as validated from pg_constraint where conname = 't_parent_id_parent_id_fk'`,
      );
      expect(constraint?.validated).toBe(false);
      const status = await statusOf(dir, db);
      expect(status.pending).toEqual([
        expect.objectContaining({ tag: foreignKey.tag, segmentsApplied: 1, segmentsTotal: 2 }),
      ]);
      const text = await runCli(['status', '--migrations', dir], db.env);
      expect(text.code).toBe(3);
      expect(text.stdout).toMatch(new RegExp(`PARTIAL +${foreignKey.tag} +1 of 2 `));

      // Adding the constraint again would fail ("already exists"): a clean run proves it was not repeated.
      const next = await runCli(['migrate', '--migrations', dir], db.env);
      expect(next.stderr).toBe('');
      expect(next.code).toBe(0);
      expect(next.stdout).toMatch(new RegExp(`${foreignKey.tag}: 1 of 2 .* an earlier run`));
      expect((await statusOf(dir, db)).pending).toEqual([]);
      expect(diffSchemaFacts(expected, await factsOf(db.target))).toEqual([]);
    },
    workBudget({ cliRuns: 6 }),
  );

  const validity = async () =>
    Object.fromEntries(
      (
        await db.sql<{ name: string; valid: boolean }>(
          `select indexrelid::regclass::text as name, indisvalid as valid from pg_index
            where indexrelid in ('parent_name_idx'::regclass, 't_b_c_unique'::regclass)`,
        )
      ).map((r) => [r.name, r.valid]),
    );

  /**
   * Whether the server ends the killed run's build at once (it checks for the
   * lost client while it waits), leaving the index INVALID, or only once the
   * build is done (the default: it notices when it reports back), leaving it VALID.
   */
  const outcomes = [
    {
      serverNotices: true,
      left: false,
      finding: /index "t_b_c_unique" was left INVALID: dropped it, building it again/,
    },
    {
      serverNotices: false,
      left: true,
      finding: /index "t_b_c_unique" is built and VALID: counted as done/,
    },
  ];

  it.each(outcomes)(
    'during the CONCURRENTLY build of a unique index (server notices at once: $serverNotices): the next run checks what the build left, and repeats no finished step',
    async ({ serverNotices, left, finding }) => {
      const dir = historyWith(indexAndUnique);
      const expected = await uninterruptedFacts(dir);
      expect(
        (await runCli(['migrate', '--migrations', dir, '--to', '0001_fill'], db.env)).code,
      ).toBe(0);

      // A concurrent build waits for the open writers of its table once its index entry exists.
      const writer = await connect(db);
      try {
        await writer.query('BEGIN');
        await writer.query(`INSERT INTO "t" VALUES (0, 1, 0, 0, 'writer', 0)`);
        const { PGOPTIONS, ...quietEnv } = killableEnv();
        const child = startCli(
          ['migrate', '--migrations', dir],
          serverNotices ? { ...quietEnv, PGOPTIONS } : quietEnv,
        );
        await until(
          async () =>
            (await waitingBackend('CREATE UNIQUE INDEX CONCURRENTLY', 'virtualxid')) !== undefined,
          'the unique index build waits for the writer',
        );
        const [progress] = await db.sql<{ done: number; running: number }>(
          `select segments_done as done, running_segment as running from drizzle.__jam_progress where tag = $1`,
          [indexAndUnique.tag],
        );
        expect(progress).toEqual({ done: 1, running: 1 });
        const building = (await waitingBackend('CREATE UNIQUE INDEX CONCURRENTLY', 'virtualxid'))!;
        await killed(child);
        if (serverNotices) await until(gone(building), 'the server ends the killed run’s build');
        await writer.query('ROLLBACK');
        await until(gone(building), 'the killed run’s server process ends');
      } finally {
        await writer.end();
      }

      expect(await validity()).toEqual({ parent_name_idx: true, t_b_c_unique: left });
      expect((await statusOf(dir, db)).pending).toEqual([
        expect.objectContaining({
          tag: indexAndUnique.tag,
          segmentsApplied: 1,
          segmentsTotal: 3,
          interruptedSegment: 2,
        }),
      ]);
      const text = await runCli(['status', '--migrations', dir], db.env);
      expect(text.stdout).toMatch(new RegExp(`PARTIAL +${indexAndUnique.tag} +1 of 3 `));

      // Building parent_name_idx again would fail ("already exists"): a clean run proves it was not repeated.
      const next = await runCli(['migrate', '--migrations', dir], db.env);
      expect(next.stderr).toBe('');
      expect(next.code).toBe(0);
      expect(next.stdout).toMatch(finding);
      expect(await validity()).toEqual({ parent_name_idx: true, t_b_c_unique: true });
      expect((await statusOf(dir, db)).pending).toEqual([]);
      expect(diffSchemaFacts(expected, await factsOf(db.target))).toEqual([]);
    },
    workBudget({ cliRuns: 6 }),
  );

  it(
    'during DROP INDEX CONCURRENTLY: the next run drops what the killed one left',
    async () => {
      const dropIndex = onlineCases.find((c) => c.tag === '0003_drop_index')!;
      const dir = historyWith({ tag: dropIndex.tag, sql: dropIndex.safe });
      const expected = await uninterruptedFacts(dir);
      expect(
        (await runCli(['migrate', '--migrations', dir, '--to', '0001_fill'], db.env)).code,
      ).toBe(0);

      // The drop first marks the index INVALID, then waits for every open transaction on its table.
      const writer = await connect(db);
      try {
        await writer.query('BEGIN');
        await writer.query(`INSERT INTO "t" ("id") VALUES (0)`);
        const child = startCli(['migrate', '--migrations', dir], killableEnv());
        await until(
          async () => (await waitingBackend('DROP INDEX CONCURRENTLY', 'virtualxid')) !== undefined,
          'the drop waits for the writer',
        );
        const dropping = (await waitingBackend('DROP INDEX CONCURRENTLY', 'virtualxid'))!;
        await killed(child);
        await until(gone(dropping), 'the server ends the killed run’s drop');
      } finally {
        await writer.query('ROLLBACK');
        await writer.end();
      }
      const [left] = await db.sql<{ valid: boolean }>(
        `select indisvalid as valid from pg_index where indexrelid = 't_d_idx'::regclass`,
      );
      expect(left?.valid).toBe(false);
      expect((await statusOf(dir, db)).pending).toEqual([
        expect.objectContaining({ tag: dropIndex.tag, segmentsApplied: 0, interruptedSegment: 1 }),
      ]);

      const next = await runCli(['migrate', '--migrations', dir], db.env);
      expect(next.stderr).toBe('');
      expect(next.code).toBe(0);
      expect(await db.sql(`select to_regclass('t_d_idx') as left_over`)).toEqual([
        { left_over: null },
      ]);
      expect(diffSchemaFacts(expected, await factsOf(db.target))).toEqual([]);
    },
    workBudget({ cliRuns: 5 }),
  );
});
