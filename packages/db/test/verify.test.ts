import { rmSync } from 'node:fs';
import { workBudget } from '@jam/testing/work-budget';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownTagsHint, resolveRange } from '../src/verify/range.js';
import { runCli } from './support/cli.js';
import { describeServer, serverUrl, useScratchDatabase } from './support/databases.js';
import { bp, writeMigrationsFolder } from './support/folders.js';
import { type Pgbouncer, pgbouncerBinary, startPgbouncer } from './support/pgbouncer.js';

/**
 * A small hand-made history with one of each verdict: an exact round trip, a
 * down script that leaves an index behind (so up again fails and the walk must
 * start over on a fresh database), one marked manual, one without a down
 * script, one whose down deletes
 * rows of a table it never names, and an up that fails on any database, after
 * which nothing can be checked.
 */
function verdictsFolder(): string {
  return writeMigrationsFolder([
    {
      tag: '0000_base',
      sql: [
        'CREATE TABLE "users" ("id" serial PRIMARY KEY, "name" text NOT NULL)',
        'CREATE TABLE "posts" ("id" serial PRIMARY KEY, "user_id" integer REFERENCES "users"("id"))',
        `CREATE FUNCTION "wipe_it"() RETURNS void LANGUAGE sql AS 'DELETE FROM posts'`,
      ].join(`;${bp}`),
      down: ['DROP FUNCTION "wipe_it"()', 'DROP TABLE "posts"', 'DROP TABLE "users"'].join(
        `;${bp}`,
      ),
    },
    {
      tag: '0001_index_left_behind',
      sql: 'CREATE INDEX "users_name_idx" ON "users" ("name");',
      down: 'SELECT 1;',
    },
    {
      tag: '0002_manual',
      sql: 'ALTER TABLE "users" ADD COLUMN "nick" text;',
      down: '-- jam-db:manual\n-- 0002_manual: the nick column needs a person to decide.\n',
    },
    { tag: '0002b_no_down', sql: 'ALTER TABLE "users" ADD COLUMN "bio" text;' },
    {
      tag: '0003_rows_lost',
      sql: 'ALTER TABLE "users" ADD COLUMN "age" integer;',
      down: `SELECT "wipe_it"();${bp}ALTER TABLE "users" DROP COLUMN "age";`,
    },
    {
      tag: '0004_exact',
      sql: 'CREATE TABLE "tags" ("id" serial PRIMARY KEY, "label" text NOT NULL);',
      down: 'DROP TABLE "tags";',
    },
    {
      tag: '0005_up_fails',
      sql: 'INSERT INTO "no_such_table" VALUES (1);',
      down: 'SELECT 1;',
    },
    {
      tag: '0006_never_reached',
      sql: 'CREATE TABLE "later" ("id" serial PRIMARY KEY);',
      down: 'DROP TABLE "later";',
    },
  ]);
}

interface JsonVerdict {
  tag: string;
  verdict: 'exact' | 'manual' | 'wrong';
  reason?: string;
  firstDifference?: string;
  error?: string;
  sampledTables: number;
}

let folder: string;
beforeAll(() => {
  folder = verdictsFolder();
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const verify = (args: string[], env: Record<string, string | undefined>) =>
  runCli(['verify', '--migrations', folder, ...args], env);

/** Every verdict and the summary of a whole-folder run, the same on each engine. */
function expectFullReport(stdout: string): void {
  const report = JSON.parse(stdout);
  const byTag = Object.fromEntries(
    (report.migrations as JsonVerdict[]).map((m) => [m.tag, m]),
  ) as Record<string, JsonVerdict>;
  expect(Object.keys(byTag)).toEqual([
    '0000_base',
    '0001_index_left_behind',
    '0002_manual',
    '0002b_no_down',
    '0003_rows_lost',
    '0004_exact',
    '0005_up_fails',
  ]);
  expect(byTag['0000_base']!.verdict).toBe('exact');
  expect(byTag['0001_index_left_behind']).toMatchObject({
    verdict: 'wrong',
    reason: 'after up → down the schema differs from before up; up after down failed',
    firstDifference: expect.stringMatching(
      /^unexpected index public\.users_name_idx: CREATE INDEX/,
    ),
    error: expect.stringMatching(/users_name_idx" already exists/),
  });
  expect(byTag['0002_manual']).toMatchObject({
    verdict: 'manual',
    reason: '0002_manual: the nick column needs a person to decide.',
  });
  expect(byTag['0002b_no_down']).toMatchObject({
    verdict: 'manual',
    reason: 'no down script: write 0002b_no_down.down.sql or run `jam-db generate-down`',
  });
  expect(byTag['0003_rows_lost']).toMatchObject({
    verdict: 'wrong',
    reason: expect.stringMatching(
      /^rows of public\.posts, which the migration does not touch, changed across down$/,
    ),
  });
  // Checked on the database rebuilt after 0001, with sample rows in the two tables it leaves alone.
  expect(byTag['0004_exact']).toMatchObject({ verdict: 'exact', sampledTables: 2 });
  expect(byTag['0005_up_fails']).toMatchObject({
    verdict: 'wrong',
    reason: 'up failed',
    error: expect.stringMatching(
      /Migration 0005_up_fails failed at .*relation "no_such_table" does not exist/,
    ),
  });
  expect(report.summary).toMatchObject({
    from: '0000_base',
    to: '0006_never_reached',
    checked: 7,
    exact: 2,
    manual: 2,
    wrong: 3,
    rebuilds: 2,
    stopped: {
      tag: '0005_up_fails',
      error: expect.stringMatching(/no_such_table/),
      unchecked: ['0006_never_reached'],
    },
  });
}

describe('verify on PGlite: one verdict per migration, and the run goes on after a wrong one', () => {
  it(
    'reports exact, manual and wrong with reasons, rebuilds after a broken round trip, and exits 1',
    async () => {
      const result = await verify(['--json'], { DATABASE_URL: 'pglite:memory' });
      expect(result.code).toBe(1);
      expectFullReport(result.stdout);
    },
    workBudget({ cliRuns: 3 }),
  );

  it(
    'prints each verdict, its reason and the first differences, and a summary that says what to do',
    async () => {
      const result = await verify(['--to', '0004_exact'], { DATABASE_URL: 'pglite:memory' });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^ {2}exact {2}0000_base /m);
      expect(result.stdout).toMatch(
        /^ {2}WRONG {2}0001_index_left_behind +[\d.]+ m?s {2}after up → down the schema differs from before up; up after down failed\n {11}Migration 0001_index_left_behind failed at .*already exists \(SQLSTATE 42P07\)\n {11}unexpected index public\.users_name_idx/m,
      );
      expect(result.stdout).toMatch(/rebuilt a fresh one up to it/);
      expect(result.stdout).toMatch(
        /^ {2}manual 0002_manual +[\d.]+ m?s {2}0002_manual: the nick column needs a person to decide\.$/m,
      );
      expect(result.stdout).toMatch(
        /6 migration\(s\) checked \(0000_base to 0004_exact\) on an in-memory PGlite: 2 exact, 2 manual, 2 wrong, in [\d.]+ m?s\. A manual down script means that migration has no rollback yet: write it, or pass --allow-manual/,
      );
      expect(result.stdout).not.toMatch(/0005_up_fails/);
    },
    workBudget({ cliRuns: 3 }),
  );

  it(
    '--from applies the migrations before it unchecked; --allow-manual lets a manual one pass',
    async () => {
      const exact = await verify(['--from', '0004_exact', '--to', '0004_exact', '--json'], {
        DATABASE_URL: 'pglite:memory',
      });
      expect(exact.code).toBe(0);
      const report = JSON.parse(exact.stdout);
      expect(report.migrations.map((m: JsonVerdict) => [m.tag, m.verdict])).toEqual([
        ['0004_exact', 'exact'],
      ]);
      expect(report.summary).toMatchObject({ checked: 1, exact: 1, stopped: null, rebuilds: 0 });

      const manual = await verify(['--from', '0002_manual', '--to', '0002_manual'], {
        DATABASE_URL: 'pglite:memory',
      });
      expect(manual.code).toBe(1);
      const allowed = await verify(
        ['--from', '0002_manual', '--to', '0002_manual', '--allow-manual'],
        { DATABASE_URL: 'pglite:memory' },
      );
      expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
      expect(allowed.stdout).toMatch(/Manual down scripts are allowed \(--allow-manual\)/);
    },
    workBudget({ cliRuns: 4 }),
  );

  it(
    'stops with a message when the migrations before --from do not apply',
    async () => {
      const result = await verify(['--from', '0006_never_reached'], {
        DATABASE_URL: 'pglite:memory',
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /0 migration\(s\) checked .* Stopped: 0005_up_fails does not apply on a fresh database migrated up to it, so 1 migration\(s\) after it were not checked\. Migration 0005_up_fails failed at/,
      );
    },
    workBudget({ cliRuns: 2 }),
  );
});

describe('verify usage errors (exit 2, before any database)', () => {
  it(
    'names a wrong --from or --to and suggests the tags that look like it',
    async () => {
      const unknown = await verify(['--from', '0004'], { DATABASE_URL: 'pglite:memory' });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(
        /--from 0004: no migration with that tag in .*\nDid you mean 0004_exact\?/,
      );
      const json = await verify(['--to', 'nope', '--json'], { DATABASE_URL: 'pglite:memory' });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout).error).toMatchObject({
        code: 'usage',
        message: expect.stringMatching(/^--to nope: no migration with that tag/),
        hint: expect.stringMatching(
          /^Known tags \(8, in journal order\): 0000_base, .*0006_never_reached\./,
        ),
      });
      const reversed = await verify(['--from', '0004_exact', '--to', '0001_index_left_behind'], {});
      expect(reversed.code).toBe(2);
      expect(reversed.stderr).toMatch(/--from 0004_exact comes after --to 0001_index_left_behind/);
    },
    workBudget({ cliRuns: 3 }),
  );

  it(
    'says so when the folder holds no migrations, and passes',
    async () => {
      const empty = writeMigrationsFolder([]);
      try {
        const result = await runCli(['verify', '--migrations', empty], {});
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/^No migrations in .*: nothing to verify\.$/m);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    },
    workBudget({ cliRuns: 1 }),
  );

  it(
    'keeps rows of a table whose schema a migration renames out of the row check, instead of failing on the old name',
    async () => {
      const renamed = writeMigrationsFolder([
        {
          tag: '0000_schema',
          sql: `CREATE SCHEMA "old";${bp}CREATE TABLE "old"."notes" ("id" serial PRIMARY KEY, "body" text);`,
          down: `DROP TABLE "old"."notes";${bp}DROP SCHEMA "old";`,
        },
        {
          tag: '0001_rename_schema',
          sql: 'ALTER SCHEMA "old" RENAME TO "archive";',
          down: 'ALTER SCHEMA "archive" RENAME TO "old";',
        },
      ]);
      try {
        const result = await runCli(['verify', '--migrations', renamed, '--json'], {
          DATABASE_URL: 'pglite:memory',
        });
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const report = JSON.parse(result.stdout);
        expect(report.migrations.map((m: JsonVerdict) => [m.tag, m.verdict])).toEqual([
          ['0000_schema', 'exact'],
          ['0001_rename_schema', 'exact'],
        ]);
      } finally {
        rmSync(renamed, { recursive: true, force: true });
      }
    },
    workBudget({ cliRuns: 1 }),
  );

  it('resolves ranges and hints without a database', () => {
    const migrations = ['0000_a', '0001_b', '0002_c'].map((tag) => ({ tag }));
    const f = { dir: '/m', migrations } as never;
    expect(resolveRange(f, {})).toEqual({ first: 0, last: 2 });
    expect(resolveRange(f, { from: '0001_b' })).toEqual({ first: 1, last: 2 });
    expect(resolveRange(f, { to: '0001_b' })).toEqual({ first: 0, last: 1 });
    expect(resolveRange({ dir: '/m', migrations: [] } as never, {})).toEqual({
      first: 0,
      last: -1,
    });
    expect(knownTagsHint([], 'x')).toBe('The folder holds no migrations yet.');
    expect(knownTagsHint(['0000_a', '0001_b'], '0001_wrong')).toBe('Did you mean 0001_b?');
    const many = Array.from({ length: 20 }, (_, i) => `${String(i).padStart(4, '0')}_m`);
    expect(knownTagsHint(many, 'zzz')).toBe(
      'Known tags (20, in journal order): 0000_m, 0001_m, 0002_m, …, 0017_m, 0018_m, 0019_m. Run `jam-db status` to list them all.',
    );
  });
});

describeServer('verify on PostgreSQL', () => {
  it(
    'gives the same verdicts in temporary databases, and drops every one of them',
    async () => {
      const result = await verify(['--json'], { DATABASE_URL: serverUrl });
      expect(result.code).toBe(1);
      expectFullReport(result.stdout);
      const scratch = /jam_verify_\w+/.exec(JSON.parse(result.stdout).scratch)?.[0];
      expect(scratch).toBeDefined();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        const left = await client.query('select 1 from pg_database where datname = $1', [scratch]);
        expect(left.rows).toEqual([]);
      } finally {
        await client.end();
      }
    },
    workBudget({ cliRuns: 3 }),
  );
});

describeServer('verify on PostgreSQL as a user who may not create databases', () => {
  const user = `jam_verify_nocreatedb_${process.pid}_${Date.now().toString(36)}`;
  const admin = () => new pg.Client({ connectionString: serverUrl });
  beforeAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`CREATE ROLE "${user}" LOGIN NOCREATEDB`);
    await client.end();
  });
  afterAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`DROP ROLE IF EXISTS "${user}"`);
    await client.end();
  });

  it(
    'says it needs a scratch database and how to get one',
    async () => {
      const url = new URL(serverUrl!);
      url.username = user;
      url.password = 'secret-word';
      const result = await verify(['--to', '0000_base'], { DATABASE_URL: url.toString() });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /jam-db verify proves the down scripts in a temporary database of its own, and could not create one on .*: permission denied to create database \(SQLSTATE 42501\)\. Nothing was changed\.\nGive the user the CREATEDB privilege/,
      );
      expect(result.stderr + result.stdout).not.toMatch(/secret-word/);
    },
    workBudget({ cliRuns: 1 }),
  );
});

describeServer('verify on PostgreSQL with a history that creates a role', () => {
  // Roles are cluster-wide: a unique name keeps concurrent runs apart.
  const role = `jam_verify_role_${process.pid}_${Date.now().toString(36)}`;
  let roles: string;
  beforeAll(() => {
    roles = writeMigrationsFolder([
      { tag: '0000_role', sql: `CREATE ROLE "${role}";`, down: 'SELECT 1;' },
      { tag: '0001_table', sql: 'CREATE TABLE "t" ("id" integer);', down: 'DROP TABLE "t";' },
    ]);
  });
  afterAll(async () => {
    rmSync(roles, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP ROLE IF EXISTS "${role}"`);
    await client.end();
  });

  it(
    'drops the roles its migrations created with each scratch database, so the rebuild and the next run work',
    async () => {
      const result = await runCli(['verify', '--migrations', roles, '--json'], {
        DATABASE_URL: serverUrl,
      });
      const report = JSON.parse(result.stdout);
      expect(report.migrations).toMatchObject([
        { tag: '0000_role', verdict: 'wrong', error: expect.stringMatching(/already exists/) },
        { tag: '0001_table', verdict: 'exact' },
      ]);
      expect(report.summary).toMatchObject({ rebuilds: 1, stopped: null });
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        const left = await client.query('select 1 from pg_roles where rolname = $1', [role]);
        expect(left.rows).toEqual([]);
      } finally {
        await client.end();
      }
    },
    workBudget({ cliRuns: 2 }),
  );
});

const poolerSkip = !serverUrl
  ? 'TEST_DATABASE_URL unset'
  : !pgbouncerBinary && process.env.CI !== 'true'
    ? 'pgbouncer not installed; .ci/run installs it'
    : null;

describe.skipIf(poolerSkip !== null)(
  poolerSkip
    ? `verify behind a transaction pooler (skipped: ${poolerSkip})`
    : 'verify behind a transaction pooler',
  () => {
    let bouncer: Pgbouncer;
    beforeAll(async () => {
      bouncer = await startPgbouncer(serverUrl!);
    });
    afterAll(async () => {
      await bouncer?.stop();
    });
    const db = useScratchDatabase('postgres');

    it(
      'refuses like migrate and creates nothing; with JAM_DB_DIRECT_URL it works on the server',
      async () => {
        const pooled = bouncer.urlFor(db.env.DATABASE_URL!);
        const refused = await verify(['--to', '0000_base'], { DATABASE_URL: pooled });
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(
          /jam-db verify refuses to run: DATABASE_URL .* goes through a transaction pooler/,
        );
        expect(refused.stdout).not.toMatch(/checked/);

        const direct = await verify(['--to', '0000_base', '--json'], {
          DATABASE_URL: pooled,
          JAM_DB_DIRECT_URL: db.env.DATABASE_URL,
        });
        expect(direct.code, direct.stderr).toBe(0);
        expect(JSON.parse(direct.stdout).summary).toMatchObject({ exact: 1 });
        // The user's own database is where the direct URL points: verify never touches it.
        expect(await db.sql("select 1 from pg_tables where tablename = 'users'")).toEqual([]);
      },
      workBudget({ cliRuns: 3 }),
    );
  },
);
