import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { workDir } from './support/history-folder.js';

/** A schema module as a user would build it: plain JavaScript exporting drizzle tables. */
function writeSchema(dir: string, file: string, nameColumn: string): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    `import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: uuid('id').primaryKey().defaultRandom(), ${nameColumn}: text('${nameColumn}') });
`,
  );
  return path;
}

describe('jam-db generate', () => {
  let schemas: string;
  let migrations: string;
  beforeEach(() => {
    schemas = workDir('schema-');
    migrations = mkdtempSync(join(tmpdir(), 'jam-generated-'));
  });

  const generate = (schema: string, ...flags: string[]) =>
    runCli(['generate', '--migrations', migrations, '--schema', schema, ...flags]);

  it('writes the migration, its snapshot, journal entry and down script', async () => {
    const first = await generate(writeSchema(schemas, 'v1.mjs', 'name'), '--name', 'create users');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(readFileSync(join(migrations, '0000_create_users.sql'), 'utf8')).toMatch(
      /CREATE TABLE "users"/,
    );
    expect(existsSync(join(migrations, 'meta', '0000_snapshot.json'))).toBe(true);
    expect(readFileSync(join(migrations, '0000_create_users.down.sql'), 'utf8')).toMatch(
      /DROP TABLE "public"."users"/,
    );
    const again = await generate(join(schemas, 'v1.mjs'));
    expect(again.stdout).toMatch(/No schema changes: nothing to generate/);
  });

  it('stops with exit 2 where drizzle-kit would ask about a rename, naming the flags', async () => {
    expect((await generate(writeSchema(schemas, 'v1.mjs', 'name'))).code).toBe(0);
    const ambiguous = await generate(writeSchema(schemas, 'v2.mjs', 'full_name'));
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(
      /columns of users: users\.full_name appeared while users\.name disappeared/,
    );
    expect(ambiguous.stderr).toMatch(
      /--rename users\.name:full_name {3}or {3}--created users\.full_name/,
    );
    expect(existsSync(join(migrations, '0001_migration.sql'))).toBe(false);
  });

  it('renames with --rename, and drops and adds with --created', async () => {
    expect((await generate(writeSchema(schemas, 'v1.mjs', 'name'))).code).toBe(0);
    const v2 = writeSchema(schemas, 'v2.mjs', 'full_name');
    const renamed = await generate(v2, '--rename', 'users.name:full_name', '--name', 'rename');
    expect(renamed.code).toBe(0);
    expect(readFileSync(join(migrations, '0001_rename.sql'), 'utf8')).toBe(
      'ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";',
    );
    expect(readFileSync(join(migrations, '0001_rename.down.sql'), 'utf8')).toMatch(
      /ALTER TABLE "users" RENAME COLUMN "full_name" TO "name";/,
    );

    const v3 = writeSchema(schemas, 'v3.mjs', 'display_name');
    const created = await generate(v3, '--created', 'users.display_name', '--name', 'replace');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(
      /Lint: breaking, 1 finding\(s\):\n {2}error drop-column: ALTER TABLE "users" DROP COLUMN "full_name"/,
    );
    const sql = readFileSync(join(migrations, '0002_replace.sql'), 'utf8');
    expect(sql).toMatch(/DROP COLUMN "full_name"/);
    expect(sql).toMatch(/ADD COLUMN "display_name" text/);
  });

  it('refuses a --rename that names nothing in the previous schema', async () => {
    expect((await generate(writeSchema(schemas, 'v1.mjs', 'name'))).code).toBe(0);
    const result = await generate(
      writeSchema(schemas, 'v2.mjs', 'full_name'),
      '--rename',
      'users.nom:full_name',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /"users\.nom" is not a table, enum or table\.column of the previous schema/,
    );
  });

  it('names a --schema file that does not exist', async () => {
    const result = await generate(join(schemas, 'missing.mjs'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing\.mjs: no such file/);
  });

  it('writes a changeset stub in the repository that holds the migrations', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'jam-repo-'));
    writeFileSync(join(repo, 'pnpm-workspace.yaml'), 'packages: []\n');
    mkdirSync(join(repo, '.changeset'));
    migrations = join(repo, 'migrations');
    expect((await generate(writeSchema(schemas, 'v1.mjs', 'name'), '--name', 'init')).code).toBe(0);
    expect(readFileSync(join(repo, '.changeset', 'migration-0000-init.md'), 'utf8')).toMatch(
      /"@jam\/db": minor[\s\S]*`0000_init`/,
    );
  });

  it('gives the changeset stub the bump the lint classification needs', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'jam-repo-'));
    try {
      writeFileSync(join(repo, 'pnpm-workspace.yaml'), 'packages: []\n');
      mkdirSync(join(repo, '.changeset'));
      migrations = join(repo, 'migrations');
      const additive = await generate(writeSchema(schemas, 'v1.mjs', 'name'), '--name', 'init');
      expect(additive.stdout).toMatch(/migration-0000-init\.md with a minor bump \(additive\)/);
      const v2 = writeSchema(schemas, 'v2.mjs', 'display_name');
      const breaking = await generate(v2, '--created', 'users.display_name', '--name', 'replace');
      expect(breaking.code).toBe(0);
      expect(breaking.stdout).toMatch(/Lint: breaking/);
      expect(breaking.stdout).toMatch(/migration-0001-replace\.md with a major bump \(breaking\)/);
      expect(readFileSync(join(repo, '.changeset', 'migration-0001-replace.md'), 'utf8')).toMatch(
        /^---\n"@jam\/db": major\n---\n\nMigration `0001_replace`, breaking \(drop-column\)/,
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
