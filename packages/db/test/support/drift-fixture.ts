import { bp, writeMigrationsFolder } from './folders.js';

/**
 * A small hand-written history for the drift and baseline tests: every kind of
 * object `check` compares (columns with types and defaults, a check
 * constraint, a foreign key, indexes, a unique constraint).
 */
export const driftMigrations = [
  {
    tag: '0000_authors',
    sql: [
      `CREATE TABLE "authors" ("id" serial PRIMARY KEY, "email" text NOT NULL, "name" varchar(80) NOT NULL, CONSTRAINT "authors_email_check" CHECK (position('@' in "email") > 0));`,
      'CREATE INDEX "authors_name_idx" ON "authors" ("name");',
    ].join(bp),
  },
  {
    tag: '0001_posts',
    sql: [
      'CREATE TABLE "posts" ("id" serial PRIMARY KEY, "author_id" integer NOT NULL REFERENCES "authors"("id"), "title" text NOT NULL, "score" integer DEFAULT 0 NOT NULL);',
      'CREATE INDEX "posts_author_idx" ON "posts" ("author_id");',
    ].join(bp),
  },
  {
    tag: '0002_tags',
    sql: 'CREATE TABLE "tags" ("id" serial PRIMARY KEY, "label" text NOT NULL UNIQUE);',
  },
];

export const writeDriftFolder = () => writeMigrationsFolder(driftMigrations);

/** The SQL of the first `count` migrations as one script, the way a person or another tool would have built the database. */
export const handBuiltSql = (count: number) =>
  driftMigrations
    .slice(0, count)
    .map((m) => m.sql.split(bp).join('\n'))
    .join('\n');

/** One hand-made drift per kind the issue names, with the line `check` must report for it. */
export const handMadeDrift: { name: string; sql: string; reported: RegExp }[] = [
  {
    name: 'added column',
    sql: 'ALTER TABLE authors ADD COLUMN nickname text',
    reported:
      /column public\.authors\.nickname: the database has it \(text\); the migrations do not create it/,
  },
  {
    name: 'changed type',
    sql: 'ALTER TABLE posts ALTER COLUMN score TYPE bigint',
    reported:
      /column public\.posts\.score: the migrations say integer not null default 0; the database has bigint not null default 0/,
  },
  {
    name: 'renamed index',
    sql: 'ALTER INDEX authors_name_idx RENAME TO authors_display_name_idx',
    reported:
      /index public\.authors_name_idx: the database has it under another name, index public\.authors_display_name_idx/,
  },
  {
    name: 'dropped index',
    sql: 'DROP INDEX posts_author_idx',
    reported:
      /index public\.posts_author_idx: the migrations create it \(CREATE INDEX posts_author_idx ON public\.posts USING btree \(author_id\)\); the database lacks it/,
  },
  {
    name: 'extra table',
    sql: 'CREATE TABLE audit (id integer PRIMARY KEY, what text)',
    reported:
      /table public\.audit: the database has it, with 2 columns, 1 constraint, 1 index; the migrations do not create it/,
  },
  {
    name: 'missing constraint',
    sql: 'ALTER TABLE authors DROP CONSTRAINT authors_email_check',
    reported:
      /constraint public\.authors\.authors_email_check: the migrations create it \(CHECK \(.*email.* > 0\)\)\); the database lacks it/,
  },
];
