import type { Session } from '../engines/session.js';

/**
 * Up to this many rows a table is counted exactly; beyond it the report says
 * "more than" or trusts the planner's estimate, so a report never scans a big table.
 */
export const countLimit = 100_000;

export type RowCount =
  | { kind: 'exact'; rows: number }
  | { kind: 'more than'; rows: number }
  | { kind: 'about'; rows: number };

/**
 * How many rows a table holds. `pg_class.reltuples` is -1 (PostgreSQL 14+)
 * or 0 until the table was first analyzed or vacuumed, which is every table a
 * fresh migrate or seed just filled, so small estimates are checked by a
 * count that stops after `countLimit + 1` rows. Null when the table does not
 * exist (yet).
 */
export async function countRows(session: Session, table: string): Promise<RowCount | null> {
  const [found] = await session.query<{ name: string; estimate: number }>(
    `select oid::regclass::text as name, reltuples::float8 as estimate from pg_class where oid = to_regclass($1)`,
    [table],
  );
  if (!found) return null;
  const estimate = Number(found.estimate);
  if (estimate > countLimit) return { kind: 'about', rows: Math.round(estimate) };
  // The name comes from regclass output, which quotes it as an identifier.
  const [counted] = await session.query<{ rows: string }>(
    `select count(*)::text as rows from (select 1 from ${found.name} limit ${countLimit + 1}) as bounded`,
  );
  const rows = Number(counted?.rows ?? 0);
  return rows > countLimit ? { kind: 'more than', rows: countLimit } : { kind: 'exact', rows };
}

export function describeRowCount(count: RowCount): string {
  const rows = count.rows.toLocaleString('en-US');
  return count.kind === 'exact' ? `${rows} rows` : `${count.kind} ${rows} rows`;
}
