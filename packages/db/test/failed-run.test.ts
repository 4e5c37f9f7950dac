import { describe, expect, it } from 'vitest';
import { packageMigrations, runCli } from './support/cli.js';
import {
  describeServer,
  type EngineName,
  type ScratchDatabase,
  useScratchDatabase,
} from './support/databases.js';
import { bp, useMigrationsFolders } from './support/folders.js';

const folder = useMigrationsFolders();

const tablesOf = async (db: ScratchDatabase) =>
  (
    await db.sql<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    )
  ).map((r) => r.name);

function failedRunSuite(engine: EngineName) {
  const db = useScratchDatabase(engine);

  it('names everything the shared transaction rolled back, and says nothing was kept', async () => {
    const dir = folder(
      { tag: '0000_a', sql: 'CREATE TABLE a (id int)' },
      { tag: '0001_b', sql: 'CREATE TABLE b (id int)' },
      { tag: '0002_broken', sql: `CREATE TABLE c (id int)${bp}ALTER TABLE c ADD x nosuchtype` },
      { tag: '0003_d', sql: 'CREATE TABLE d (id int)' },
    );
    const run = await runCli(['migrate', '--migrations', dir], db.env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/ran {6}0000_a[\s\S]*ran {6}0001_b/);
    expect(run.stderr).toMatch(
      /Rolled back: 0000_a, 0001_b, 0002_broken\. They ran in one transaction, so the failure undid all of them: 0000_a, 0001_b are not applied, although their statements ran\./,
    );
    expect(run.stderr).toMatch(/Kept: nothing; the database is as it was before the run\./);
    expect(run.stderr).toMatch(/Not started: 0003_d\./);
    expect(run.stderr).not.toMatch(/Nothing of 0002_broken was kept/);
    expect(await tablesOf(db)).toEqual([]);
  });

  it('names what was committed before a failing transaction as kept', async () => {
    const dir = folder(
      { tag: '0000_a', sql: 'CREATE TABLE a (id int)' },
      { tag: '0001_index', sql: 'CREATE INDEX CONCURRENTLY a_id_idx ON a (id)' },
      { tag: '0002_c', sql: 'CREATE TABLE c (id int)' },
      { tag: '0003_broken', sql: 'ALTER TABLE c ADD x nosuchtype' },
    );
    const run = await runCli(['migrate', '--migrations', dir], db.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Rolled back: 0002_c, 0003_broken\. They ran in one transaction, so the failure undid all of them: 0002_c is not applied, although its statements ran\./,
    );
    expect(run.stderr).toMatch(
      /Kept: 0000_a, 0001_index, committed before the failing transaction; they stay applied\./,
    );
    expect(await tablesOf(db)).toEqual(['a']);
    const status = JSON.parse(
      (await runCli(['status', '--migrations', dir, '--json'], db.env)).stdout,
    );
    expect(status.applied.map((a: { tag: string }) => a.tag)).toEqual(['0000_a', '0001_index']);
  });

  it('points a database built outside jam-db at baseline', async () => {
    const dir = folder(
      { tag: '0000_a', sql: 'CREATE TABLE a (id int)' },
      { tag: '0001_b', sql: 'CREATE TABLE b (id int)' },
    );
    await db.sql('CREATE TABLE a (id int)');
    const run = await runCli(['migrate', '--migrations', dir], db.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/relation "a" already exists \(SQLSTATE 42P07\)/);
    expect(run.stderr).toMatch(
      /records no migration: it was built outside jam-db .* Adopt it instead of migrating: `pnpm db:baseline --to 0001_b`/,
    );
    expect(run.stderr).toMatch(/README\.md, "Drift, adoption and the diagram"/);
  });

  it('points stray objects on a tracked database at check', async () => {
    const dir = folder(
      { tag: '0000_a', sql: 'CREATE TABLE a (id int)' },
      { tag: '0001_b', sql: 'ALTER TABLE a ADD COLUMN note text' },
    );
    expect((await runCli(['migrate', '--migrations', dir, '--to', '0000_a'], db.env)).code).toBe(0);
    await db.sql('ALTER TABLE a ADD COLUMN note text');
    const run = await runCli(['migrate', '--migrations', dir, '--json'], db.env);
    expect(run.code).toBe(1);
    const { error } = JSON.parse(run.stdout);
    expect(error.message).toMatch(/SQLSTATE 42701/);
    expect(error.hint).toMatch(
      /made outside jam-db after the last recorded migration\. `pnpm db:check`/,
    );
  });
}

describe('a failed run on PGlite says what it kept', () => failedRunSuite('pglite'));
describeServer('a failed run on PostgreSQL says what it kept', () => failedRunSuite('postgres'));

describe('the package’s own migrations on a database that already has their tables', () => {
  const db = useScratchDatabase('pglite');

  it('suggest baseline with the newest tag', async () => {
    await db.sql('CREATE TABLE programs (id int)');
    const run = await runCli(['migrate', '--migrations', packageMigrations], db.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/`pnpm db:baseline --to 0003_mentorship_pair_unique`/);
  });
});
