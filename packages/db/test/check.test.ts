import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import {
  createScratchDatabase,
  describeServer,
  type EngineName,
  usePreparedDatabase,
} from './support/databases.js';
import { handMadeDrift, writeDriftFolder } from './support/drift-fixture.js';
import { workDir } from './support/history-folder.js';

/** Drift built by hand on a migrated database, each kind on its own and all at once. */
function driftSuite(engine: EngineName) {
  let migrations: string;
  const db = usePreparedDatabase(engine, async (fresh) => {
    const migrated = await runCli(['migrate', '--migrations', writeDriftFolder()], fresh.env);
    expect(migrated.code).toBe(0);
  });
  beforeEach(() => {
    migrations = writeDriftFolder();
  });
  const check = (...flags: string[]) =>
    runCli(['check', '--migrations', migrations, ...flags], db.env);

  it('exits 0 when the database is exactly what its applied migrations produce', async () => {
    const result = await check();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /Migrations vs database \(3 applied migration\(s\), built on .*\): in sync/,
    );
    expect(result.stdout).toMatch(/No drift/);
  });

  // One database per kind costs a PGlite start-up each (seconds); on PGlite the
  // test below makes every kind at once and looks for each by name.
  const eachKind = engine === 'postgres' ? it.each(handMadeDrift) : () => {};
  eachKind('names a hand-made $name', async ({ sql, reported }) => {
    await db.sql(sql);
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/DRIFT: 1 difference\(s\)/);
    expect(result.stdout).toMatch(reported);
    expect(result.stdout).toMatch(/Drift found/);
  });

  it('lists every difference at once, and --json gives each one object, expected and found', async () => {
    for (const { sql } of handMadeDrift) await db.sql(sql);
    const text = await check();
    expect(text.code).toBe(1);
    for (const { reported } of handMadeDrift) expect(text.stdout).toMatch(reported);

    const json = await check('--json');
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.typescript.status).toBe('skipped');
    expect(report.database.applied).toEqual(['0000_authors', '0001_posts', '0002_tags']);
    expect(
      report.database.differences.map(
        (d: { kind: string; object: string }) => `${d.kind} ${d.object}`,
      ),
    ).toEqual([
      'unexpected column public.authors.nickname',
      'changed column public.posts.score',
      'missing constraint public.authors.authors_email_check',
      'renamed index public.authors_name_idx',
      'missing index public.posts_author_idx',
      'unexpected table public.audit',
    ]);
    const score = report.database.differences[1];
    expect(score).toMatchObject({
      expected: 'integer not null default 0',
      found: 'bigint not null default 0',
    });
  });

  it('compares only the applied migrations, and lists the pending ones without failing', async () => {
    const partial = await createScratchDatabase(engine);
    try {
      expect(
        (await runCli(['migrate', '--migrations', migrations, '--to', '0000_authors'], partial.env))
          .code,
      ).toBe(0);
      const result = await runCli(['check', '--migrations', migrations], partial.env);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/1 applied migration/);
      expect(result.stdout).toMatch(
        /Pending \(not drift; `pnpm db:migrate` applies them\): 0001_posts, 0002_tags/,
      );
    } finally {
      await partial.drop();
    }
  });

  it('fails when an applied migration file was edited since', async () => {
    const file = join(migrations, '0002_tags.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- edited`);
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/History: 0002_tags: its file changed since it was applied/);
  });
}

describe('jam-db check: migrations vs the live database, on PGlite', () => driftSuite('pglite'));
describeServer('jam-db check: migrations vs the live database, on PostgreSQL', () =>
  driftSuite('postgres'),
);

describe('jam-db check: a database nothing was recorded in', () => {
  it('names the tables as unexpected and points at baseline', async () => {
    const db = await createScratchDatabase('pglite');
    try {
      await db.sql('CREATE TABLE legacy (id integer PRIMARY KEY)');
      const result = await runCli(['check', '--migrations', writeDriftFolder()], db.env);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /table public\.legacy: the database has it, with 1 column, 1 constraint, 1 index/,
      );
      expect(result.stdout).toMatch(/adopt it with `pnpm db:baseline --to <tag>`/);
    } finally {
      await db.drop();
    }
  });
});

/** A schema module as a user builds it: plain JavaScript exporting drizzle tables. */
function writeSchema(dir: string, file: string, columns: string): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    `import { integer, pgTable, text } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: integer('id').primaryKey(), ${columns} });
`,
  );
  return path;
}

describe('jam-db check: the TypeScript schema vs the migrations', () => {
  let dir: string;
  let migrations: string;
  const env = { DATABASE_URL: 'pglite:memory' };
  // The tests only read the generated folder: one generate run serves them all.
  beforeAll(async () => {
    dir = workDir('check-schema-');
    // Outside the repository: generate writes a changeset stub into the repository holding the folder.
    migrations = mkdtempSync(join(tmpdir(), 'jam-check-migrations-'));
    const v1 = writeSchema(dir, 'v1.mjs', "name: text('name')");
    const generated = await runCli(['generate', '--migrations', migrations, '--schema', v1]);
    expect(generated.code).toBe(0);
  });

  it('is in sync right after generate', async () => {
    const result = await runCli(
      ['check', '--migrations', migrations, '--schema', join(dir, 'v1.mjs')],
      env,
    );
    expect(result.stdout).toMatch(/TypeScript schema vs migrations: in sync/);
    expect(result.code).toBe(0);
  });

  it('says to run pnpm db:generate and shows what it would write', async () => {
    const v2 = writeSchema(dir, 'v2.mjs', "name: text('name'), nickname: text('nickname')");
    const result = await runCli(['check', '--migrations', migrations, '--schema', v2], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /TypeScript schema vs migrations: DRIFT: the schema has changes no migration holds yet; run `pnpm db:generate`/,
    );
    expect(result.stdout).toMatch(/ALTER TABLE "users" ADD COLUMN "nickname" text;/);
    const json = JSON.parse(
      (await runCli(['check', '--migrations', migrations, '--schema', v2, '--json'], env)).stdout,
    );
    expect(json.typescript).toEqual({
      status: 'pending',
      statements: ['ALTER TABLE "users" ADD COLUMN "nickname" text;'],
    });
  });

  it('reports a rename without stopping to ask about it', async () => {
    const v2 = writeSchema(dir, 'v2-rename.mjs', "fullName: text('full_name')");
    const result = await runCli(
      ['check', '--migrations', migrations, '--schema', v2, '--json'],
      env,
    );
    expect(result.code).toBe(1);
    const statements: string[] = JSON.parse(result.stdout).typescript.statements;
    expect(statements.join('\n')).toMatch(/DROP COLUMN "name"/);
    expect(statements.join('\n')).toMatch(/ADD COLUMN "full_name" text/);
  });

  it('compares @jam/db’s own schema with its own migrations by default', async () => {
    const result = await runCli(['check', '--json'], env);
    const report = JSON.parse(result.stdout);
    expect(report.typescript).toEqual({ status: 'in-sync' });
    expect(report.database.pending.length).toBeGreaterThan(0);
    expect(result.code).toBe(0);
  });

  it('skips the TypeScript comparison for another folder unless --schema names its schema', async () => {
    const result = await runCli(['check', '--migrations', migrations], env);
    expect(result.stdout).toMatch(
      /TypeScript schema vs migrations: skipped: --migrations names another folder than @jam\/db’s own; pass --schema <module\.js>/,
    );
  });

  it('skips it when the folder has no snapshots', async () => {
    const result = await runCli(
      ['check', '--migrations', writeDriftFolder(), '--schema', join(dir, 'v1.mjs')],
      env,
    );
    expect(result.stdout).toMatch(/skipped: the folder has no drizzle-kit snapshot for 0002_tags/);
  });
});

describe('jam-db check: errors', () => {
  it.each([
    [['check', '--schema', 'no-such-schema.mjs'], 2, /--schema no-such-schema\.mjs: no such file/],
    [['check', '--frob'], 2, /Unknown option '--frob'[\s\S]*usage: jam-db check/],
    [
      ['check', '--migrations', '/nonexistent/migrations'],
      1,
      /is not a drizzle-kit migrations folder/,
    ],
    [
      ['check', '--connect-timeout', 'x'],
      2,
      /--connect-timeout takes a whole number from 1 to 2147483, not "x"/,
    ],
  ])('%j', async (args, code, message) => {
    const result = await runCli(args, { DATABASE_URL: 'pglite:memory' });
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
  });

  it('says when the database cannot be reached', async () => {
    const result = await runCli(['check', '--migrations', writeDriftFolder()], {
      DATABASE_URL: 'postgres://jam:secret@127.0.0.1:1/jam',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Could not connect to PostgreSQL at postgres:\/\/jam:\*\*\*@127\.0\.0\.1:1\/jam/,
    );
    expect(result.stderr).not.toMatch(/secret/);
  });

  it('names the migration that fails while building the expected schema', async () => {
    const db = await createScratchDatabase('pglite');
    try {
      const folder = writeDriftFolder();
      expect((await runCli(['migrate', '--migrations', folder], db.env)).code).toBe(0);
      // A file edited into SQL that fails: check replays it on the scratch database.
      writeFileSync(join(folder, '0002_tags.sql'), 'CREATE TABLE "tags" ("id" nonsense_type);');
      const result = await runCli(['check', '--migrations', folder], db.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /Could not build the schema the migrations produce on an in-memory PGlite: Migration 0002_tags failed/,
      );
    } finally {
      await db.drop();
    }
  });
});
