import { getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import * as schema from '../schema/index.js';
import type { Executor } from './batch-insert.js';

/** Every table the seed writes, parents before children. */
export const jamTables: PgTable[] = [
  schema.users,
  schema.apiTokens,
  schema.programs,
  schema.quests,
  schema.userQuests,
  schema.projects,
  schema.mentorships,
];

export type TableCounts = Record<string, number>;

/**
 * Empties Jam's tables in one TRUNCATE (fast at any size, and one statement
 * cannot trip over foreign keys between them) and says how many rows each held.
 * No CASCADE: a table outside Jam that references these makes it fail instead
 * of being emptied behind the user's back.
 */
export async function emptyJamTables(db: Executor): Promise<TableCounts> {
  const names = jamTables.map((table) => getTableName(table));
  const counts = names
    .map((name) => `select '${name}' as "table", count(*)::int as "rows" from "${name}"`)
    .join(' union all ');
  const result = (await db.execute(sql.raw(counts))) as unknown as {
    rows: { table: string; rows: number }[];
  };
  await db.execute(sql.raw(`truncate ${names.map((name) => `"${name}"`).join(', ')}`));
  const emptied: TableCounts = {};
  for (const name of names) {
    emptied[name] = Number(result.rows.find((row) => row.table === name)?.rows ?? 0);
  }
  return emptied;
}
