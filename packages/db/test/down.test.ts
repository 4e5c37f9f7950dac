import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageMigrations, runCli } from './support/cli.js';
import { describeServer, serverUrl } from './support/databases.js';
import { buildHistory } from './support/history-folder.js';

const downScripts = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.down.sql'))
    .sort();
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
/**
 * Where generate-down builds its scratch database when the test is not about the engine:
 * the server when there is one (several times faster than PGlite here), else PGlite.
 */
const deriveOn = serverUrl ? { DATABASE_URL: serverUrl } : {};

describe('generate-down and verify on a synthetic history of every kind of change', () => {
  it('writes a down script for every migration, and verify proves each one on PGlite', async () => {
    const dir = await buildHistory();
    const generated = await runCli(['generate-down', '--migrations', dir, '--json'], {
      DATABASE_URL: 'pglite:memory',
    });
    expect(generated.stderr).toBe('');
    const { written, manual } = JSON.parse(generated.stdout);
    expect(written).toHaveLength(16);
    expect(manual).toEqual([]);
    expect(downScripts(dir)).toHaveLength(16);

    const verified = await runCli(['verify', '--migrations', dir, '--json'], {
      DATABASE_URL: 'pglite:memory',
    });
    const report = JSON.parse(verified.stdout);
    expect(report.migrations.filter((m: { verdict: string }) => m.verdict !== 'exact')).toEqual([]);
    expect(report.summary).toMatchObject({ exact: 16, manual: 0, wrong: 0, stopped: null });
    expect(verified.code).toBe(0);
  });

  it('undoes renames without asking, and marks what loses data', async () => {
    const dir = await buildHistory();
    expect((await runCli(['generate-down', '--migrations', dir], deriveOn)).code).toBe(0);
    expect(read(dir, '0002_rename_user_name.down.sql')).toMatch(
      /ALTER TABLE "users" RENAME COLUMN "full_name" TO "name";/,
    );
    expect(read(dir, '0006_rename_posts_table.down.sql')).toMatch(
      /^ALTER TABLE "articles" RENAME TO "posts";/m,
    );
    expect(read(dir, '0006_rename_posts_table.down.sql')).not.toMatch(/jam-db:data-loss/);
    const tagsDown = read(dir, '0007_composite_key_table.down.sql');
    expect(tagsDown.split('\n')[0]).toBe('-- jam-db:data-loss');
    expect(tagsDown).toMatch(/-- loses data: drops table "tags"\./);
    const custom = read(dir, '0005_touch_trigger.down.sql');
    expect(custom).toMatch(
      /DROP TRIGGER "users_touch" ON "public"."users";[\s\S]*DROP INDEX "public"."users_created_idx";[\s\S]*DROP FUNCTION "public"."touch_created_at"\(\);/,
    );
    expect(custom).toMatch(/-- note: data changed by "UPDATE "users" SET "mood"/);
  });

  it('leaves existing down scripts alone unless --force', async () => {
    const dir = await buildHistory();
    expect((await runCli(['generate-down', '--migrations', dir], deriveOn)).code).toBe(0);
    writeFileSync(join(dir, '0000_initial.down.sql'), '-- mine\nDROP TABLE "posts";');
    const again = await runCli(['generate-down', '--migrations', dir], deriveOn);
    expect(again.stdout).toMatch(/Every migration already has a down script/);
    expect(read(dir, '0000_initial.down.sql')).toMatch(/^-- mine/);
    expect((await runCli(['generate-down', '--migrations', dir, '--force'], deriveOn)).code).toBe(
      0,
    );
    expect(read(dir, '0000_initial.down.sql')).not.toMatch(/^-- mine/);
  });

  it('marks a migration it cannot undo as manual, with the reason, and verify names it', async () => {
    const dir = await buildHistory();
    const { appendMigration } = await import('./support/folders.js');
    // The catalogs it diffs hold no collations: left behind, this one makes up fail again.
    appendMigration(dir, {
      tag: '0016_collation',
      sql: `CREATE COLLATION "jam_plain" (locale = 'C');`,
      when: 1_800_000_000_000,
    });
    const generated = await runCli(['generate-down', '--migrations', dir, '--json'], deriveOn);
    expect(JSON.parse(generated.stdout).manual).toEqual(['0016_collation']);
    const script = read(dir, '0016_collation.down.sql').split('\n');
    expect(script[0]).toBe('-- jam-db:manual');
    expect(script[1]).toMatch(/lets the up script fail when it runs again: .*already exists/);
    expect(script[1]).toMatch(/no inverse is known for: CREATE COLLATION "jam_plain"/);

    const verified = await runCli(['verify', '--migrations', dir], {
      DATABASE_URL: 'pglite:memory',
    });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(
      /^ {2}manual 0016_collation +[\d.]+ m?s {2}0016_collation could not be undone automatically/m,
    );
  });

  it('reports a down script that does not restore the schema, object by object', async () => {
    const dir = await buildHistory();
    expect((await runCli(['generate-down', '--migrations', dir], deriveOn)).code).toBe(0);
    const path = join(dir, '0001_add_columns_and_constraints.down.sql');
    writeFileSync(
      path,
      read(dir, '0001_add_columns_and_constraints.down.sql').replace(
        /\n--> statement-breakpoint\n[^\n]*DROP (INDEX|CONSTRAINT) [^\n]*"posts_title_key";/,
        '',
      ),
    );
    const verified = await runCli(['verify', '--migrations', dir, '--json'], {
      DATABASE_URL: 'pglite:memory',
    });
    expect(verified.code).toBe(1);
    const wrong = JSON.parse(verified.stdout).migrations.filter(
      (m: { verdict: string }) => m.verdict === 'wrong',
    );
    expect(wrong.map((m: { tag: string }) => m.tag)).toContain('0001_add_columns_and_constraints');
    expect(wrong[0].reason).toMatch(/^after up → down the schema differs from before up/);
    expect(wrong[0].differences).toContainEqual(
      expect.stringMatching(/^unexpected index public\.posts_title_key: CREATE UNIQUE INDEX/),
    );
  });
});

describe('verify on the project’s own migrations', () => {
  it('proves every down script of @jam/db on PGlite', async () => {
    const result = await runCli(['verify', '--json'], { DATABASE_URL: 'pglite:memory' });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.summary).toMatchObject({ manual: 0, wrong: 0 });
    expect(report.summary.exact).toBe(
      readdirSync(packageMigrations).filter((f) => f.endsWith('.down.sql')).length,
    );
    expect(result.code).toBe(0);
  });
});

describeServer('verify on PostgreSQL', () => {
  it('proves the project’s migrations and the synthetic history in a temporary database', async () => {
    const own = await runCli(['verify'], { DATABASE_URL: serverUrl });
    expect(own.stdout).toMatch(
      /on a temporary database jam_verify_\w+ on that server: \d+ exact, 0 manual, 0 wrong/,
    );
    expect(own.code).toBe(0);

    const dir = await buildHistory();
    expect((await runCli(['generate-down', '--migrations', dir], deriveOn)).code).toBe(0);
    const history = await runCli(['verify', '--migrations', dir, '--json'], {
      DATABASE_URL: serverUrl,
    });
    expect(JSON.parse(history.stdout).summary).toMatchObject({ exact: 16, manual: 0, wrong: 0 });
  });
});

describe('generate-down on patterns of older drizzle-kit histories', () => {
  it('reads through the DO … duplicate_object wrapper and retypes serial columns with real types', async () => {
    const { generateMigrationFiles } = await import('../src/generate/generate-migration.js');
    const { pgTable, serial, varchar, integer } = await import('drizzle-orm/pg-core');
    const { addCustomMigration, workDir } = await import('./support/history-folder.js');
    const dir = workDir('legacy-');
    await generateMigrationFiles({
      dir,
      name: 'posts',
      now: 1,
      schema: {
        posts: pgTable('posts', { id: serial('id').primaryKey(), owner: integer('owner') }),
      },
    });
    await generateMigrationFiles({
      dir,
      name: 'retype',
      now: 2,
      schema: {
        posts: pgTable('posts', { id: varchar('id').primaryKey(), owner: integer('owner') }),
      },
    });
    addCustomMigration(
      dir,
      'wrapped',
      [
        `DO $$ BEGIN\n CREATE TYPE "public"."kind" AS ENUM('a', 'b');\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;`,
        `DO $$ BEGIN\n ALTER TABLE "posts" ADD CONSTRAINT "posts_owner_positive" CHECK ("owner" > 0);\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;`,
      ].join('\n--> statement-breakpoint\n'),
      3,
    );
    const generated = await runCli(['generate-down', '--migrations', dir, '--json'], deriveOn);
    expect(JSON.parse(generated.stdout).manual).toEqual([]);
    expect(read(dir, '0001_retype.down.sql')).toMatch(/SET DATA TYPE integer USING "id"::integer;/);
    expect(read(dir, '0002_wrapped.down.sql')).toMatch(
      /DROP CONSTRAINT "posts_owner_positive";[\s\S]*DROP TYPE "public"."kind";/,
    );
    const verified = await runCli(['verify', '--migrations', dir, '--json'], {
      DATABASE_URL: 'pglite:memory',
    });
    expect(JSON.parse(verified.stdout).summary).toMatchObject({ exact: 3, manual: 0, wrong: 0 });
  });
});
