import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workBudget } from '@jam/testing/work-budget';
import { expect, it } from 'vitest';
import { openSession } from '../src/engines/open-session.js';
import { diffSchemaFacts, readSchemaFacts } from '../src/introspect/schema-facts.js';
import type { Target } from '../src/target/target.js';
import { runCli } from './support/cli.js';
import { createScratchDatabase, describeServer } from './support/databases.js';
import { bp, useMigrationsFolders } from './support/folders.js';

/** Tables with rows, so every VALIDATE and index build has something to read. */
const base = [
  'CREATE SCHEMA "app";',
  'CREATE TABLE "app"."user accounts" ("id" int PRIMARY KEY, "email" text, "age" int);',
  'CREATE TABLE "posts" ("id" int PRIMARY KEY, "author id" int, "title" text, "slug" text);',
  'CREATE INDEX "posts_slug_idx" ON "posts" ("slug");',
  `INSERT INTO "app"."user accounts" SELECT i, 'u' || i || '@x', i % 90 FROM generate_series(1, 500) i;`,
  `INSERT INTO "posts" SELECT i, i % 500 + 1, 'post ' || i, 's' || i FROM generate_series(1, 2000) i;`,
].join(bp);

/** drizzle-kit's statements for every kind of change the safe forms cover, and a hand-written ALTER TABLE with two changes. */
const change = [
  'ALTER TABLE "posts" ADD CONSTRAINT "posts_author id_fk" FOREIGN KEY ("author id") REFERENCES "app"."user accounts"("id") ON DELETE cascade ON UPDATE no action;',
  'ALTER TABLE "app"."user accounts" ADD CONSTRAINT "user accounts_age_check" CHECK ("app"."user accounts"."age" >= 0);',
  'ALTER TABLE "posts" ALTER COLUMN "title" SET NOT NULL;',
  'ALTER TABLE "app"."user accounts" ADD CONSTRAINT "user accounts_email_unique" UNIQUE NULLS NOT DISTINCT("email");',
  'ALTER TABLE "posts" DROP CONSTRAINT "posts_pkey";',
  'ALTER TABLE "posts" ADD PRIMARY KEY ("id");',
  'CREATE INDEX "posts_title_idx" ON "posts" USING btree ("title");',
  'DROP INDEX "posts_slug_idx";',
  'ALTER TABLE "posts" ADD COLUMN "rank" int DEFAULT 0, ADD CONSTRAINT "posts_rank_check" CHECK ("rank" >= 0);',
].join(bp);

async function schemaFacts(target: Target) {
  const session = await openSession(target);
  try {
    return await readSchemaFacts(session);
  } finally {
    await session.close();
  }
}

describeServer('the online-safe forms on PostgreSQL', () => {
  const folderOf = useMigrationsFolders();

  it(
    'apply, as rewritten by lint --fix, to the same schema facts as the plain folder',
    async () => {
      const plainDir = folderOf(
        { tag: '0000_base', sql: base },
        { tag: '0001_change', sql: change },
      );
      const safeDir = mkdtempSync(join(tmpdir(), 'jam-online-'));
      const plainDb = await createScratchDatabase('postgres');
      const safeDb = await createScratchDatabase('postgres');
      try {
        cpSync(plainDir, safeDir, { recursive: true });
        expect(
          (await runCli(['migrate', '--to', '0000_base', '--migrations', safeDir], safeDb.env))
            .code,
        ).toBe(0);
        const fixed = await runCli(['lint', '--fix', '--migrations', safeDir], safeDb.env);
        expect(fixed.stderr).toBe('');
        expect(fixed.code).toBe(0);
        expect(fixed.stdout).toContain('0001_change: 9 statement(s) rewritten');
        expect(readFileSync(join(safeDir, '0001_change.sql'), 'utf8')).toContain(
          'CREATE UNIQUE INDEX CONCURRENTLY "user accounts_email_unique" ON "app"."user accounts" ("email") NULLS NOT DISTINCT;',
        );

        const plain = await runCli(['migrate', '--migrations', plainDir], plainDb.env);
        expect(plain.stderr).toBe('');
        const safe = await runCli(['migrate', '--migrations', safeDir], safeDb.env);
        expect(safe.stderr).toBe('');
        expect(safe.stdout).toMatch(/0001_change .*no transaction/);

        const expected = await schemaFacts(plainDb.target);
        expect(expected.get('constraint app.user accounts.user accounts_email_unique')).toBe(
          'UNIQUE NULLS NOT DISTINCT (email)',
        );
        expect(expected.get('constraint public.posts.posts_pkey')).toBe('PRIMARY KEY (id)');
        expect(diffSchemaFacts(expected, await schemaFacts(safeDb.target))).toEqual([]);
        const invalid = await safeDb.sql(
          'SELECT indexrelid::regclass AS index FROM pg_index WHERE NOT indisvalid',
        );
        expect(invalid).toEqual([]);
      } finally {
        rmSync(safeDir, { recursive: true, force: true });
        await Promise.all([plainDb.drop(), safeDb.drop()]);
      }
    },
    workBudget({ cliRuns: 4 }),
  );
});
