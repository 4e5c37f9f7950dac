import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The schema changes `bench:online` measures, written as drizzle-kit 0.31 writes them:
 * quoted names, statements joined by `--> statement-breakpoint`, journal version 7.
 */

export interface PendingMigration {
  name: string;
  statements: string[];
}

export interface OnlineCase {
  /** What `--cases` takes. */
  key: string;
  /** The row's name in the results table. */
  label: string;
  /** Migrations after 0000, in order; empty for the noise floor. */
  pending: PendingMigration[];
  /** The rewriter leaves it alone on purpose: it needs expand/contract (issue #12). */
  expandContract?: boolean;
  /** A reader holds a transaction on the hot table for this long, starting before the migration. */
  readerHoldsMs?: number;
}

/** Owners the hot table's owner_id points at (the foreign key case). */
export const ownerCount = 1000;

const createTables = [
  `CREATE TABLE "owners" (
\t"id" integer PRIMARY KEY NOT NULL,
\t"name" text NOT NULL
);
`,
  // One column per case: amount is indexed and checked, owner_id gets the foreign key, note
  // becomes NOT NULL, code becomes unique, qty changes type, legacy's index is dropped.
  `CREATE TABLE "hot" (
\t"id" bigserial PRIMARY KEY NOT NULL,
\t"amount" integer NOT NULL,
\t"owner_id" integer NOT NULL,
\t"note" text,
\t"code" text NOT NULL,
\t"qty" integer NOT NULL,
\t"legacy" integer NOT NULL
);
`,
  'CREATE INDEX "hot_legacy_index" ON "hot" USING btree ("legacy");',
];

/** Fills the tables migration 0000 created; run once, into the template database. */
export const fillSql = (rows: number): string[] => [
  `INSERT INTO "owners" ("id", "name") SELECT i, 'owner ' || i FROM generate_series(1, ${ownerCount}) i`,
  `INSERT INTO "hot" ("id", "amount", "owner_id", "note", "code", "qty", "legacy")
     SELECT i, i % 100000, 1 + i % ${ownerCount}, 'note ' || i, 'c' || i, i % 1000, i % 5000
       FROM generate_series(1, ${rows}) i`,
  `SELECT setval(pg_get_serial_sequence('hot', 'id'), ${rows})`,
];

const addExtraColumn = 'ALTER TABLE "hot" ADD COLUMN "extra" text;';

/** 0001 touches the hot table, 0010 takes 2 s, the rest create small tables of their own. */
function twentyMigrations(): PendingMigration[] {
  const migrations: PendingMigration[] = [{ name: 'hot_extra', statements: [addExtraColumn] }];
  for (let step = 2; step <= 20; step++) {
    const suffix = String(step).padStart(2, '0');
    migrations.push(
      step === 10
        ? { name: 'slow_step', statements: ['SELECT pg_sleep(2);'] }
        : {
            name: `side_${suffix}`,
            statements: [
              `CREATE TABLE "side_${suffix}" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"label" text\n);\n`,
            ],
          },
    );
  }
  return migrations;
}

const one = (name: string, statement: string): PendingMigration[] => [
  { name, statements: [statement] },
];

export const onlineCases: OnlineCase[] = [
  { key: 'noise', label: 'no change (noise floor)', pending: [] },
  {
    key: 'create-index',
    label: '`CREATE INDEX`',
    pending: one(
      'hot_amount_index',
      'CREATE INDEX "hot_amount_index" ON "hot" USING btree ("amount");',
    ),
  },
  {
    key: 'add-foreign-key',
    label: '`ADD FOREIGN KEY`',
    pending: one(
      'hot_owner_fk',
      'ALTER TABLE "hot" ADD CONSTRAINT "hot_owner_id_owners_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."owners"("id") ON DELETE no action ON UPDATE no action;',
    ),
  },
  {
    key: 'set-not-null',
    label: '`SET NOT NULL` on a filled column',
    pending: one('hot_note_not_null', 'ALTER TABLE "hot" ALTER COLUMN "note" SET NOT NULL;'),
  },
  {
    key: 'alter-type',
    label: '`ALTER COLUMN … TYPE bigint` (int)',
    pending: one('hot_qty_bigint', 'ALTER TABLE "hot" ALTER COLUMN "qty" SET DATA TYPE bigint;'),
    expandContract: true,
  },
  {
    key: 'add-column-volatile',
    label: '`ADD COLUMN … DEFAULT gen_random_uuid() NOT NULL`',
    pending: one(
      'hot_token',
      'ALTER TABLE "hot" ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL;',
    ),
    expandContract: true,
  },
  {
    key: 'add-unique',
    label: '`ADD UNIQUE`',
    pending: one(
      'hot_code_unique',
      'ALTER TABLE "hot" ADD CONSTRAINT "hot_code_unique" UNIQUE("code");',
    ),
  },
  {
    key: 'add-check',
    label: '`ADD CHECK`',
    pending: one(
      'hot_amount_check',
      'ALTER TABLE "hot" ADD CONSTRAINT "hot_amount_check" CHECK ("hot"."amount" >= 0);',
    ),
  },
  {
    key: 'drop-index',
    label: '`DROP INDEX`',
    pending: one('drop_hot_legacy_index', 'DROP INDEX "hot_legacy_index";'),
  },
  {
    key: 'twenty-migrations',
    label: '20 migrations, the first touches the hot table, one takes 2 s',
    pending: twentyMigrations(),
  },
  {
    key: 'behind-reader',
    label: '`ADD COLUMN` behind a reader holding the table 10 s',
    pending: one('hot_extra', addExtraColumn),
    readerHoldsMs: 10_000,
  },
];

/** A fixed start, so every folder the bench writes has the same journal. */
const firstWhen = Date.UTC(2026, 0, 1);

export const baseTag = '0000_tables';

/**
 * Writes a drizzle-kit migrations folder: 0000 creating the tables, then `pending`.
 * Returns the tags in order.
 */
export function writeMigrationFolder(dir: string, pending: PendingMigration[]): string[] {
  const migrations = [{ name: 'tables', statements: createTables }, ...pending];
  mkdirSync(join(dir, 'meta'), { recursive: true });
  const entries = migrations.map((migration, idx) => {
    const tag = `${String(idx).padStart(4, '0')}_${migration.name}`;
    writeFileSync(join(dir, `${tag}.sql`), migration.statements.join('--> statement-breakpoint\n'));
    return { idx, version: '7', when: firstWhen + idx * 1000, tag, breakpoints: true };
  });
  writeFileSync(
    join(dir, 'meta', '_journal.json'),
    `${JSON.stringify({ version: '7', dialect: 'postgresql', entries }, null, 2)}\n`,
  );
  return entries.map((entry) => entry.tag);
}
