import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { describeServer, type EngineName, usePreparedDatabase } from './support/databases.js';
import { handBuiltSql, writeDriftFolder } from './support/drift-fixture.js';

/** A database built without jam-db: the first two migrations' SQL run by hand. */
function baselineSuite(engine: EngineName) {
  let migrations: string;
  const db = usePreparedDatabase(engine, async (fresh) => {
    await fresh.sql(handBuiltSql(2));
  });
  beforeEach(() => {
    migrations = writeDriftFolder();
  });
  const cli = (...args: string[]) => runCli([...args, '--migrations', migrations], db.env);
  const recorded = async () =>
    (
      await db.sql<{ exists: boolean }>(
        `select to_regclass('drizzle.__drizzle_migrations') is not null as exists`,
      )
    )[0]?.exists;

  it('adopts a matching database, and migrate continues from there', async () => {
    const adopted = await cli('baseline', '--to', '0001_posts');
    expect(adopted.stderr).not.toMatch(/jam-db: /);
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toMatch(/The schema matches 0001_posts/);
    expect(adopted.stdout).toMatch(
      /Recorded 2 migration\(s\) as applied: 0000_authors, 0001_posts\./,
    );
    expect(adopted.stdout).toMatch(/`pnpm db:migrate` continues with 0002_tags\./);

    const status = JSON.parse((await cli('status', '--json')).stdout);
    expect(status.applied.map((a: { tag: string }) => a.tag)).toEqual([
      '0000_authors',
      '0001_posts',
    ]);
    expect(status.pending).toEqual([{ tag: '0002_tags' }]);

    const migrated = await cli('migrate', '--json');
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.stdout).applied.map((a: { tag: string }) => a.tag)).toEqual([
      '0002_tags',
    ]);
    expect((await cli('check')).code).toBe(0);
  });

  it('refuses a database that differs from the schema at the tag, naming the differences', async () => {
    await db.sql('ALTER TABLE posts ADD COLUMN draft boolean');
    const refused = await cli('baseline', '--to', '0001_posts');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /The database does not match the schema the migrations up to 0001_posts produce, so nothing was recorded\. 1 difference\(s\):/,
    );
    expect(refused.stderr).toMatch(
      /column public\.posts\.draft: the database has it \(boolean\); the migrations do not create it/,
    );
    expect(refused.stderr).toMatch(/`pnpm db:check` shows the same comparison/);
    expect(await recorded()).toBe(false);
  });

  it('refuses a tag whose schema the database does not have yet', async () => {
    const refused = await cli('baseline', '--to', '0002_tags');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /table public\.tags: the migrations create it, with 2 columns, 2 constraints, 2 indexes; the database lacks it/,
    );
    expect(await recorded()).toBe(false);
  });

  it('refuses a database that already records migrations', async () => {
    expect((await cli('baseline', '--to', '0001_posts')).code).toBe(0);
    const again = await cli('baseline', '--to', '0001_posts');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /The database already records 2 applied migration\(s\) in drizzle\.__drizzle_migrations \(newest: 0001_posts\); baseline adopts only a database with none recorded\. Nothing was recorded\./,
    );
  });

  it('prints what it recorded as JSON', async () => {
    const adopted = await cli('baseline', '--to', '0000_authors', '--json');
    // 0000 alone does not match: the database also has posts.
    expect(adopted.code).toBe(1);
    expect(JSON.parse(adopted.stdout).error).toMatchObject({
      code: 'schema-drift',
      message: expect.stringMatching(/so nothing was recorded/),
    });
    const matching = await cli('baseline', '--to', '0001_posts', '--json');
    expect(JSON.parse(matching.stdout)).toEqual({
      tag: '0001_posts',
      recorded: ['0000_authors', '0001_posts'],
      pending: ['0002_tags'],
    });
  });
}

describe('jam-db baseline on PGlite', () => baselineSuite('pglite'));
describeServer('jam-db baseline on PostgreSQL', () => baselineSuite('postgres'));

describe('jam-db baseline: usage errors', () => {
  it.each([
    [
      ['baseline'],
      /baseline needs --to <tag>: the newest migration the database already has\.[\s\S]*usage: jam-db baseline --to <tag>/,
    ],
    [
      ['baseline', '--to', '0009_nope'],
      /--to 0009_nope: no migration with that tag in .*\.\nKnown tags: 0000_authors, 0001_posts, 0002_tags\./,
    ],
    [['baseline', '--to'], /--to needs a value\./],
  ])('%j', async (args, message) => {
    const [command, ...flags] = args;
    const result = await runCli([command!, '--migrations', writeDriftFolder(), ...flags], {
      DATABASE_URL: 'pglite:memory',
    });
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});
