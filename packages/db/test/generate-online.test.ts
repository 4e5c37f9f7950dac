import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workBudget } from '@jam/testing/work-budget';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { bp } from './support/folders.js';
import { workDir } from './support/history-folder.js';

/**
 * A schema module with two tables; `changed` adds, on the existing tables, an
 * index, a foreign key, a check, a unique constraint and a NOT NULL.
 */
function writeSchema(dir: string, file: string, changed: boolean): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    `import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: text('email'),
  name: text('name'),
  age: integer('age'),
}, (t) => [index('users_name_idx').on(t.name)${
      changed
        ? `, index('users_email_idx').on(t.email), unique('users_email_unique').on(t.email), check('users_age_check', sql\`\${t.age} >= 0\`)`
        : ''
    }]);
export const posts = pgTable('posts', {
  id: integer('id').primaryKey(),
  userId: uuid('user_id'),
  title: text('title')${changed ? '.notNull()' : ''},
}${changed ? ', (t) => [foreignKey({ name: "posts_user_fk", columns: [t.userId], foreignColumns: [users.id] })]' : ''});
`,
  );
  return path;
}

describe('jam-db generate writes the online-safe forms', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'for changes to existing tables, not for a new table, and --plain keeps drizzle-kit’s statements',
    async () => {
      const schemas = workDir('schema-');
      const migrations = mkdtempSync(join(tmpdir(), 'jam-generated-'));
      const plainCopy = mkdtempSync(join(tmpdir(), 'jam-generated-plain-'));
      made.push(schemas, migrations, plainCopy);
      const generate = (dir: string, schema: string, ...flags: string[]) =>
        runCli(['generate', '--migrations', dir, '--schema', schema, ...flags]);

      const first = await generate(
        migrations,
        writeSchema(schemas, 'v1.mjs', false),
        '--name',
        'init',
      );
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('Online-safe form: nothing to rewrite');
      const init = readFileSync(join(migrations, '0000_init.sql'), 'utf8');
      expect(init).toContain('CREATE INDEX "users_name_idx" ON "users"');
      expect(init).not.toContain('jam-db:online');

      const second = await generate(
        migrations,
        writeSchema(schemas, 'v2.mjs', true),
        '--name',
        'constraints',
      );
      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(
        /Online-safe form: 5 statement\(s\) rewritten: .*\(--plain keeps drizzle-kit's statements\)/,
      );
      const sql = readFileSync(join(migrations, '0001_constraints.sql'), 'utf8');
      expect(sql.split('\n').slice(0, 2)).toEqual([
        '-- jam-db:no-transaction',
        '-- jam-db:online 5 statement(s) rewritten so that no lock on a table that may hold rows outlives one short statement',
      ]);
      const statements = sql.split(bp).map((s) => s.replace(/^(--.*\n)+/, ''));
      expect(statements).toEqual(
        expect.arrayContaining([
          'ALTER TABLE "posts" ADD CONSTRAINT "posts_title_not_null_check" CHECK ("title" IS NOT NULL) NOT VALID;',
          'ALTER TABLE "posts" VALIDATE CONSTRAINT "posts_title_not_null_check";',
          'ALTER TABLE "posts" ALTER COLUMN "title" SET NOT NULL;',
          'ALTER TABLE "posts" DROP CONSTRAINT "posts_title_not_null_check";',
          'ALTER TABLE "posts" ADD CONSTRAINT "posts_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action NOT VALID;',
          'ALTER TABLE "posts" VALIDATE CONSTRAINT "posts_user_fk";',
          'CREATE UNIQUE INDEX CONCURRENTLY "users_email_unique" ON "users" ("email");',
          'ALTER TABLE "users" ADD CONSTRAINT "users_email_unique" UNIQUE USING INDEX "users_email_unique";',
          'ALTER TABLE "users" ADD CONSTRAINT "users_age_check" CHECK ("users"."age" >= 0) NOT VALID;',
          'ALTER TABLE "users" VALIDATE CONSTRAINT "users_age_check";',
          'CREATE INDEX CONCURRENTLY "users_email_idx" ON "users" USING btree ("email");',
        ]),
      );
      expect(second.stdout).toMatch(/Lint: additive, no findings/);
      const down = readFileSync(join(migrations, '0001_constraints.down.sql'), 'utf8');
      expect(down).not.toMatch(/jam-db:manual/);

      // The same change with --plain: drizzle-kit's statements, untouched.
      const init2 = await generate(plainCopy, join(schemas, 'v1.mjs'), '--name', 'init', '--json');
      expect(JSON.parse(init2.stdout).online).toEqual({ rewrites: [], notRewritten: [] });
      const plain = await generate(
        plainCopy,
        join(schemas, 'v2.mjs'),
        '--name',
        'constraints',
        '--plain',
        '--json',
      );
      expect(plain.code).toBe(0);
      const document = JSON.parse(plain.stdout);
      expect(document.online).toBeNull();
      expect(document.statements).toContain(
        'CREATE INDEX "users_email_idx" ON "users" USING btree ("email");',
      );
      expect(document.lint.findings).toHaveLength(5);
      const plainSql = readFileSync(join(plainCopy, '0001_constraints.sql'), 'utf8');
      expect(plainSql).not.toContain('jam-db:');
    },
    // Each generate also derives the down script on a scratch PGlite (two opens).
    workBudget({ cliRuns: 4, pgliteOpens: 8 }),
  );
});
