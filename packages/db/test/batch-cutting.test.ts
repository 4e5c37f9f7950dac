import { describe, expect, it } from 'vitest';
import type { Migration } from '../src/drizzle-kit/migration-folder.js';
import { toBatches } from '../src/migrations/batches.js';
import { readPlanRelations } from '../src/migrations/relation-uses.js';
import { planMigration } from '../src/migrations/segments.js';
import { readRelationUses, relationUseOf } from '../src/sql/relations.js';
import { readFileStatements } from '../src/sql/transaction-control.js';
import { bp } from './support/folders.js';

const migrationOf = (tag: string, sql: string): Migration => ({
  idx: 0,
  tag,
  when: 0,
  hash: tag,
  path: `/nowhere/${tag}.sql`,
  sql,
  statements: sql.split(bp),
});

/**
 * The run's migrations as batches of tags, as the runner would cut them, on a
 * database where `existing` (default: hot and its index) exist before the run.
 */
async function batchesOf(
  files: [string, string][],
  existing = ['public.hot', 'public.hot_pkey'],
): Promise<string[][]> {
  const plan = files.map(([tag, sql]) => migrationOf(tag, sql));
  const plans = new Map(
    await Promise.all(plan.map(async (m) => [m, await planMigration(m)] as const)),
  );
  const planOf = (m: Migration) => plans.get(m)!;
  const uses = await readPlanRelations(plan, planOf);
  const relations = { uses, existing: new Set(existing), nothingExisted: false };
  return toBatches(plan, planOf, false, relations).map((b) => b.migrations.map((m) => m.tag));
}

async function useOf(sql: string) {
  const [statement] = (await readFileStatements([sql]))!;
  return relationUseOf(statement!.node);
}

describe('reading the relations a statement creates and touches', () => {
  it.each([
    ['CREATE TABLE "a" ("id" serial PRIMARY KEY)', ['public.a'], []],
    ['CREATE TABLE s.b (a_id int REFERENCES a (id))', ['s.b'], ['public.a']],
    ['CREATE TABLE IF NOT EXISTS b (id int)', [], ['public.b']],
    ['CREATE INDEX "i" ON "s"."t" ("x")', ['s.i'], ['s.t']],
    ['ALTER TABLE "t" ADD COLUMN "x" int', [], ['public.t']],
    [
      'ALTER TABLE "a" ADD CONSTRAINT "f" FOREIGN KEY ("b_id") REFERENCES "b"("id")',
      [],
      ['public.a', 'public.b'],
    ],
    ['DROP INDEX "s"."i", j', [], ['s.i', 'public.j']],
    ['DROP TRIGGER tr ON t', [], ['public.t']],
    ['COMMENT ON COLUMN t.c IS $$x$$', [], ['public.t']],
    ['CREATE VIEW v AS WITH w AS (SELECT 1) SELECT * FROM t, w', ['public.v'], ['public.t']],
    ['CREATE OR REPLACE VIEW v AS SELECT 1', [], ['public.v']],
    ['INSERT INTO t SELECT * FROM u', [], ['public.t', 'public.u']],
    ["CREATE TYPE mood AS ENUM ('a')", [], []],
    ["ALTER TYPE mood ADD VALUE 'b'", [], []],
    ['CREATE SCHEMA s', [], []],
  ])('%s', async (sql, creates, touches) => {
    const use = await useOf(sql);
    expect(use).toEqual({ creates, touches: expect.arrayContaining(touches), inDoubt: false });
    expect(use.touches).toHaveLength(touches.length);
  });

  it.each([
    'DO $$ BEGIN PERFORM 1; END $$',
    'DROP TYPE mood CASCADE',
    'SET search_path TO other',
    'GRANT SELECT ON ALL TABLES IN SCHEMA public TO someone',
  ])('is in doubt about %s', async (sql) => {
    expect((await useOf(sql)).inDoubt).toBe(true);
  });
});

describe('cutting a run into transactions', () => {
  it('keeps migrations that touch only relations the run creates in one transaction', async () => {
    expect(
      await batchesOf([
        ['0000_a', 'CREATE TABLE a (id int PRIMARY KEY)'],
        [
          '0001_b',
          `CREATE TABLE IF NOT EXISTS b (id int, a_id int)${bp}DO $$ BEGIN\n ALTER TABLE b ADD CONSTRAINT f FOREIGN KEY (a_id) REFERENCES a (id);\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;`,
        ],
        ['0002_index', 'CREATE INDEX b_a ON b (a_id)'],
        ['0003_enum', "CREATE TYPE mood AS ENUM ('x')"],
        ['0004_value', "ALTER TYPE mood ADD VALUE 'y'"],
      ]),
    ).toEqual([['0000_a', '0001_b', '0002_index', '0003_enum', '0004_value']]);
  });

  it('gives a migration that touches a relation that existed before the run a transaction of its own', async () => {
    expect(
      await batchesOf([
        ['0000_hot', 'ALTER TABLE hot ADD COLUMN x int'],
        ['0001_a', 'CREATE TABLE a (id int)'],
        ['0002_b', 'CREATE TABLE b (id int)'],
        ['0003_fk', 'CREATE TABLE c (hot_id int REFERENCES hot (id))'],
        ['0004_d', 'CREATE TABLE d (id int)'],
        ['0005_a', 'ALTER TABLE a ADD COLUMN y int'],
        ['0006_drop', 'DROP INDEX hot_pkey'],
        ['0007_if_not_exists', 'CREATE TABLE IF NOT EXISTS hot (id int)'],
      ]),
    ).toEqual([
      ['0000_hot'],
      ['0001_a', '0002_b'],
      ['0003_fk'],
      ['0004_d', '0005_a'],
      ['0006_drop'],
      ['0007_if_not_exists'],
    ]);
  });

  it('cuts around what it cannot read, and around migrations run in segments', async () => {
    expect(
      await batchesOf([
        ['0000_a', 'CREATE TABLE a (id int)'],
        ['0001_do', 'DO $$ BEGIN IF true THEN PERFORM 1; END IF; END $$'],
        ['0002_b', 'CREATE TABLE b (id int)'],
        ['0003_garbled', 'CREATE TABLE c (id int'],
        ['0004_d', 'CREATE TABLE d (id int)'],
        ['0005_concurrently', 'CREATE INDEX CONCURRENTLY d_id ON d (id)'],
        ['0006_e', 'CREATE TABLE e (id int)'],
        ['0007_d', 'ALTER TABLE d ADD COLUMN x int'],
      ]),
    ).toEqual([
      ['0000_a'],
      ['0001_do'],
      ['0002_b'],
      ['0003_garbled'],
      ['0004_d'],
      ['0005_concurrently'],
      ['0006_e', '0007_d'],
    ]);
  });

  it('reads the statements of a DO block as drizzle-kit writes it, and nothing else', async () => {
    const [use] = await readRelationUses(
      (await readFileStatements([
        `DO $$ BEGIN\n ALTER TABLE "s"."t" ADD CONSTRAINT "f" FOREIGN KEY ("u_id") REFERENCES "s"."u"("id");\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;`,
      ]))![0]!.node,
    );
    expect(use).toEqual({ creates: [], touches: ['s.t', 's.u'], inDoubt: false });
    const [other] = await readRelationUses(
      (await readFileStatements([`DO LANGUAGE plperl $$ 1 $$`]))![0]!.node,
    );
    expect(other?.inDoubt).toBe(true);
  });
});
