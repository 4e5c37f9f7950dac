import { type AstNode, list } from '../sql/ast.js';
import { cutIdentifier, quoteIdent as quote } from '../sql/names.js';
import type { SqlToken } from '../sql/parse.js';

/**
 * The online-safe form of one statement, written as edits of its own text so
 * that a reviewer still reads drizzle-kit's statement: `edited` replaces it
 * (often the same text with a word inserted or appended), `before` and `after`
 * are new statements that run on their own around it.
 */
export interface SafeForm {
  before: string[];
  edited: string;
  after: string[];
  /** What changed, for a person: "CREATE INDEX → CONCURRENTLY". */
  change: string;
}

/** The statement's text (first token to last, no `;`) and its tokens, comments left out. */
export interface StatementText {
  text: string;
  tokens: SqlToken[];
}

/** Why a statement that lint flags keeps its plain form. */
export type NoSafeForm = { reason: string };

const isWord = (token: SqlToken | undefined, word: string): boolean =>
  token?.text.toUpperCase() === word;

const insertAfter = (statement: StatementText, token: SqlToken, words: string): string =>
  `${statement.text.slice(0, token.end)} ${words}${statement.text.slice(token.end)}`;

/** `CREATE [UNIQUE] INDEX …` → `CREATE [UNIQUE] INDEX CONCURRENTLY …`. */
export function concurrentIndexBuild(statement: StatementText): SafeForm | NoSafeForm {
  const index = statement.tokens.find((t) => isWord(t, 'INDEX'));
  if (!index) return { reason: 'its INDEX keyword was not found' };
  return {
    before: [],
    edited: insertAfter(statement, index, 'CONCURRENTLY'),
    after: [],
    change: 'CREATE INDEX → CONCURRENTLY',
  };
}

/** `DROP INDEX [IF EXISTS] a, b` → one `DROP INDEX CONCURRENTLY [IF EXISTS] …` per index. */
export function concurrentIndexDrop(
  statement: StatementText,
  body: AstNode,
): SafeForm | NoSafeForm {
  if (body.behavior === 'DROP_CASCADE')
    return { reason: 'DROP INDEX CONCURRENTLY cannot CASCADE: drop what depends on it first' };
  const { tokens } = statement;
  const at = tokens.findIndex((t) => isWord(t, 'INDEX'));
  if (at < 0) return { reason: 'its INDEX keyword was not found' };
  if (list(body.objects).length === 1)
    return {
      before: [],
      edited: insertAfter(statement, tokens[at]!, 'CONCURRENTLY'),
      after: [],
      change: 'DROP INDEX → CONCURRENTLY',
    };
  let next = at + 1;
  const ifExists = isWord(tokens[next], 'IF') && isWord(tokens[next + 1], 'EXISTS');
  if (ifExists) next += 2;
  const rest = tokens.slice(next);
  if (isWord(rest.at(-1), 'RESTRICT')) rest.pop();
  const names: string[] = [];
  let group: SqlToken[] = [];
  for (const token of [...rest, { text: ',', start: -1, end: -1, comment: false }]) {
    if (token.text !== ',') {
      group.push(token);
      continue;
    }
    names.push(statement.text.slice(group[0]!.start, group.at(-1)!.end));
    group = [];
  }
  const drop = (name: string) =>
    `${statement.text.slice(0, tokens[at]!.end)} CONCURRENTLY ${ifExists ? 'IF EXISTS ' : ''}${name}`;
  return {
    before: [],
    edited: drop(names[0]!),
    after: names.slice(1).map(drop),
    change: `DROP INDEX → CONCURRENTLY, one statement per index (${names.length})`,
  };
}

/** `ALTER TABLE [IF EXISTS] [ONLY] <table>`: where the table's name ends, to start new statements on the same table. */
export function alterTablePrefix(statement: StatementText): string | null {
  const { tokens } = statement;
  let at = tokens.findIndex((t) => isWord(t, 'TABLE')) + 1;
  if (at === 0) return null;
  if (isWord(tokens[at], 'IF') && isWord(tokens[at + 1], 'EXISTS')) at += 2;
  if (isWord(tokens[at], 'ONLY')) at += 1;
  while (tokens[at + 1]?.text === '.') at += 2;
  const last = tokens[at];
  return last ? statement.text.slice(0, last.end) : null;
}

/** The table as the statement names it (`"s"."t"`), without IF EXISTS or ONLY. */
function tableReference(statement: StatementText, prefix: string): string {
  const { tokens } = statement;
  const end = tokens.findIndex((t) => t.end === prefix.length);
  let start = end;
  while (tokens[start - 1]?.text === '.') start -= 2;
  return statement.text.slice(tokens[start]!.start, tokens[end]!.end);
}

/** `ADD CONSTRAINT "c" FOREIGN KEY … / CHECK (…)` → `… NOT VALID`, then `VALIDATE CONSTRAINT "c"`. */
export function validatedLater(
  statement: StatementText,
  constraint: AstNode,
): SafeForm | NoSafeForm {
  const name = constraint.conname;
  if (typeof name !== 'string')
    return { reason: 'the constraint has no name, so no later statement can validate it: name it' };
  const prefix = alterTablePrefix(statement);
  if (prefix === null) return { reason: 'its table name was not found' };
  const what = constraint.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK';
  return {
    before: [],
    edited: `${statement.text} NOT VALID`,
    after: [`${prefix} VALIDATE CONSTRAINT ${quote(name)}`],
    change: `${what} → NOT VALID + VALIDATE`,
  };
}

/**
 * `ALTER COLUMN "c" SET NOT NULL` → a `CHECK ("c" IS NOT NULL) NOT VALID`,
 * validated (a scan under a lock that lets writes through), then SET NOT NULL,
 * which PostgreSQL 12+ proves from the check without scanning, then the check
 * dropped again.
 */
export function notNullThroughCheck(
  statement: StatementText,
  table: string,
  column: string,
): SafeForm | NoSafeForm {
  const prefix = alterTablePrefix(statement);
  if (prefix === null) return { reason: 'its table name was not found' };
  // Not `<table>_<column>_not_null`: PostgreSQL 18 (PGlite) gives the NOT NULL
  // constraint that name, and would pick `…_not_null1` while the check holds it.
  const check = quote(cutIdentifier(`${table}_${column}_not_null_check`));
  return {
    before: [
      `${prefix} ADD CONSTRAINT ${check} CHECK (${quote(column)} IS NOT NULL) NOT VALID`,
      `${prefix} VALIDATE CONSTRAINT ${check}`,
    ],
    edited: statement.text,
    after: [`${prefix} DROP CONSTRAINT ${check}`],
    change: 'SET NOT NULL → CHECK NOT VALID + VALIDATE + SET NOT NULL + DROP CHECK',
  };
}

/** Options of a UNIQUE / PRIMARY KEY constraint that `USING INDEX` cannot carry over as written. */
const indexOptions = ['including', 'options', 'indexspace', 'deferrable', 'initdeferred'];

/**
 * `ADD CONSTRAINT "u" UNIQUE ("a")` → `CREATE UNIQUE INDEX CONCURRENTLY "u" ON
 * <table> ("a")`, then `ADD CONSTRAINT "u" UNIQUE USING INDEX "u"` (PRIMARY KEY
 * likewise): the index is built without blocking writes, and the constraint
 * only adopts it. An unnamed PRIMARY KEY gets the name PostgreSQL would give
 * it, `<table>_pkey` (a table has one primary key, so the name is free).
 */
export function uniqueThroughIndex(
  statement: StatementText,
  constraint: AstNode,
  table: string,
): SafeForm | NoSafeForm {
  const primary = constraint.contype === 'CONSTR_PRIMARY';
  const pkey = `${table}_pkey`;
  const name = constraint.conname ?? (primary && Buffer.byteLength(pkey) <= 63 ? pkey : undefined);
  if (typeof name !== 'string')
    return { reason: 'the constraint has no name, so its index cannot be built first: name it' };
  const extra = indexOptions.filter((option) => constraint[option] !== undefined);
  if (extra.length > 0)
    return {
      reason: `the constraint has options (${extra.join(', ')}) kept only in its plain form`,
    };
  const prefix = alterTablePrefix(statement);
  if (prefix === null) return { reason: 'its table name was not found' };
  const { tokens, text } = statement;
  const keyword = tokens.findIndex((t) => isWord(t, primary ? 'PRIMARY' : 'UNIQUE'));
  const open = tokens.findIndex((t, i) => i > keyword && t.text === '(');
  const close = tokens.findLastIndex((t) => t.text === ')');
  if (keyword < 0 || open < 0 || close < open) return { reason: 'its column list was not found' };
  const columns = text.slice(tokens[open]!.start, tokens[close]!.end);
  const what = primary ? 'PRIMARY KEY' : 'UNIQUE';
  const nulls = constraint.nulls_not_distinct === true ? ' NULLS NOT DISTINCT' : '';
  return {
    before: [
      `CREATE UNIQUE INDEX CONCURRENTLY ${quote(name)} ON ${tableReference(statement, prefix)} ${columns}${nulls}`,
    ],
    edited: `${text.slice(0, tokens[keyword]!.start)}${what} USING INDEX ${quote(name)}`,
    after: [],
    change: `${what} → UNIQUE INDEX CONCURRENTLY + ${what} USING INDEX`,
  };
}
