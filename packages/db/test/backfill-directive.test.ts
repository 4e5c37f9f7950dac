import { describe, expect, it } from 'vitest';
import type { Migration } from '../src/drizzle-kit/migration-folder.js';
import { JamDbError } from '../src/errors.js';
import { lintFolder } from '../src/lint/lint-folder.js';
import {
  BackfillDirectiveError,
  defaultBackfillSettings,
  parseBackfillDirective,
} from '../src/migrations/backfill-directive.js';
import { readBackfills } from '../src/migrations/backfill-plan.js';
import {
  backfillTargetOf,
  batchedUpdate,
  keyRange,
  nextBatchQuery,
  ownWhereEnd,
} from '../src/migrations/backfill-sql.js';
import { planMigration } from '../src/migrations/segments.js';
import { parseStatements, scanTokens } from '../src/sql/parse.js';
import { readFileStatements } from '../src/sql/transaction-control.js';
import { bp } from './support/folders.js';

const migrationOf = (sql: string): Migration => ({
  idx: 0,
  tag: '0000_x',
  when: 0,
  hash: 'h',
  path: '/nowhere/0000_x.sql',
  sql,
  statements: sql.split(bp),
});

const problemOf = (text: string): string => {
  try {
    parseBackfillDirective(text, 7);
  } catch (error) {
    if (error instanceof BackfillDirectiveError) return error.message;
  }
  throw new Error(`"${text}" was accepted`);
};

describe('reading a backfill directive', () => {
  it('takes batch and pause, with defaults for what it leaves out', () => {
    expect(parseBackfillDirective('-- jam-db:backfill', 1)).toEqual({
      ...defaultBackfillSettings,
      line: 1,
    });
    expect(parseBackfillDirective('  --jam-db:backfill batch=5000 pause=20ms', 3)).toEqual({
      batch: 5000,
      pauseMs: 20,
      line: 3,
    });
    expect(parseBackfillDirective('-- jam-db:backfill pause=1.5s', 1).pauseMs).toBe(1500);
    expect(parseBackfillDirective('-- jam-db:backfill pause=0', 1).pauseMs).toBe(0);
  });

  it('names the line and the bad setting', () => {
    expect(problemOf('-- jam-db:backfill batch=0')).toBe(
      'line 7: batch=0 is not a batch size: give a whole number of rows from 1 to 1,000,000',
    );
    expect(problemOf('-- jam-db:backfill batch=1e3')).toContain('batch=1e3 is not a batch size');
    expect(problemOf('-- jam-db:backfill pause=abc')).toBe(
      'line 7: pause=abc is not a pause: give milliseconds or seconds with their unit, e.g. pause=20ms or pause=1s (at most 1 hour), or pause=0',
    );
    expect(problemOf('-- jam-db:backfill pause=20')).toContain('pause=20 is not a pause');
    expect(problemOf('-- jam-db:backfill size=10')).toBe(
      'line 7: unknown setting "size": a backfill takes batch=<rows> and pause=<duration>',
    );
    expect(problemOf('-- jam-db:backfill batch')).toBe(
      'line 7: "batch" is not a setting: write key=value, e.g. batch=5000 pause=20ms',
    );
    expect(problemOf('-- jam-db:backfill batch=1 batch=2')).toBe('line 7: "batch" is set twice');
  });
});

describe('building the SQL of a batch', () => {
  const whereEndOf = async (text: string) => ownWhereEnd((await scanTokens(text))!);

  it('adds the key range after the UPDATE’s own condition, in parentheses that an OR or a comment cannot escape', async () => {
    const text = `UPDATE "hot" SET "token" = gen_random_uuid() WHERE "token" IS NULL OR "token" = '' -- empty too`;
    const range = keyRange('"hot"."id"', '100', '200');
    expect(range).toBe(`"hot"."id" > '100' AND "hot"."id" <= '200'`);
    expect(batchedUpdate(text, await whereEndOf(text), range)).toBe(
      `UPDATE "hot" SET "token" = gen_random_uuid() WHERE (\n"token" IS NULL OR "token" = '' -- empty too\n) AND ${range}`,
    );
    expect(
      (await parseStatements(batchedUpdate(text, await whereEndOf(text), range)))!,
    ).toHaveLength(1);
  });

  it('finds the UPDATE’s own WHERE, not one inside a subquery or a CTE', async () => {
    const text = `WITH src AS (SELECT id FROM a WHERE x) UPDATE t SET v = (SELECT max(v) FROM u WHERE u.t = t.id) FROM src WHERE src.id = t.id`;
    const end = await whereEndOf(text);
    expect(text.slice(0, end!)).toMatch(/FROM src WHERE$/);
    expect(await whereEndOf('UPDATE t SET v = (SELECT 1 FROM u WHERE u.x = 1)')).toBeNull();
  });

  it('adds a WHERE when the UPDATE has none, and starts the first batch without a lower bound', async () => {
    expect(batchedUpdate('UPDATE t SET n = n + 1', null, keyRange('"t"."id"', null, "it's"))).toBe(
      `UPDATE t SET n = n + 1\nWHERE "t"."id" <= 'it''s'`,
    );
  });

  it('finds the next upper key in key order, after the last committed key', () => {
    expect(nextBatchQuery('"app"."hot"', 'id', '42', 500)).toBe(
      `select s.k::text as upper, count(*) over ()::bigint as rows
  from (select "id" as k from "app"."hot" where "id" > '42' order by "id" limit 500) s
 order by s.k desc limit 1`,
    );
    expect(nextBatchQuery('"hot"', 'id', null, 5)).not.toContain('where');
  });

  it('stops at the highest key the table had when the backfill started', () => {
    expect(nextBatchQuery('"hot"', 'id', '42', 500, '1000')).toContain(
      `where "id" > '42' and "id" <= '1000' order by "id"`,
    );
    expect(nextBatchQuery('"hot"', 'id', null, 5, '7')).toContain(`where "id" <= '7' order`);
  });

  it('names the table and the qualifier of the key (the alias when there is one)', async () => {
    const [update] = (await parseStatements('UPDATE app.hot AS h SET n = 1, "Note" = null'))!;
    expect(backfillTargetOf(update!.node)).toEqual({
      table: '"app"."hot"',
      qualifier: '"h"',
      setColumns: ['n', 'Note'],
    });
  });

  it('refuses what cannot run in batches', async () => {
    const problem = async (sql: string) => {
      const [statement] = (await parseStatements(sql))!;
      return (backfillTargetOf(statement!.node) as { problem: string }).problem;
    };
    expect(await problem('DELETE FROM hot WHERE n = 0')).toBe(
      'a backfill directive applies to the next statement, which must be an UPDATE of one table; this one is a Delete statement',
    );
    expect(await problem('UPDATE hot SET n = 1 RETURNING id')).toContain('cannot have RETURNING');
    expect(await problem('UPDATE hot SET n = 1 WHERE CURRENT OF c')).toContain('WHERE CURRENT OF');
  });
});

describe('a migration with a backfill', () => {
  const segmentsOf = async (sql: string) => {
    const { mode, segmented } = await planMigration(migrationOf(sql));
    return {
      mode,
      segments: segmented?.segments.map((s) => ({
        backfill: s.backfill === true,
        statements: s.statements.map((i) => segmented.statements[i]),
      })),
    };
  };

  it('runs the statements before it, the backfill and the statements after it as segments', async () => {
    const sql = `ALTER TABLE hot ADD token uuid;${bp}CREATE INDEX i ON hot (n);${bp}-- jam-db:backfill batch=5000 pause=20ms\nUPDATE hot SET token = gen_random_uuid() WHERE token IS NULL;${bp}ALTER TABLE hot ALTER token SET DEFAULT gen_random_uuid();`;
    expect(await segmentsOf(sql)).toEqual({
      mode: { kind: 'segments', reason: 'it holds a batched backfill' },
      segments: [
        {
          backfill: false,
          statements: ['ALTER TABLE hot ADD token uuid', 'CREATE INDEX i ON hot (n)'],
        },
        {
          backfill: true,
          statements: ['UPDATE hot SET token = gen_random_uuid() WHERE token IS NULL'],
        },
        {
          backfill: false,
          statements: ['ALTER TABLE hot ALTER token SET DEFAULT gen_random_uuid()'],
        },
      ],
    });
  });

  it('finds the directive in a hand-written file without breakpoints, by the line it is on', async () => {
    const sql =
      '-- jam-db:no-transaction\nUPDATE a SET x = 1;\n\n-- jam-db:backfill batch=10\nUPDATE hot SET n = n + 1;\nUPDATE b SET y = 2;\n';
    const migration = migrationOf(sql);
    const plans = await readBackfills(migration, await readFileStatements(migration.statements));
    expect([...plans.entries()].map(([i, p]) => [i, p.directive.line, p.text])).toEqual([
      [1, 4, 'UPDATE hot SET n = n + 1'],
    ]);
    expect((await segmentsOf(sql)).segments!.map((s) => s.backfill)).toEqual([false, true, false]);
  });

  const refusal = async (sql: string): Promise<string> => {
    try {
      await planMigration(migrationOf(sql));
    } catch (error) {
      if (error instanceof JamDbError) return error.message;
      throw error;
    }
    throw new Error('the migration was planned');
  };

  it('refuses a directive it cannot follow, naming the file and the line, before anything runs', async () => {
    expect(
      await refusal(
        `CREATE TABLE a (id int);${bp}-- jam-db:backfill batch=0\nUPDATE a SET id = 1;`,
      ),
    ).toBe(
      'Migration 0000_x has a backfill the runner cannot follow (line 3 of /nowhere/0000_x.sql): batch=0 is not a batch size: give a whole number of rows from 1 to 1,000,000. Nothing was run.',
    );
    expect(await refusal('-- jam-db:backfill\nDELETE FROM a;')).toContain(
      '(line 1 of /nowhere/0000_x.sql): a backfill directive applies to the next statement, which must be an UPDATE of one table; this one is a Delete statement',
    );
    expect(await refusal('UPDATE a SET id = 1;\n-- jam-db:backfill\n')).toContain(
      '(line 2 of /nowhere/0000_x.sql): no statement follows this backfill directive',
    );
    expect(
      await refusal('-- jam-db:backfill\n-- jam-db:backfill batch=5\nUPDATE a SET id = 1;'),
    ).toContain(
      '(line 2 of /nowhere/0000_x.sql): a second backfill directive above the same statement (the first is on line 1)',
    );
    expect(await refusal('UPDATE a SET id = 1\n-- jam-db:backfill\n WHERE id = 2;')).toContain(
      '(line 2 of /nowhere/0000_x.sql): this backfill directive stands inside a statement',
    );
    expect(await refusal('BEGIN;\n-- jam-db:backfill\nUPDATE a SET id = 1;\nCOMMIT;')).toContain(
      "(line 2 of /nowhere/0000_x.sql): a backfill commits each batch, so it cannot stand between the file's own BEGIN and COMMIT",
    );
    expect(await refusal('-- jam-db:backfill\nUPDATE a SET id = = 1;')).toContain(
      "(line 1 of /nowhere/0000_x.sql): PostgreSQL's parser rejects this file",
    );
  });

  it('is reported by lint with the line', async () => {
    const [lint] = await lintFolder({
      dir: '/nowhere',
      layout: 'journal',
      migrations: [
        migrationOf('CREATE TABLE a (id int);\n-- jam-db:backfill pause=abc\nUPDATE a SET id = 1;'),
      ],
    } as never);
    expect(lint!.findings).toEqual([
      expect.objectContaining({
        rule: 'backfill-directive',
        severity: 'error',
        location: 'line 2 of /nowhere/0000_x.sql',
        explanation: expect.stringContaining('pause=abc is not a pause'),
      }),
    ]);
  });
});
