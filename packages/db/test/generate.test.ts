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
    const renamed = await generate(
      v2,
      '--rename',
      'users.name:full_name',
      '--name',
      'rename',
      '--plain',
    );
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

  it('writes a rename as an expand and a contract migration, each with snapshot, journal entry and down script', async () => {
    expect((await generate(writeSchema(schemas, 'v1.mjs', 'name'))).code).toBe(0);
    const v2 = writeSchema(schemas, 'v2.mjs', 'full_name');
    const renamed = await generate(v2, '--rename', 'users.name:full_name', '--name', 'rename');
    expect(renamed.stderr).toBe('');
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toContain(
      'Expand/contract form: RENAME COLUMN → "full_name" kept in step with "name" by a trigger, backfilled (expand); "name" dropped (contract)',
    );
    expect(renamed.stdout).toMatch(
      /Wrote .*0002_rename_contract\.sql \(contract of 0001_rename_expand\)/,
    );
    expect(renamed.stdout).toMatch(/holds 0002_rename_contract back/);
    const expand = readFileSync(join(migrations, '0001_rename_expand.sql'), 'utf8');
    expect(expand).toMatch(/^-- jam-db:phase expand\n-- jam-db:no-transaction\n/);
    expect(expand).toContain('CREATE TRIGGER "users_full_name_jam_sync"');
    expect(readFileSync(join(migrations, '0002_rename_contract.sql'), 'utf8')).toMatch(
      /^-- jam-db:phase contract 0001_rename_expand\n[\s\S]*ALTER TABLE "users" DROP COLUMN "name";/,
    );
    for (const tag of ['0001_rename_expand', '0002_rename_contract'])
      expect(existsSync(join(migrations, `${tag}.down.sql`))).toBe(true);
    const journal = JSON.parse(readFileSync(join(migrations, 'meta', '_journal.json'), 'utf8'));
    expect(journal.entries.map((e: { tag: string }) => e.tag)).toEqual([
      '0000_migration',
      '0001_rename_expand',
      '0002_rename_contract',
    ]);
    expect(journal.entries[2].when).toBeGreaterThan(journal.entries[1].when);
    const [expandSnapshot, contractSnapshot] = ['0001', '0002'].map((idx) =>
      JSON.parse(readFileSync(join(migrations, 'meta', `${idx}_snapshot.json`), 'utf8')),
    );
    expect(contractSnapshot.prevId).toBe(expandSnapshot.id);
    expect(Object.keys(contractSnapshot.tables['public.users'].columns)).toEqual([
      'id',
      'full_name',
    ]);
    // drizzle-kit's next generate starts from the contract's snapshot and finds nothing to do.
    expect((await generate(v2)).stdout).toMatch(/No schema changes: nothing to generate/);
  });

  it('says which rename keeps its plain form and why', async () => {
    expect((await generate(writeSchema(schemas, 'v1.mjs', 'name'))).code).toBe(0);
    const v2 = join(schemas, 'v2.mjs');
    writeFileSync(
      v2,
      `import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { key: uuid('key').primaryKey().defaultRandom(), name: text('name') });
`,
    );
    const renamed = await generate(v2, '--rename', 'users.id:key', '--json');
    expect(renamed.code).toBe(0);
    const document = JSON.parse(renamed.stdout);
    expect(document.tag).toBe('0001_migration');
    expect(document.phased.keptPlain).toEqual([
      {
        statement: 'ALTER TABLE "users" RENAME COLUMN "id" TO "key";',
        kind: 'rename-column',
        reason: '"users"."id" is part of the primary key',
      },
    ]);
    expect(document.phased.contract).toBeNull();
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
