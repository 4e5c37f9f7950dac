import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workBudget } from '@jam/testing/work-budget';
import { describe, expect, it } from 'vitest';
import { splitStatements, splitStatementsAt } from '../src/drizzle-kit/breakpoints.js';
import { locateStatement } from '../src/migrations/failure.js';
import { sqlStatementSpans } from '../src/migrations/statement-spans.js';
import { codeUnitIndex, joinStatements, positionInScript } from '../src/migrations/statements.js';
import { runCli } from './support/cli.js';
import { enginesUnderTest, useScratchDatabase } from './support/databases.js';
import { bp, writeMigrationsFolder } from './support/folders.js';

const texts = (chunk: string) => sqlStatementSpans(chunk).map((s) => chunk.slice(s.start, s.end));

describe('cutting a chunk into its SQL statements', () => {
  it('cuts at semicolons outside comments, quotes and dollar quotes, from each first token', () => {
    const chunk = [
      '-- leading; comment',
      "INSERT INTO t VALUES ('a;b', E'it\\'s;', \"odd;name\");",
      '/* block /* nested; */ still; */ SELECT $$x;y$$, $fn$ ; $fn$;',
      'DO $$ BEGIN PERFORM 1; END $$',
    ].join('\n');
    expect(texts(chunk)).toEqual([
      "INSERT INTO t VALUES ('a;b', E'it\\'s;', \"odd;name\")",
      'SELECT $$x;y$$, $fn$ ; $fn$',
      'DO $$ BEGIN PERFORM 1; END $$',
    ]);
  });

  it('keeps where each chunk between breakpoints starts in the file', () => {
    const script = `-- c\nCREATE TABLE a (id int);${bp}\n\nCREATE TABLE b (id int);\n`;
    const chunks = splitStatementsAt(script);
    expect(chunks.map((c) => c.text)).toEqual(splitStatements(script));
    for (const chunk of chunks) expect(script.slice(chunk.start).startsWith(chunk.text)).toBe(true);
  });

  it('maps a position PostgreSQL counts in characters to the statement and offset', () => {
    const joined = joinStatements(['SELECT 1 -- 🎉', 'SELECT nope']);
    // The emoji is one character for PostgreSQL and two UTF-16 units for JavaScript.
    const characters = [...joined.text].indexOf('n') + 1;
    expect(positionInScript(joined, characters)).toEqual({ index: 1, offset: 7 });
    expect(codeUnitIndex('ab', 5)).toBeNull();
    expect(positionInScript(joined, Number.NaN)).toBeNull();
  });
});

describe('the place a failure is reported at', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jam-locate-'));
  const path = join(dir, '0000_x.sql');
  const script = [
    '-- Two comment lines',
    '-- before the first statement.',
    'CREATE TABLE a (id int);',
    '--> statement-breakpoint',
    '-- three statements in one chunk:',
    'CREATE INDEX a_id ON a (id);',
    'INSERT INTO a VALUES (1);',
    'ALTER TABLE a',
    '  ADD COLUMN b nosuchtype;',
  ].join('\n');
  writeFileSync(path, script);
  const statements = splitStatements(script);
  const failure = (position: number, offsets: { error?: number; replayed?: number } = {}) => ({
    path,
    statement: statements[position]!,
    position,
    errorOffset: offsets.error ?? null,
    replayedOffset: offsets.replayed ?? null,
  });

  it('is the line of the statement, past the comments before it', () => {
    expect(locateStatement(failure(0))).toMatch(/^statement 1 \(line 3 of \S+\): CREATE TABLE a/);
  });

  it('is the SQL statement holding the error position, with the error line and column', () => {
    const chunk = statements[1]!;
    expect(locateStatement(failure(1, { error: chunk.indexOf('nosuchtype') }))).toMatch(
      /^statement 2 \(line 8 of \S+\): ALTER TABLE a \(error at line 9, column 16\)$/,
    );
  });

  it('is the SQL statement a replay found failing when the database gave no position', () => {
    const chunk = statements[1]!;
    expect(locateStatement(failure(1, { replayed: chunk.indexOf('INSERT') }))).toMatch(
      /^statement 2 \(line 7 of \S+\): INSERT INTO a VALUES \(1\);$/,
    );
  });
});

describe.each(enginesUnderTest.filter((e) => e !== 'neon'))(
  'a failing migration on %s names the line of the statement that failed',
  (engine) => {
    const db = useScratchDatabase(engine);

    it(
      'behind comments, inside a chunk of several statements, with and without an error position',
      async () => {
        const folder = writeMigrationsFolder([
          {
            tag: '0000_widgets',
            sql: `-- Widgets.\n-- Written by hand.\nCREATE TABLE widgets (id int);${bp}-- Three statements, no breakpoints:\nCREATE INDEX widgets_id ON widgets (id);\nINSERT INTO widgets VALUES (1);\nALTER TABLE widgets\n  ADD COLUMN size nosuchtype;\n`,
          },
        ]);
        const positioned = await runCli(['migrate', '--migrations', folder], db.env);
        expect(positioned.code).toBe(1);
        expect(positioned.stderr).toMatch(
          /^jam-db: Migration 0000_widgets failed at statement 2 \(line 8 of \S*0000_widgets\.sql\): ALTER TABLE widgets \(error at line 9, column 19\)\nThe database said: type "nosuchtype" does not exist \(SQLSTATE 42704\)\n/,
        );

        const runtime = writeMigrationsFolder([
          {
            tag: '0000_widgets',
            sql: `-- Widgets.\nCREATE TABLE widgets (id int);${bp}-- Two statements:\nINSERT INTO widgets VALUES (1);\nUPDATE widgets SET id = id / 0;\n`,
          },
        ]);
        const unpositioned = await runCli(['migrate', '--migrations', runtime], db.env);
        expect(unpositioned.code).toBe(1);
        expect(unpositioned.stderr).toMatch(
          /^jam-db: Migration 0000_widgets failed at statement 2 \(line 6 of \S*0000_widgets\.sql\): UPDATE widgets SET id = id \/ 0;\nThe database said: division by zero \(SQLSTATE 22012\)\n/,
        );
      },
      workBudget({ cliRuns: 2 }),
    );
  },
);
