import type { FixtureMigration } from './folders.js';

/**
 * Hand-written migrations in the two forms of the online-safe spec (README,
 * "Online migrations"): the statement as drizzle-kit writes it, and its
 * online-safe form, for each kind of change the rewriter handles. Written by
 * hand on purpose: these tests prove that such files run alike on every engine,
 * whatever writes them.
 */

const breakpoint = '--> statement-breakpoint\n';

/** The two lines a rewritten file starts with. */
export const onlineHeader = (rewritten: number) =>
  `-- jam-db:no-transaction\n-- jam-db:online ${rewritten} statement(s) rewritten so that no lock on a table that may hold rows outlives one short statement\n`;

/** A safe-form file: the header, then each statement on its own, as drizzle-kit separates them. */
export const safeFile = (rewritten: number, statements: string[]) =>
  onlineHeader(rewritten) + statements.join(breakpoint);

/** A table that exists before the cases run, and a parent for its foreign key. */
export const baseMigration: FixtureMigration = {
  tag: '0000_base',
  sql: [
    'CREATE TABLE "parent" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"name" text\n);\n',
    'CREATE TABLE "t" (\n\t"id" integer NOT NULL,\n\t"parent_id" integer,\n\t"a" integer,\n\t"b" integer,\n\t"c" text,\n\t"d" integer\n);\n',
    'CREATE INDEX "t_d_idx" ON "t" USING btree ("d");',
  ].join(breakpoint),
};

/** Fills both tables, so every case runs on a table that holds rows (and must scan them). */
export const fillMigration = (rows: number): FixtureMigration => ({
  tag: '0001_fill',
  sql: [
    `INSERT INTO "parent" ("name") SELECT 'p' || g FROM generate_series(1, 10) g;`,
    `INSERT INTO "t" SELECT g, g % 10 + 1, g, g, 'c' || g, g FROM generate_series(1, ${rows}) g;`,
  ].join(breakpoint),
});

export interface OnlineCase {
  /** The migration's tag, the same in both forms. */
  tag: string;
  plain: string;
  safe: string;
}

/** One migration per kind of change, each on the filled table `t`, in an order that applies cleanly. */
export const onlineCases: OnlineCase[] = [
  {
    tag: '0002_index',
    plain: 'CREATE INDEX "t_a_idx" ON "t" USING btree ("a");',
    safe: safeFile(1, ['CREATE INDEX CONCURRENTLY "t_a_idx" ON "t" USING btree ("a");']),
  },
  {
    tag: '0003_drop_index',
    plain: 'DROP INDEX "t_d_idx";',
    safe: safeFile(1, ['DROP INDEX CONCURRENTLY "t_d_idx";']),
  },
  {
    tag: '0004_foreign_key',
    plain:
      'ALTER TABLE "t" ADD CONSTRAINT "t_parent_id_parent_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."parent"("id") ON DELETE no action ON UPDATE no action;',
    safe: safeFile(1, [
      'ALTER TABLE "t" ADD CONSTRAINT "t_parent_id_parent_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."parent"("id") ON DELETE no action ON UPDATE no action NOT VALID;',
      'ALTER TABLE "t" VALIDATE CONSTRAINT "t_parent_id_parent_id_fk";',
    ]),
  },
  {
    tag: '0005_check',
    plain: 'ALTER TABLE "t" ADD CONSTRAINT "t_b_positive" CHECK ("t"."b" > 0);',
    safe: safeFile(1, [
      'ALTER TABLE "t" ADD CONSTRAINT "t_b_positive" CHECK ("t"."b" > 0) NOT VALID;',
      'ALTER TABLE "t" VALIDATE CONSTRAINT "t_b_positive";',
    ]),
  },
  {
    tag: '0006_set_not_null',
    plain: 'ALTER TABLE "t" ALTER COLUMN "a" SET NOT NULL;',
    // The check is not named "t_a_not_null": PostgreSQL 18 (PGlite) names the NOT NULL
    // constraint so, and would call it "t_a_not_null1" while the check holds the name.
    safe: safeFile(1, [
      'ALTER TABLE "t" ADD CONSTRAINT "t_a_not_null_check" CHECK ("a" IS NOT NULL) NOT VALID;',
      'ALTER TABLE "t" VALIDATE CONSTRAINT "t_a_not_null_check";',
      'ALTER TABLE "t" ALTER COLUMN "a" SET NOT NULL;',
      'ALTER TABLE "t" DROP CONSTRAINT "t_a_not_null_check";',
    ]),
  },
  {
    tag: '0007_unique',
    plain: 'ALTER TABLE "t" ADD CONSTRAINT "t_b_c_unique" UNIQUE("b","c");',
    safe: safeFile(1, [
      'CREATE UNIQUE INDEX CONCURRENTLY "t_b_c_unique" ON "t" ("b","c");',
      'ALTER TABLE "t" ADD CONSTRAINT "t_b_c_unique" UNIQUE USING INDEX "t_b_c_unique";',
    ]),
  },
  {
    tag: '0008_primary_key',
    plain: 'ALTER TABLE "t" ADD CONSTRAINT "t_id_pk" PRIMARY KEY("id");',
    safe: safeFile(1, [
      'CREATE UNIQUE INDEX CONCURRENTLY "t_id_pk" ON "t" ("id");',
      'ALTER TABLE "t" ADD CONSTRAINT "t_id_pk" PRIMARY KEY USING INDEX "t_id_pk";',
    ]),
  },
];

/** The whole history in one form: the base, the rows, then every case. */
export const onlineHistory = (form: 'plain' | 'safe', rows: number): FixtureMigration[] => [
  baseMigration,
  fillMigration(rows),
  ...onlineCases.map((c) => ({ tag: c.tag, sql: c[form] })),
];
