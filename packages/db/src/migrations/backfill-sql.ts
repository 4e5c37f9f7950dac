import { kindOf, list, nodeOf } from '../sql/ast.js';
import { quoteIdent, quoteLiteral } from '../sql/names.js';
import type { SqlToken } from '../sql/parse.js';

export { quoteIdent, quoteLiteral };

/**
 * The SQL a batched backfill runs, built from the file's UPDATE without
 * rewriting it: the UPDATE keeps its own text and gets a key range added to its
 * WHERE, so what runs is what was reviewed. Pure functions, no database.
 */

/** The table an UPDATE changes, as the backfill names it. */
export interface BackfillTarget {
  /** The table as SQL ("hot" or "app"."hot"), resolved through search_path like the UPDATE. */
  table: string;
  /** What qualifies the key column inside the UPDATE: its alias, else the table's name. */
  qualifier: string;
  /** The columns its SET assigns. */
  setColumns: string[];
}

/**
 * The table of the UPDATE a backfill directive stands above, or the reason it
 * cannot be batched.
 */
export function backfillTargetOf(node: unknown): BackfillTarget | { problem: string } {
  const update = nodeOf(node, 'UpdateStmt');
  if (!update) {
    const kind = kindOf(node).replace(/Stmt$/, '') || 'unreadable';
    return {
      problem: `a backfill directive applies to the next statement, which must be an UPDATE of one table; this one is a ${kind} statement`,
    };
  }
  // libpg-query 18 keeps RETURNING in returningClause; older trees had returningList.
  if (
    update.returningClause ||
    (Array.isArray(update.returningList) && update.returningList.length > 0)
  ) {
    return {
      problem:
        'a batched UPDATE cannot have RETURNING: it runs once per batch and nothing reads what it returns',
    };
  }
  if (nodeOf(update.whereClause, 'CurrentOfExpr')) {
    return { problem: 'an UPDATE … WHERE CURRENT OF follows a cursor and cannot run in batches' };
  }
  const relation = update.relation as
    | { schemaname?: string; relname?: string; alias?: { aliasname?: string } }
    | undefined;
  if (!relation?.relname) return { problem: 'the UPDATE names no table' };
  const table = relation.schemaname
    ? `${quoteIdent(relation.schemaname)}.${quoteIdent(relation.relname)}`
    : quoteIdent(relation.relname);
  const setColumns = list(update.targetList)
    .map((target) => nodeOf(target, 'ResTarget')?.name)
    .filter((name): name is string => typeof name === 'string');
  return {
    table,
    qualifier: quoteIdent(relation.alias?.aliasname ?? relation.relname),
    setColumns,
  };
}

/**
 * String index just after the UPDATE's own WHERE keyword, or null when it has
 * none. Its own WHERE is the one outside every parenthesis: a subquery's or a
 * CTE's WHERE always sits inside one.
 */
export function ownWhereEnd(tokens: SqlToken[]): number | null {
  let depth = 0;
  for (const token of tokens) {
    if (token.text === '(' || token.text === '[') depth++;
    else if (token.text === ')' || token.text === ']') depth--;
    else if (depth === 0 && token.text.toLowerCase() === 'where') return token.end;
  }
  return null;
}

/** The key range of one batch: after the last committed key (when there is one), up to `upper`. */
export function keyRange(keyRef: string, last: string | null, upper: string): string {
  const below = `${keyRef} <= ${quoteLiteral(upper)}`;
  return last === null ? below : `${keyRef} > ${quoteLiteral(last)} AND ${below}`;
}

/**
 * The UPDATE restricted to one key range. Its own condition goes in parentheses
 * on lines of its own, so an OR in it or a trailing `--` comment cannot swallow
 * the range.
 */
export function batchedUpdate(text: string, whereEnd: number | null, range: string): string {
  if (whereEnd === null) return `${text}\nWHERE ${range}`;
  const head = text.slice(0, whereEnd);
  const condition = text.slice(whereEnd);
  return `${head} (\n${condition.trim()}\n) AND ${range}`;
}

/**
 * The upper key of the next batch: the `batch`-th key after `last` (or the
 * last key there is), with the number of rows in the range. No row: done.
 * Ordered by the key itself, so the comparison and the order agree for any
 * key type (max() does not exist for uuid).
 */
export function nextBatchQuery(
  table: string,
  keyColumn: string,
  last: string | null,
  batch: number,
  /** The highest key when the backfill started: rows inserted since are not its work (see runBackfill). */
  bound: string | null = null,
): string {
  const key = quoteIdent(keyColumn);
  const conditions = [
    ...(last === null ? [] : [`${key} > ${quoteLiteral(last)}`]),
    ...(bound === null ? [] : [`${key} <= ${quoteLiteral(bound)}`]),
  ];
  const where = conditions.length === 0 ? '' : ` where ${conditions.join(' and ')}`;
  return `select s.k::text as upper, count(*) over ()::bigint as rows
  from (select ${key} as k from ${table}${where} order by ${key} limit ${batch}) s
 order by s.k desc limit 1`;
}

/** The table's highest key now, as text (null for an empty table). */
export const highestKeyQuery = (table: string, keyColumn: string): string => {
  // ORDER BY, not max(): it walks the key's index, and uuid has no max() before PostgreSQL 16.
  const key = quoteIdent(keyColumn);
  return `select ${key}::text as bound from ${table} order by ${key} desc limit 1`;
};
