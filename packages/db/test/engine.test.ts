import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workBudget } from '@jam/testing/work-budget';
import { describe, expect, it } from 'vitest';
import { binPath, packageMigrations, runCli } from './support/cli.js';
import {
  type EngineName,
  enginesUnderTest,
  type ScratchDatabase,
  useNeonProxy,
  useScratchDatabase,
} from './support/databases.js';
import { appendMigration, bp, writeMigrationsFolder } from './support/folders.js';
import { closeHeldPglites } from './support/pglite-handles.js';

/** The tags of @jam/db's own migrations, in journal order. */
const packageTags: string[] = JSON.parse(
  readFileSync(join(packageMigrations, 'meta', '_journal.json'), 'utf8'),
).entries.map((e: { tag: string }) => e.tag);

const tracked = (db: ScratchDatabase) =>
  db.sql<{ hash: string; created_at: string }>(
    'SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id',
  );

const tableExists = async (db: ScratchDatabase, name: string) =>
  (await db.sql<{ t: string | null }>(`SELECT to_regclass('public.${name}')::text AS t`))[0]?.t ===
  name;

describe.each(enginesUnderTest)('jam-db migrate on %s', (engine: EngineName) => {
  if (engine === 'neon') useNeonProxy();
  const db = useScratchDatabase(engine);

  it(
    'serialises 8 processes migrating one empty database: all succeed, each migration applied once',
    async () => {
      // The last of the eight waits for the other seven: its lock wait follows from their work.
      const lockWait = String(Math.ceil(workBudget({ cliRuns: 8 }) / 1000));
      const runs = await Promise.all(
        Array.from({ length: 8 }, () =>
          runCli(['migrate', '--json'], { ...db.env, JAM_DB_LOCK_WAIT: lockWait }),
        ),
      );
      for (const run of runs) {
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
      }
      const appliedCounts = runs.map((run) => JSON.parse(run.stdout).applied.length).sort();
      expect(appliedCounts).toEqual([0, 0, 0, 0, 0, 0, 0, packageTags.length]);
      expect(await tracked(db)).toHaveLength(packageTags.length);
    },
    workBudget({ cliRuns: 10 }),
  );

  it('recovers from a run killed with SIGKILL in the middle', async () => {
    const dir = writeMigrationsFolder([
      { tag: '0000_first', sql: 'CREATE TABLE first (id int)' },
      { tag: '0001_slow', sql: `SELECT pg_sleep(4)${bp}CREATE TABLE slow (id int)` },
    ]);
    await closeHeldPglites();
    const child = spawn(process.execPath, [binPath, 'migrate', '--migrations', dir], {
      env: { ...process.env, ...db.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('0000_first')) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));

    const rerun = await runCli(['migrate', '--migrations', dir, '--json'], db.env);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout).applied.map((a: { tag: string }) => a.tag)).toEqual([
      '0000_first',
      '0001_slow',
    ]);
    expect(await tableExists(db, 'slow')).toBe(true);
    expect(await tracked(db)).toHaveLength(2);
  });

  it('leaves nothing behind when a migration fails half-way', async () => {
    const dir = writeMigrationsFolder([
      { tag: '0000_ok', sql: 'CREATE TABLE kept_nowhere (id int)' },
      {
        tag: '0001_broken',
        sql: `CREATE TABLE half (id int)${bp}ALTER TABLE half ADD COLUMN x nosuchtype`,
      },
    ]);
    const run = await runCli(['migrate', '--migrations', dir], db.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Migration 0001_broken failed at statement 2 \(line 3 of .*0001_broken\.sql\)/,
    );
    expect(run.stderr).toMatch(/type "nosuchtype" does not exist/);
    expect(run.stderr).toMatch(/Rolled back: 0000_ok, 0001_broken\. They ran in one transaction/);
    expect(await tableExists(db, 'kept_nowhere')).toBe(false);
    expect(await tableExists(db, 'half')).toBe(false);
    expect(await tracked(db)).toEqual([]);
  });

  it('names the failing statement of an error the database gives no position for', async () => {
    const dir = writeMigrationsFolder([
      {
        tag: '0000_dupes',
        sql: `CREATE TABLE d (id int)${bp}INSERT INTO d VALUES (1), (1)${bp}ALTER TABLE d ADD PRIMARY KEY (id)${bp}CREATE TABLE after_it (id int)`,
      },
    ]);
    const run = await runCli(['migrate', '--migrations', dir], db.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /failed at statement 3 \(line 5 of .*0000_dupes\.sql\): ALTER TABLE d ADD PRIMARY KEY \(id\)/,
    );
    expect(run.stderr).toMatch(/could not create unique index/);
    expect(await tableExists(db, 'd')).toBe(false);
  });

  it('detects an applied migration whose file was edited, and accepts it only when told', async () => {
    const dir = writeMigrationsFolder([{ tag: '0000_a', sql: 'CREATE TABLE a (id int)' }]);
    expect((await runCli(['migrate', '--migrations', dir], db.env)).code).toBe(0);
    writeFileSync(join(dir, '0000_a.sql'), 'CREATE TABLE a (id bigint)');

    const status = await runCli(['status', '--migrations', dir, '--json'], db.env);
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout).changed).toMatchObject([{ tag: '0000_a' }]);
    const refused = await runCli(['migrate', '--migrations', dir], db.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Applied migration file changed since it was applied: 0000_a/);
    expect(refused.stderr).toMatch(/--accept-changed 0000_a/);

    const accepted = await runCli(
      ['migrate', '--migrations', dir, '--accept-changed', '0000_a'],
      db.env,
    );
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/accepted the edited file of 0000_a/);
    expect((await runCli(['status', '--migrations', dir], db.env)).code).toBe(0);
  });

  it('never skips a late-merged migration with an older timestamp', async () => {
    const dir = writeMigrationsFolder([
      { tag: '0000_main', sql: 'CREATE TABLE main_table (id int)', when: 1_700_000_000_000 },
      { tag: '0001_main', sql: 'CREATE TABLE main_two (id int)', when: 1_700_000_300_000 },
    ]);
    expect((await runCli(['migrate', '--migrations', dir], db.env)).code).toBe(0);
    appendMigration(dir, {
      tag: '0002_branch',
      sql: 'CREATE TABLE from_branch (id int)',
      when: 1_700_000_100_000,
    });

    const status = await runCli(['status', '--migrations', dir, '--json'], db.env);
    expect(status.code).toBe(3);
    expect(JSON.parse(status.stdout)).toMatchObject({
      pending: [{ tag: '0002_branch' }],
      outOfOrder: [{ tag: '0002_branch' }],
    });
    const refused = await runCli(['migrate', '--migrations', dir], db.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /Pending migration 0002_branch is older than the applied 0001_main/,
    );
    expect(refused.stderr).toMatch(/--allow-out-of-order/);

    expect(
      (await runCli(['migrate', '--migrations', dir, '--allow-out-of-order'], db.env)).code,
    ).toBe(0);
    expect(await tableExists(db, 'from_branch')).toBe(true);
    expect((await runCli(['status', '--migrations', dir], db.env)).code).toBe(0);
  });

  it('runs a migration PostgreSQL refuses inside a transaction on its own, and records it only when it completed', async () => {
    const dir = writeMigrationsFolder([
      { tag: '0000_table', sql: 'CREATE TABLE t (id int, state text)' },
      { tag: '0001_concurrent', sql: 'CREATE INDEX CONCURRENTLY t_id_idx ON t (id)' },
      {
        tag: '0002_enum',
        sql: `CREATE TYPE mood AS ENUM ('ok')${bp}ALTER TYPE mood ADD VALUE 'great'${bp}CREATE TABLE feelings (m mood DEFAULT 'great')`,
      },
      { tag: '0003_after', sql: "INSERT INTO feelings VALUES ('great')" },
    ]);
    const run = await runCli(['migrate', '--migrations', dir], db.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /0001_concurrent .*no transaction: it holds CREATE INDEX CONCURRENTLY/,
    );
    expect(run.stdout).toMatch(
      /0002_enum .*no transaction: it adds enum value 'great' and uses it/,
    );
    expect(await tracked(db)).toHaveLength(4);

    appendMigration(dir, {
      tag: '0004_add_value',
      sql: "ALTER TYPE mood ADD VALUE 'superb'",
      when: Date.now(),
    });
    appendMigration(dir, {
      tag: '0005_use_value',
      // A new table: a migration that touches an existing one commits on its own (no redo needed).
      sql: "CREATE TABLE more_feelings (m mood DEFAULT 'superb')",
      when: Date.now() + 1,
    });
    const enumRun = await runCli(['migrate', '--migrations', dir], db.env);
    expect(enumRun.stderr).toBe('');
    expect(enumRun.stdout).toMatch(/0005_use_value uses an enum value added earlier in this run/);
    expect(enumRun.stdout).toMatch(/Applied 2 migration\(s\)/);

    appendMigration(dir, {
      tag: '0006_bad_index',
      sql: 'CREATE INDEX CONCURRENTLY t_bad_idx ON t (no_such_column)',
      when: Date.now() + 2,
    });
    const failed = await runCli(['migrate', '--migrations', dir], db.env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /ran outside a transaction because it holds CREATE INDEX CONCURRENTLY/,
    );
    expect(failed.stderr).toMatch(/0006_bad_index ran outside[^\n]*it is not recorded as applied/);
    expect(await tracked(db)).toHaveLength(6);
  });

  it('says when a down script changed since its migration was applied', async () => {
    const dir = writeMigrationsFolder([
      { tag: '0000_t', sql: 'CREATE TABLE t (id int)', down: 'DROP TABLE t' },
    ]);
    expect((await runCli(['migrate', '--migrations', dir], db.env)).code).toBe(0);
    writeFileSync(join(dir, '0000_t.down.sql'), '-- fixed by hand\nDROP TABLE IF EXISTS t');
    const rollback = await runCli(['rollback', '--migrations', dir], db.env);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toMatch(/note: 0000_t\.down\.sql changed since 0000_t was applied/);
    expect(await tableExists(db, 't')).toBe(false);
  });

  it(
    'is continued by drizzle-orm’s migrate(), and continues it',
    async () => {
      if (engine === 'neon') return;
      const all = packageTags.length;
      expect((await runCli(['migrate', '--to', '0000_baseline'], db.env)).code).toBe(0);
      await drizzleMigrate(db);
      const status = await runCli(['status', '--json'], db.env);
      expect(status.code).toBe(0);
      const applied = JSON.parse(status.stdout).applied;
      expect(applied.map((a: { tag: string }) => a.tag)).toEqual(packageTags);
      expect(applied[1].appliedAt).toBeNull();

      const allButFirst = String(all - 1);
      expect(
        (await runCli(['rollback', '--steps', allButFirst, '--allow-data-loss'], db.env)).code,
      ).toBe(0);
      expect(await tracked(db)).toHaveLength(1);
      await drizzleMigrate(db);
      expect(await tracked(db)).toHaveLength(all);
      expect(
        (await runCli(['rollback', '--steps', String(all), '--allow-data-loss'], db.env)).code,
      ).toBe(0);
      expect(await tracked(db)).toEqual([]);
      await drizzleMigrate(db);
      expect((await runCli(['migrate', '--json'], db.env)).stdout).toMatch(/"applied": \[\]/);
      expect(await tableExists(db, 'mentorships')).toBe(true);
    },
    workBudget({ cliRuns: 5, pgliteOpens: 4 }),
  ); // on PGlite the assertions open the folder again after each CLI run
});

/** drizzle-orm's own migrator, on the same database. */
async function drizzleMigrate(db: ScratchDatabase): Promise<void> {
  if (db.target.engine === 'pglite') {
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    // The client the assertions hold: the next CLI run closes it.
    const client = await db.pglite!();
    await migrate(drizzle({ client }), { migrationsFolder: packageMigrations });
    return;
  }
  const pg = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const client = new pg.Client({ connectionString: db.env.DATABASE_URL });
  await client.connect();
  try {
    await migrate(drizzle({ client }), { migrationsFolder: packageMigrations });
  } finally {
    await client.end();
  }
}
