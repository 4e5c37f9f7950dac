import { describe, expect, it } from 'vitest';
import {
  mayHoldTransactionControl,
  readFileStatements,
  transactionContexts,
} from '../src/sql/transaction-control.js';

const controlsOf = async (...chunks: string[]) =>
  (await readFileStatements(chunks))?.map(
    (s) => s.control && `${s.control.kind}${s.control.chain ? '+chain' : ''}`,
  );

describe('transaction control read with the parser', () => {
  it('knows every spelling of begin, commit and rollback', async () => {
    expect(
      await controlsOf(
        'BEGIN; START TRANSACTION ISOLATION LEVEL SERIALIZABLE; COMMIT; END; commit work',
        'ROLLBACK; ABORT; COMMIT AND CHAIN; ROLLBACK AND CHAIN',
        "SAVEPOINT a; RELEASE SAVEPOINT a; ROLLBACK TO SAVEPOINT a; PREPARE TRANSACTION 'x'; COMMIT PREPARED 'x'",
      ),
    ).toEqual([
      'begin',
      'begin',
      'commit',
      'commit',
      'commit',
      'rollback',
      'rollback',
      'commit+chain',
      'rollback+chain',
      'savepoint',
      'release',
      'rollback-to-savepoint',
      'two-phase',
      'two-phase',
    ]);
  });

  it('cuts a chunk that holds COMMIT and other SQL into its statements, with their chunk', async () => {
    const statements = await readFileStatements([
      `ALTER TYPE "status" ADD VALUE 'new'`,
      `COMMIT;\nALTER TABLE "t" ADD COLUMN "s" "status" DEFAULT 'new' NOT NULL;`,
    ]);
    expect(statements?.map((s) => [s.chunk, s.text, s.control?.kind ?? null])).toEqual([
      [0, `ALTER TYPE "status" ADD VALUE 'new'`, null],
      [1, 'COMMIT', 'commit'],
      [1, `ALTER TABLE "t" ADD COLUMN "s" "status" DEFAULT 'new' NOT NULL`, null],
    ]);
  });

  it('does not read the BEGIN and END of DO blocks and functions as transaction control', async () => {
    const doBlock = `DO $$ BEGIN\n CREATE TYPE "a" AS ENUM('x');\nEXCEPTION WHEN duplicate_object THEN null;\nEND $$;`;
    const fn = `CREATE FUNCTION f() RETURNS trigger AS $body$\nBEGIN\n  RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql;`;
    const caseEnd = `SELECT CASE WHEN true THEN 1 END;`;
    expect(await controlsOf(doBlock, fn, caseEnd)).toEqual([null, null, null]);
    expect(mayHoldTransactionControl([doBlock, fn, caseEnd].join('\n'))).toBe(false);
  });

  it('the cheap text test finds every control statement the parser finds', () => {
    expect(
      mayHoldTransactionControl(
        'CREATE TABLE a (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON a (id);',
      ),
    ).toBe(true);
    expect(mayHoldTransactionControl('-- a comment\nbegin;')).toBe(true);
    expect(
      mayHoldTransactionControl('CREATE TABLE a (id int);\n--> statement-breakpoint\n  End'),
    ).toBe(true);
    expect(mayHoldTransactionControl("INSERT INTO t VALUES ('x; commit');")).toBe(false);
    expect(mayHoldTransactionControl("INSERT INTO t VALUES (E'it\\'s; commit');")).toBe(false);
    expect(mayHoldTransactionControl('-- we commit here; begin later\nSELECT 1;')).toBe(false);
    expect(mayHoldTransactionControl('CREATE TABLE "commit" (id int);')).toBe(false);
  });

  it('returns null when a chunk is not SQL PostgreSQL accepts', async () => {
    expect(await readFileStatements(['CREATE TABLE (', 'COMMIT'])).toBeNull();
  });
});

describe('transaction contexts of a file', () => {
  it('says which statements follow the file’s own COMMIT and which lie inside its BEGIN block', async () => {
    const statements = await readFileStatements([
      'CREATE TABLE a (id int); COMMIT; CREATE INDEX CONCURRENTLY i ON a (id); BEGIN; CREATE TABLE b (id int); COMMIT AND CHAIN; CREATE TABLE c (id int); COMMIT; SELECT 1',
    ]);
    const contexts = transactionContexts(statements!.map((s) => s.control));
    expect(
      contexts.map(
        (c) => `${c.afterInFileCommit ? 'after' : 'before'}/${c.insideInFileBlock ? 'in' : 'out'}`,
      ),
    ).toEqual([
      'before/out', // CREATE TABLE a
      'before/out', // COMMIT
      'after/out', // CONCURRENTLY
      'after/out', // BEGIN
      'after/in', // CREATE TABLE b
      'after/in', // COMMIT AND CHAIN
      'after/in', // CREATE TABLE c
      'after/in', // COMMIT
      'after/out', // SELECT 1
    ]);
  });
});
