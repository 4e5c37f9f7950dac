import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The expand / contract rows of `bench:online` (issue #12): three changes to a hot table of
 * its own, written as drizzle-kit 0.31 writes them, in a folder with drizzle-kit's snapshot
 * of the schema before them (`lint --fix` reads the old column's indexes and defaults there).
 */

export interface PhasedCase {
  /** What `--cases` takes. */
  key: string;
  label: string;
  /** The pending migration's name and its one statement, as drizzle-kit writes it. */
  name: string;
  statement: string;
  /** The column old code writes, the one new code writes, and the one that holds the value at the end. */
  columns?: { old: string; new: string; final: string; twin: string };
  /** No contract: the change breaks no running code (the volatile default). */
  oneMigration?: boolean;
}

export const phasedCases: PhasedCase[] = [
  {
    key: 'rename',
    label: '`RENAME COLUMN "a" TO "b"`',
    name: 'hot_rename_a',
    statement: 'ALTER TABLE "hot" RENAME COLUMN "a" TO "b";',
    // During the expand both names exist; "b" is the new one and the one left at the end.
    columns: { old: 'a', new: 'b', final: 'b', twin: 'b' },
  },
  {
    key: 'type-change',
    label: '`ALTER COLUMN "n" SET DATA TYPE bigint` (int)',
    name: 'hot_n_bigint',
    statement: 'ALTER TABLE "hot" ALTER COLUMN "n" SET DATA TYPE bigint;',
    // The name stays; during the expand the trigger fills "n_jam_new", which becomes "n".
    columns: { old: 'n', new: 'n', final: 'n', twin: 'n_jam_new' },
  },
  {
    key: 'volatile-default',
    label: '`ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL`',
    name: 'hot_token',
    statement: 'ALTER TABLE "hot" ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL;',
    oneMigration: true,
  },
];

export const phasedCaseKeys = phasedCases.map((c) => c.key);

const createHot = `CREATE TABLE "hot" (
\t"id" bigint PRIMARY KEY NOT NULL,
\t"a" integer DEFAULT 0 NOT NULL,
\t"n" integer DEFAULT 0 NOT NULL,
\t"v" integer NOT NULL
);
`;
const createIndex = 'CREATE INDEX "hot_a_index" ON "hot" USING btree ("a");';

/** Fills the table 0000 created: ids 1..rows, a = n = v. */
export const phasedFillSql = (rows: number): string[] => [
  `INSERT INTO "hot" ("id", "a", "n", "v") SELECT i, i % 100000, i % 100000, i % 100000 FROM generate_series(1, ${rows}) i`,
];

const column = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  type,
  primaryKey: false,
  notNull: true,
  ...extra,
});

/** drizzle-kit 0.31's snapshot after 0000 (version 7), the parts it writes for this table. */
function baseSnapshot() {
  return {
    id: '6f1d0c8e-8d1e-4a59-9d43-2b0d1d9f0001',
    prevId: '00000000-0000-0000-0000-000000000000',
    version: '7',
    dialect: 'postgresql',
    tables: {
      'public.hot': {
        name: 'hot',
        schema: '',
        columns: {
          id: column('id', 'bigint', { primaryKey: true }),
          a: column('a', 'integer', { default: 0 }),
          n: column('n', 'integer', { default: 0 }),
          v: column('v', 'integer'),
        },
        indexes: {
          hot_a_index: {
            name: 'hot_a_index',
            columns: [{ expression: 'a', isExpression: false, asc: true, nulls: 'last' }],
            isUnique: false,
            concurrently: false,
            method: 'btree',
            with: {},
          },
        },
        foreignKeys: {},
        compositePrimaryKeys: {},
        uniqueConstraints: {},
        policies: {},
        checkConstraints: {},
        isRLSEnabled: false,
      },
    },
    enums: {},
    schemas: {},
    sequences: {},
    roles: {},
    policies: {},
    views: {},
    _meta: { columns: {}, schemas: {}, tables: {} },
  };
}

const firstWhen = Date.UTC(2026, 0, 1);
export const phasedBaseTag = '0000_hot';

/** A drizzle-kit folder: 0000 with its snapshot, then the case's migration (none for the template). */
export function writePhasedFolder(dir: string, phasedCase?: PhasedCase): void {
  mkdirSync(join(dir, 'meta'), { recursive: true });
  const migrations: [string, string[]][] = [[phasedBaseTag, [createHot, createIndex]]];
  if (phasedCase) migrations.push([`0001_${phasedCase.name}`, [phasedCase.statement]]);
  const entries = migrations.map(([tag, statements], idx) => {
    writeFileSync(join(dir, `${tag}.sql`), statements.join('--> statement-breakpoint\n'));
    return { idx, version: '7', when: firstWhen + idx * 1000, tag, breakpoints: true };
  });
  writeFileSync(
    join(dir, 'meta', '_journal.json'),
    `${JSON.stringify({ version: '7', dialect: 'postgresql', entries }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, 'meta', '0000_snapshot.json'),
    `${JSON.stringify(baseSnapshot(), null, 2)}\n`,
  );
}
