import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { JamDatabase } from '../client/create-db.js';

/**
 * Inserts many rows with one statement: every column travels as a single text
 * array parameter and `unnest` turns the arrays back into rows. That is one
 * round trip and a handful of parameters per batch, whatever its size (a
 * multi-row VALUES list would need one parameter per cell and hit PostgreSQL's
 * 65,535 limit), and it runs the same on PostgreSQL, Neon and PGlite.
 * `ON CONFLICT DO NOTHING` makes a second run skip every row whose primary key
 * or natural key (email, slug, user and quest, token hash) is already there.
 */
export type Executor = Pick<JamDatabase, 'execute'>;

interface ColumnPlan {
  key: string;
  name: string;
  sqlType: string;
  toText: (value: unknown) => string | null;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A PostgreSQL array literal of text elements: `{"a","b\"c"}`. */
const arrayLiteral = (items: unknown[]): string =>
  `{${items
    .map((item) =>
      item === null || item === undefined
        ? 'NULL'
        : `"${String(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
    )
    .join(',')}}`;

function textEncoderFor(column: PgColumn): ColumnPlan['toText'] {
  const sqlType = column.getSQLType();
  if (sqlType.endsWith('[]'))
    return (value) => (value == null ? null : arrayLiteral(value as unknown[]));
  if (sqlType === 'jsonb' || sqlType === 'json')
    return (value) => (value == null ? null : JSON.stringify(value));
  return (value) => {
    if (value == null) return null;
    if (value instanceof Date) return value.toISOString();
    return String(value);
  };
}

export class BatchInsert<Table extends PgTable> {
  private readonly columns: ColumnPlan[];
  private readonly statementHead: string;
  private readonly statementTail: string;

  constructor(readonly table: Table) {
    this.columns = Object.entries(getTableColumns(table)).map(([key, column]) => ({
      key,
      name: column.name,
      sqlType: column.getSQLType(),
      toText: textEncoderFor(column),
    }));
    const names = this.columns.map((c) => quoteIdent(c.name)).join(', ');
    const casts = this.columns.map((c) => `input.${quoteIdent(c.name)}::${c.sqlType}`).join(', ');
    this.statementHead = `with inserted as (insert into ${quoteIdent(getTableName(table))} (${names}) select ${casts} from unnest(`;
    this.statementTail = `) as input(${names}) on conflict do nothing returning 1) select count(*)::int as inserted from inserted`;
  }

  /** Inserts `rows` in one statement; returns how many were new. */
  async run(db: Executor, rows: readonly Table['$inferSelect'][]): Promise<number> {
    if (rows.length === 0) return 0;
    // Each column goes as one ready-made array literal: the drivers would
    // otherwise walk and escape every element again.
    const literals = this.columns.map((column) =>
      arrayLiteral(rows.map((row) => column.toText((row as Record<string, unknown>)[column.key]))),
    );
    const parameters = literals.map((literal, index) =>
      index === 0 ? sql`${literal}::text[]` : sql`, ${literal}::text[]`,
    );
    const statement = sql.join([
      sql.raw(this.statementHead),
      ...parameters,
      sql.raw(this.statementTail),
    ]);
    const result = await db.execute(statement);
    return Number(resultRows<{ inserted: number }>(result)[0]?.inserted ?? 0);
  }
}

/** node-postgres and PGlite both answer with `{ rows }`; drizzle passes that through. */
const resultRows = <Row>(result: unknown): Row[] =>
  Array.isArray(result) ? (result as Row[]) : ((result as { rows?: Row[] }).rows ?? []);
