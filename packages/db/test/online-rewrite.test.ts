import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import { lintFolder } from '../src/lint/lint-folder.js';
import { SchemaModel } from '../src/lint/schema-model.js';
import { rewriteMigration } from '../src/online/rewrite-migration.js';
import { bp, writeMigrationsFolder } from './support/folders.js';

/** What the migrations before the one rewritten built: these tables may hold rows. */
const existing = [
  'CREATE SCHEMA "s";',
  'CREATE TABLE "users" ("id" uuid PRIMARY KEY, "email" text, "name" text, "age" int);',
  'CREATE TABLE "s"."my table" ("id" int PRIMARY KEY, "user id" uuid, "a" int, "b" int);',
  'CREATE INDEX "users_email_idx" ON "users" ("email");',
  'CREATE INDEX "users_name_idx" ON "users" ("name");',
  'CREATE TABLE "events" ("id" int, "at" date) PARTITION BY RANGE ("at");',
  'CREATE INDEX "events_at_idx" ON "events" ("at");',
].join(bp);

async function rewrite(sql: string) {
  const model = new SchemaModel();
  await rewriteMigration(existing, model);
  model.beginMigration();
  return rewriteMigration(sql, model);
}

const header = (n: number) =>
  `-- jam-db:no-transaction\n-- jam-db:online ${n} statement(s) rewritten so that no lock on a table that may hold rows outlives one short statement\n`;

describe('the online-safe form of each statement (rewriteMigration)', () => {
  it.each([
    [
      'CREATE INDEX → CONCURRENTLY',
      'CREATE INDEX "users_age_idx" ON "users" USING btree ("age");',
      'CREATE INDEX CONCURRENTLY "users_age_idx" ON "users" USING btree ("age");',
    ],
    [
      'CREATE UNIQUE INDEX IF NOT EXISTS → CONCURRENTLY',
      'CREATE UNIQUE INDEX IF NOT EXISTS "users_age_idx" ON "users" ("age");',
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_age_idx" ON "users" ("age");',
    ],
    [
      'DROP INDEX IF EXISTS → CONCURRENTLY',
      'DROP INDEX IF EXISTS "users_email_idx";',
      'DROP INDEX CONCURRENTLY IF EXISTS "users_email_idx";',
    ],
    [
      'DROP INDEX of a list → one statement per index',
      'DROP INDEX "users_email_idx", "public"."users_name_idx";',
      `DROP INDEX CONCURRENTLY "users_email_idx";${bp}DROP INDEX CONCURRENTLY "public"."users_name_idx";`,
    ],
    [
      'FOREIGN KEY → NOT VALID, then VALIDATE',
      'ALTER TABLE "s"."my table" ADD CONSTRAINT "my table_user id_fk" FOREIGN KEY ("user id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;',
      `ALTER TABLE "s"."my table" ADD CONSTRAINT "my table_user id_fk" FOREIGN KEY ("user id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action NOT VALID;${bp}ALTER TABLE "s"."my table" VALIDATE CONSTRAINT "my table_user id_fk";`,
    ],
    [
      'CHECK → NOT VALID, then VALIDATE',
      'ALTER TABLE "users" ADD CONSTRAINT "age_check" CHECK ("users"."age" >= 0);',
      `ALTER TABLE "users" ADD CONSTRAINT "age_check" CHECK ("users"."age" >= 0) NOT VALID;${bp}ALTER TABLE "users" VALIDATE CONSTRAINT "age_check";`,
    ],
    [
      'SET NOT NULL → check NOT VALID, VALIDATE, SET NOT NULL, drop the check',
      'ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;',
      [
        'ALTER TABLE "users" ADD CONSTRAINT "users_email_not_null_check" CHECK ("email" IS NOT NULL) NOT VALID;',
        'ALTER TABLE "users" VALIDATE CONSTRAINT "users_email_not_null_check";',
        'ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;',
        'ALTER TABLE "users" DROP CONSTRAINT "users_email_not_null_check";',
      ].join(bp),
    ],
    [
      'SET NOT NULL on a schema-qualified table with spaces in its names',
      'ALTER TABLE IF EXISTS "s"."my table" ALTER COLUMN "user id" SET NOT NULL;',
      [
        'ALTER TABLE IF EXISTS "s"."my table" ADD CONSTRAINT "my table_user id_not_null_check" CHECK ("user id" IS NOT NULL) NOT VALID;',
        'ALTER TABLE IF EXISTS "s"."my table" VALIDATE CONSTRAINT "my table_user id_not_null_check";',
        'ALTER TABLE IF EXISTS "s"."my table" ALTER COLUMN "user id" SET NOT NULL;',
        'ALTER TABLE IF EXISTS "s"."my table" DROP CONSTRAINT "my table_user id_not_null_check";',
      ].join(bp),
    ],
    [
      'UNIQUE → unique index CONCURRENTLY, then USING INDEX',
      'ALTER TABLE "s"."my table" ADD CONSTRAINT "my table_a_b_unique" UNIQUE("a","b");',
      `CREATE UNIQUE INDEX CONCURRENTLY "my table_a_b_unique" ON "s"."my table" ("a","b");${bp}ALTER TABLE "s"."my table" ADD CONSTRAINT "my table_a_b_unique" UNIQUE USING INDEX "my table_a_b_unique";`,
    ],
    [
      'UNIQUE NULLS NOT DISTINCT keeps NULLS NOT DISTINCT on the index',
      'ALTER TABLE "users" ADD CONSTRAINT "users_email_unique" UNIQUE NULLS NOT DISTINCT("email");',
      `CREATE UNIQUE INDEX CONCURRENTLY "users_email_unique" ON "users" ("email") NULLS NOT DISTINCT;${bp}ALTER TABLE "users" ADD CONSTRAINT "users_email_unique" UNIQUE USING INDEX "users_email_unique";`,
    ],
    [
      'PRIMARY KEY → unique index CONCURRENTLY, then PRIMARY KEY USING INDEX',
      'ALTER TABLE "s"."my table" ADD CONSTRAINT "my_pk" PRIMARY KEY ("a");',
      `CREATE UNIQUE INDEX CONCURRENTLY "my_pk" ON "s"."my table" ("a");${bp}ALTER TABLE "s"."my table" ADD CONSTRAINT "my_pk" PRIMARY KEY USING INDEX "my_pk";`,
    ],
    [
      'an unnamed PRIMARY KEY takes the name PostgreSQL would give it',
      'ALTER TABLE "s"."my table" ADD PRIMARY KEY ("a");',
      `CREATE UNIQUE INDEX CONCURRENTLY "my table_pkey" ON "s"."my table" ("a");${bp}ALTER TABLE "s"."my table" ADD PRIMARY KEY USING INDEX "my table_pkey";`,
    ],
  ])('%s', async (_, plain, safe) => {
    const result = await rewrite(plain);
    expect(result.sql).toBe(`${header(1)}${safe}`);
    expect(result.rewrites).toHaveLength(1);
    expect(result.notRewritten).toEqual([]);
  });

  it('cuts the name of the NOT NULL check to the 63 bytes PostgreSQL keeps', async () => {
    const long = 'a_rather_long_column_name_that_goes_on_and_on_for_quite_a_while';
    const sql = `ALTER TABLE "users" ADD COLUMN "${long}" text;${bp}ALTER TABLE "users" ALTER COLUMN "${long}" SET NOT NULL;`;
    const result = await rewrite(sql);
    const name = `users_${long}_not_null_check`.slice(0, 63);
    expect(Buffer.byteLength(name)).toBe(63);
    expect(result.sql).toContain(
      `ADD CONSTRAINT "${name}" CHECK ("${long}" IS NOT NULL) NOT VALID;`,
    );
    expect(result.sql).toContain(`DROP CONSTRAINT "${name}";`);
  });

  it('validates a long constraint by the 63 bytes PostgreSQL keeps of its name', async () => {
    const long = `users_${'long_'.repeat(15)}check`;
    const result = await rewrite(`ALTER TABLE "users" ADD CONSTRAINT "${long}" CHECK ("age" > 0);`);
    expect(result.sql).toContain(`ALTER TABLE "users" VALIDATE CONSTRAINT "${long.slice(0, 63)}";`);
  });

  it('keeps every other statement byte for byte, in order, and counts what it rewrote', async () => {
    const sql = [
      'CREATE TABLE "posts" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"user_id" uuid\n);\n',
      'ALTER TABLE "users" ADD COLUMN "bio" text;',
      'CREATE INDEX "users_bio_idx" ON "users" USING btree ("bio");',
      'ALTER TABLE "posts" ADD CONSTRAINT "posts_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id");',
      'CREATE INDEX "posts_user_idx" ON "posts" ("user_id");',
    ].join(bp);
    const result = await rewrite(sql);
    expect(result.sql).toBe(
      `${header(1)}${sql.replace('CREATE INDEX "users_bio_idx"', 'CREATE INDEX CONCURRENTLY "users_bio_idx"')}`,
    );
    expect(result.rewrites.map((r) => [r.index, r.change])).toEqual([
      [2, 'CREATE INDEX → CONCURRENTLY'],
    ]);
  });

  it('leaves a table created in the same migration alone', async () => {
    const sql = `CREATE TABLE "t" ("id" int, "x" int);${bp}CREATE INDEX "t_x" ON "t" ("x");${bp}ALTER TABLE "t" ALTER COLUMN "x" SET NOT NULL;${bp}ALTER TABLE "t" ADD CONSTRAINT "t_x_unique" UNIQUE("x");`;
    const result = await rewrite(sql);
    expect(result.sql).toBe(sql);
    expect(result.rewrites).toEqual([]);
  });

  it('leaves a DO block as written, and says so', async () => {
    const sql = `DO $$ BEGIN\n ALTER TABLE "users" ADD CONSTRAINT "users_self_fk" FOREIGN KEY ("id") REFERENCES "public"."users"("id");\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;`;
    const result = await rewrite(sql);
    expect(result.sql).toBe(sql);
    expect(result.notRewritten).toEqual([
      expect.objectContaining({
        rule: 'add-foreign-key-without-not-valid',
        reason: expect.stringMatching(/inside a DO block/),
      }),
    ]);
  });

  it('changes nothing in a file it rewrote before (idempotent)', async () => {
    const sql = [
      'CREATE INDEX "users_age_idx" ON "users" ("age");',
      'ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;',
      'ALTER TABLE "users" ADD CONSTRAINT "users_name_unique" UNIQUE("name");',
      'ALTER TABLE "s"."my table" ADD CONSTRAINT "fk" FOREIGN KEY ("user id") REFERENCES "users"("id");',
      'DROP INDEX "users_email_idx";',
    ].join(bp);
    const once = await rewrite(sql);
    expect(once.rewrites).toHaveLength(5);
    expect(once.sql.startsWith(header(5))).toBe(true);
    const twice = await rewrite(once.sql);
    expect(twice.sql).toBe(once.sql);
    expect(twice.rewrites).toEqual([]);
  });

  it('adds to the count of a file already marked when a new plain statement joined it', async () => {
    const once = await rewrite('CREATE INDEX "users_age_idx" ON "users" ("age");');
    const edited = `${once.sql}${bp}CREATE INDEX "users_name_age_idx" ON "users" ("name", "age");`;
    const twice = await rewrite(edited);
    expect(twice.sql.startsWith(header(2))).toBe(true);
    expect(twice.sql.match(/jam-db:no-transaction/g)).toHaveLength(1);
    expect(twice.sql).toContain('CREATE INDEX CONCURRENTLY "users_name_age_idx"');
  });

  it('rewrites statements that share one chunk, as hand-written files have them', async () => {
    const sql = `-- hand-written\nALTER TABLE "users" ADD COLUMN "nick" text;\nCREATE INDEX "users_nick_idx" ON "users" ("nick");\nALTER TABLE "users" ADD CONSTRAINT "nick_check" CHECK (length("nick") > 0);\n`;
    const result = await rewrite(sql);
    expect(result.sql).toBe(
      `${header(2)}-- hand-written\nALTER TABLE "users" ADD COLUMN "nick" text;\nCREATE INDEX CONCURRENTLY "users_nick_idx" ON "users" ("nick");\nALTER TABLE "users" ADD CONSTRAINT "nick_check" CHECK (length("nick") > 0) NOT VALID;${bp}ALTER TABLE "users" VALIDATE CONSTRAINT "nick_check";\n`,
    );
  });

  it('finds its place after names and literals of more than one byte per character', async () => {
    const sql = `ALTER TABLE "users" ADD COLUMN "überschrift" text DEFAULT 'é😀';\nALTER TABLE "users" ADD CONSTRAINT "naïve_check" CHECK ("überschrift" <> '😀né');\n`;
    const result = await rewrite(sql);
    expect(result.sql).toBe(
      `${header(1)}ALTER TABLE "users" ADD COLUMN "überschrift" text DEFAULT 'é😀';\nALTER TABLE "users" ADD CONSTRAINT "naïve_check" CHECK ("überschrift" <> '😀né') NOT VALID;${bp}ALTER TABLE "users" VALIDATE CONSTRAINT "naïve_check";\n`,
    );
  });

  it('splits an ALTER TABLE with several changes, then writes the safe form of each', async () => {
    const sql =
      'ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL, ADD COLUMN "score" numeric(10, 2) DEFAULT 0,\n  ADD CONSTRAINT "c" CHECK ("age" > greatest(0, 1));';
    const result = await rewrite(sql);
    expect(result.sql).toBe(
      `${header(3)}${[
        'ALTER TABLE "users" ADD CONSTRAINT "users_email_not_null_check" CHECK ("email" IS NOT NULL) NOT VALID;',
        'ALTER TABLE "users" VALIDATE CONSTRAINT "users_email_not_null_check";',
        'ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;',
        'ALTER TABLE "users" DROP CONSTRAINT "users_email_not_null_check";',
        'ALTER TABLE "users" ADD COLUMN "score" numeric(10, 2) DEFAULT 0;',
        'ALTER TABLE "users" ADD CONSTRAINT "c" CHECK ("age" > greatest(0, 1)) NOT VALID;',
        'ALTER TABLE "users" VALIDATE CONSTRAINT "c";',
      ].join(bp)}`,
    );
    expect(result.rewrites.map((r) => [r.index, r.change])).toEqual([
      [0, 'ALTER TABLE with 3 changes → 3 statements'],
      [0, 'SET NOT NULL → CHECK NOT VALID + VALIDATE + SET NOT NULL + DROP CHECK'],
      [5, 'CHECK → NOT VALID + VALIDATE'],
    ]);
    expect((await rewrite(result.sql)).rewrites).toEqual([]);
  });

  it('keeps a statement whose finding the file allows', async () => {
    const sql = `-- jam-db:allow create-index-without-concurrently the table is tiny\nCREATE INDEX "users_age_idx" ON "users" ("age");`;
    expect((await rewrite(sql)).sql).toBe(sql);
  });

  it.each([
    [
      'a volatile default',
      'ALTER TABLE "users" ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL;',
      'volatile-default',
      /expand\/contract/,
    ],
    [
      'a type change',
      'ALTER TABLE "users" ALTER COLUMN "age" SET DATA TYPE bigint;',
      'change-column-type',
      /expand\/contract/,
    ],
    [
      'an ALTER TABLE with a change it does not split',
      'ALTER TABLE "users" ENABLE ROW LEVEL SECURITY, ADD CONSTRAINT "c" CHECK ("age" > 0);',
      'add-check-without-not-valid',
      /makes 2 changes and EnableRowSecurity is not split automatically: split it into one statement per change/,
    ],
    [
      'DROP INDEX … CASCADE',
      'DROP INDEX "users_email_idx" CASCADE;',
      'drop-index-without-concurrently',
      /cannot CASCADE/,
    ],
    [
      'an unnamed foreign key',
      'ALTER TABLE "users" ADD FOREIGN KEY ("id") REFERENCES "users"("id");',
      'add-foreign-key-without-not-valid',
      /has no name/,
    ],
    [
      'a foreign key that comes with its column',
      'ALTER TABLE "users" ADD COLUMN "boss" uuid REFERENCES "users"("id");',
      'add-foreign-key-without-not-valid',
      /add the column, then the constraint/,
    ],
    [
      'an index build with a comment between its first words',
      'CREATE /* by hand */ INDEX "users_age_idx" ON "users" ("age");',
      'create-index-without-concurrently',
      /a comment stands between its first words/,
    ],
    [
      'an index on a partitioned table',
      'CREATE INDEX "events_id_idx" ON "events" ("id");',
      'create-index-without-concurrently',
      /the table is partitioned/,
    ],
    [
      'the drop of an index of a partitioned table',
      'DROP INDEX "events_at_idx";',
      'drop-index-without-concurrently',
      /the table is partitioned/,
    ],
    [
      'a file with its own BEGIN/COMMIT',
      `BEGIN;${bp}CREATE INDEX "users_age_idx" ON "users" ("age");${bp}COMMIT;`,
      'create-index-without-concurrently',
      /commits on its own/,
    ],
  ])('does not rewrite %s, and says why', async (_, sql, rule, reason) => {
    const result = await rewrite(sql);
    expect(result.sql).toBe(sql);
    expect(result.notRewritten).toEqual([
      expect.objectContaining({ rule, reason: expect.stringMatching(reason) }),
    ]);
  });
});

describe('lint agrees with the online-safe forms', () => {
  it('finds nothing to say about what was rewritten, and flags the plain forms', async () => {
    const plain = [
      'CREATE INDEX "users_age_idx" ON "users" ("age");',
      'ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;',
      'ALTER TABLE "users" ADD CONSTRAINT "users_name_unique" UNIQUE("name");',
      'ALTER TABLE "s"."my table" ADD CONSTRAINT "pk" PRIMARY KEY ("a");',
      'ALTER TABLE "s"."my table" ADD CONSTRAINT "fk" FOREIGN KEY ("user id") REFERENCES "users"("id");',
      'ALTER TABLE "users" ADD CONSTRAINT "age_check" CHECK ("age" > 0);',
      'DROP INDEX "users_email_idx";',
    ].join(bp);
    const lintOf = async (sql: string) => {
      const dir = writeMigrationsFolder([
        { tag: '0000_existing', sql: existing },
        { tag: '0001_change', sql },
      ]);
      try {
        return (await lintFolder(readMigrationFolder(dir)))[1]!.findings.map((f) => f.rule);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    expect(await lintOf(plain)).toEqual([
      'create-index-without-concurrently',
      'set-not-null',
      'add-unique-constraint',
      'add-unique-constraint',
      'add-foreign-key-without-not-valid',
      'add-check-without-not-valid',
      'drop-index-without-concurrently',
    ]);
    expect(await lintOf((await rewrite(plain)).sql)).toEqual([]);
  });

  it('still flags SET NOT NULL after a check that was never validated', async () => {
    const model = new SchemaModel();
    await rewriteMigration(existing, model);
    model.beginMigration();
    const sql = `ALTER TABLE "users" ADD CONSTRAINT "c" CHECK ("email" IS NOT NULL) NOT VALID;${bp}ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;`;
    const result = await rewriteMigration(sql, model);
    expect(result.rewrites.map((r) => r.rule)).toEqual(['set-not-null']);
  });
});

describe('what needs expand/contract is a lint error', () => {
  it.each([
    ['volatile-default', 'ALTER TABLE "users" ADD COLUMN "token" uuid DEFAULT gen_random_uuid();'],
    ['change-column-type', 'ALTER TABLE "users" ALTER COLUMN "age" SET DATA TYPE bigint;'],
  ])('%s', async (rule, sql) => {
    const dir = writeMigrationsFolder([
      { tag: '0000_existing', sql: existing },
      { tag: '0001_change', sql },
    ]);
    try {
      const [finding] = (await lintFolder(readMigrationFolder(dir)))[1]!.findings;
      expect(finding).toMatchObject({ rule, severity: 'error' });
      expect(finding!.alternative).toMatch(
        /^expand\/contract \(not rewritten automatically yet; see README\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
